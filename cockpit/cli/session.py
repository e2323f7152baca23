"""What the command handlers share: the practice store, opened by cockpit.services.bootstrap as for the
window, with the user signed in (single-user mode, or ``--user`` and the password from the environment or
a prompt), and the one line that says what new data did to the worklists."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from cockpit.privacy.identity import Actor, Permission, require
from cockpit.privacy.signin import cli_actor
from cockpit.services.bootstrap import open_practice_store
from cockpit.store import Store

if TYPE_CHECKING:
    from cockpit.worklists.model import Reevaluation


@contextmanager
def opened(args: argparse.Namespace, *, create: bool = True) -> Iterator[Store]:
    """The store in ``args.home``, closed afterwards (without ``create``: it must exist)."""
    store = open_practice_store(args.home, create=create)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def signed_in(
    args: argparse.Namespace, permission: Permission | None = None, *, create: bool = True
) -> Iterator[tuple[Store, Actor]]:
    """The open store and the signed-in actor (see ``sign_in``); the store is closed afterwards."""
    with opened(args, create=create) as store:
        yield store, sign_in(args, store, permission)


def sign_in(args: argparse.Namespace, store: Store, permission: Permission | None = None) -> Actor:
    """Who runs the command on ``store``: the OS user until practice users exist, then ``--user`` signed
    in with the password from COCKPIT_PASSWORD or a prompt; with ``permission``, a role that may not do it
    is refused. Once users exist everyone signs in, even for aggregate figures."""
    actor = cli_actor(store, args.user)
    if permission is not None:
        require(actor, permission)
    return actor


def report_reevaluation(outcome: Reevaluation | None) -> None:
    """What closing the worklists' loop after new data did: one line on stderr when it did something, so
    stdout stays the command's own (--json)."""
    if outcome is not None and (outcome.resolved or outcome.added or outcome.confirmed):
        print(
            f"Worklists: {outcome.resolved:,} items resolved by the new data, {outcome.confirmed:,} closed "
            f"items confirmed, {outcome.added:,} new items on following lists.",
            file=sys.stderr,
        )
