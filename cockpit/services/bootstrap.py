"""How a practice is opened: the one module that opens the store, for the window (cockpit.app) and the
command line (cockpit.cli) alike. It wires the OS keyring to the store and the store to the services;
what sits on top (a window with its sign-in page, a command that signs in from the environment or a
prompt) is the interface's own business."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cockpit.security.keys import KeyStore
from cockpit.store import Store, open_store

if TYPE_CHECKING:
    from cockpit.services.demo import Report
    from cockpit.services.practice import Practice

__all__ = ["open_practice", "open_practice_store"]


def open_practice_store(home: Path, *, create: bool = True, keys: KeyStore | None = None) -> Store:
    """The store in ``home``, keyed from the OS keyring (``keys``: one already made, e.g. by a restore).
    Without ``create`` a missing store is an error instead of a new, empty one."""
    return open_store(home, keys if keys is not None else KeyStore(), create=create)


def open_practice(home: Path, *, demo: Report | None = None, keys: KeyStore | None = None) -> Practice:
    """The practice in ``home`` as the window uses it (single-user mode until someone signs in through
    ``practice.access``). With ``demo``, an empty store is first filled with the demo practice, reporting
    its progress there. The caller closes the practice."""
    # Imported here, not above: a command-line command opens only the store, and should not wait for the
    # window's services (overview, attention, risk lists) or the demo generator to load.
    from cockpit.services.demo import ensure_demo_practice  # noqa: PLC0415
    from cockpit.services.practice import Practice  # noqa: PLC0415

    store = open_practice_store(home, keys=keys)
    try:
        if demo is not None:
            ensure_demo_practice(store, demo)
    except BaseException:
        store.close()
        raise
    return Practice(store)
