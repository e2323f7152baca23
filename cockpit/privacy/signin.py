"""Who is acting: sign-in for the CLI (the GUI has its own dialog on the same rules).

Placeholder: until practice users exist the cockpit runs in single-user mode, audited as the OS user.
"""

from cockpit.security.identity import Actor, os_actor
from cockpit.store import Store


def cli_actor(store: Store, user: str | None) -> Actor:
    """The actor for a CLI command: single-user mode, or the practice user signed in with ``user`` and the
    password from ``COCKPIT_PASSWORD`` (else a prompt). Raises SignInError."""
    del store, user
    return os_actor()
