"""Who is acting: sign-in for the CLI (the GUI has its own dialog on the same rules).

Until the first administrator exists the cockpit runs in single-user mode, as the OS user. After that
every command that opens the store needs ``--user NAME`` (or ``$COCKPIT_USER``) and that user's password,
from ``$COCKPIT_PASSWORD`` or a prompt on the terminal: never from the command line, where other users
of the machine could read it.
"""

import getpass
import os
import sys

from cockpit.errors import CockpitError, InputError, SignInError
from cockpit.privacy.identity import Actor, os_actor
from cockpit.privacy.users import UserDirectory
from cockpit.store import Store

PASSWORD_VARIABLE = "COCKPIT_PASSWORD"


def cli_actor(store: Store, user: str | None) -> Actor:
    """The actor for a CLI command: single-user mode, or the practice user signed in with ``user`` and the
    password from ``COCKPIT_PASSWORD`` (else a prompt). Raises SignInError."""
    users = UserDirectory(store)
    if not users.has_users():
        return os_actor()
    if not user:
        raise SignInError(
            "This practice has users: sign in with --user NAME (or set COCKPIT_USER); "
            "the password comes from COCKPIT_PASSWORD or a prompt."
        )
    password = read_secret(PASSWORD_VARIABLE, f"Password for {user}: ", SignInError)
    return users.authenticate(user, password)


def read_secret(variable: str, prompt: str, error: type[CockpitError] = InputError) -> str:
    """A secret from the environment variable, else typed at a terminal (never echoed); ``error`` when
    there is neither."""
    value = os.environ.get(variable)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise error(f"There is no terminal to ask on: set {variable}.")
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise error(f"Nothing was typed: type it, or set {variable}.") from None


def read_new_secret(variable: str, what: str) -> str:
    """A new secret from the environment variable, else typed twice at a terminal."""
    value = os.environ.get(variable)
    if value is not None:
        return value
    first = read_secret(variable, f"New {what}: ")
    if read_secret(variable, f"The {what} again: ") != first:
        raise InputError(f"The two {what}s differ; nothing was changed. Try again.")
    return first
