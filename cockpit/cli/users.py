"""CLI commands: ``users`` (practice users), ``backup``, ``restore`` and ``rekey`` (registered on
cockpit.cli's parser by ``add_commands``). Handlers get ``args.home`` and ``args.user`` and return the exit
code; errors are CockpitErrors with a one-line message.

Passwords and passphrases never come from the command line (other users of the machine can read it):
``COCKPIT_PASSWORD`` signs in, ``COCKPIT_NEW_PASSWORD`` sets a user's password and
``COCKPIT_BACKUP_PASSPHRASE`` protects a backup; without them the command asks on the terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Only the standard library here: cockpit.cli builds its parser on every start.
if TYPE_CHECKING:
    from cockpit.privacy.users import UserDirectory
    from cockpit.security.identity import Actor
    from cockpit.store import Store

Subparsers = argparse._SubParsersAction  # argparse names no public type for it

ROLES = ("gp", "nurse", "secretary", "admin")
NEW_PASSWORD_VARIABLE = "COCKPIT_NEW_PASSWORD"
PASSPHRASE_VARIABLE = "COCKPIT_BACKUP_PASSPHRASE"


def add_commands(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("users", help="practice users: add, list, change password or role, disable")
    actions = p.add_subparsers(dest="users_action", metavar="ACTION", required=True)
    q = actions.add_parser(
        "add", help="add a user (the first one must be --role admin; it ends single-user mode)"
    )
    q.add_argument("name", help="sign-in name (2-32 letters, digits, '.', '-', '_'; case-insensitive)")
    q.add_argument("--role", choices=ROLES, required=True)
    q.add_argument("--full-name", default="", help="the name shown in the window and the audit log")
    q.set_defaults(func=cmd_users_add)
    q = actions.add_parser("list", help="the users, their roles and whether they are locked or disabled")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_users_list)
    q = actions.add_parser("passwd", help=f"set a user's password (from ${NEW_PASSWORD_VARIABLE} or asked)")
    q.add_argument("name")
    q.set_defaults(func=cmd_users_passwd)
    q = actions.add_parser("role", help="change a user's role")
    q.add_argument("name")
    q.add_argument("role", choices=ROLES)
    q.set_defaults(func=cmd_users_role)
    for action, help_text in (
        ("disable", "stop a user from signing in (users are kept: the audit log names them)"),
        ("enable", "let a disabled user sign in again"),
        ("unlock", "end a lock-out after failed sign-ins"),
    ):
        q = actions.add_parser(action, help=help_text)
        q.add_argument("name")
        q.set_defaults(func=cmd_users_change, change=action)

    p = commands.add_parser(
        "backup", help=f"write an encrypted backup of the store (passphrase: ${PASSPHRASE_VARIABLE} or asked)"
    )
    p.add_argument("--out", type=Path, required=True, help="the backup file to write")
    p.set_defaults(func=cmd_backup)

    p = commands.add_parser("restore", help="restore a backup into the data directory, under a new key")
    p.add_argument("file", type=Path, help="a backup written by `cockpit backup`")
    p.add_argument(
        "--replace", action="store_true", help="move the present store aside (to replaced-TIME/) first"
    )
    p.set_defaults(func=cmd_restore)

    p = commands.add_parser(
        "rekey", help="re-encrypt the store under a new random key (close the window first)"
    )
    p.set_defaults(func=cmd_rekey)


def cmd_users_add(args: argparse.Namespace) -> int:
    from cockpit.privacy.signin import read_new_secret  # noqa: PLC0415
    from cockpit.privacy.users import parse_role  # noqa: PLC0415

    with _signed_in(args) as (users, actor):
        role = parse_role(args.role)
        password = read_new_secret(NEW_PASSWORD_VARIABLE, f"password for {args.name}")
        added = users.add(actor, args.name, args.full_name, role, password)
    print(f"Added {added.name} ({added.role.value}).")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    import orjson  # noqa: PLC0415

    with _signed_in(args) as (users, actor):
        listed = users.list(actor)
    if args.json:
        sys.stdout.buffer.write(orjson.dumps([u.as_json() for u in listed], option=orjson.OPT_INDENT_2))
        sys.stdout.buffer.write(b"\n")
        return 0
    for u in listed:
        state = (
            "disabled"
            if u.disabled
            else f"locked until {u.locked_until.astimezone():%H:%M}"
            if u.locked_until
            else ""
        )
        print(f"{u.name:<20} {u.role.value:<10} {u.full_name:<30} {state}".rstrip())
    print(f"{len(listed)} users", file=sys.stderr)
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    from cockpit.privacy.signin import read_new_secret  # noqa: PLC0415

    with _signed_in(args) as (users, actor):
        password = read_new_secret(NEW_PASSWORD_VARIABLE, f"password for {args.name}")
        users.set_password(actor, args.name, password)
    print(f"Changed the password of {args.name.casefold()}.")
    return 0


def cmd_users_role(args: argparse.Namespace) -> int:
    from cockpit.privacy.users import parse_role  # noqa: PLC0415

    with _signed_in(args) as (users, actor):
        users.set_role(actor, args.name, parse_role(args.role))
    print(f"{args.name.casefold()} is now {args.role}.")
    return 0


def cmd_users_change(args: argparse.Namespace) -> int:
    with _signed_in(args) as (users, actor):
        change = {"disable": users.disable, "enable": users.enable, "unlock": users.unlock}[args.change]
        change(actor, args.name)
    print(f"{args.name.casefold()}: {args.change}d.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from cockpit.privacy.signin import read_new_secret  # noqa: PLC0415
    from cockpit.security.identity import Permission, require  # noqa: PLC0415
    from cockpit.store.backup import backup_store, check_passphrase_rule  # noqa: PLC0415

    store = _open(args)
    try:
        actor = _actor(args, store)
        require(actor, Permission.BACKUP)
        passphrase = read_new_secret(PASSPHRASE_VARIABLE, "backup passphrase")
        check_passphrase_rule(passphrase)
        summary = backup_store(store, args.out, passphrase)
        _audit(store, actor, "backup", destination=str(summary.path))
    finally:
        store.close()
    print(
        f"Wrote an encrypted backup to {summary.path} ({summary.size:,} bytes, {summary.tables} tables). "
        "Keep the passphrase apart from the file: without it the backup cannot be read."
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from cockpit.privacy.signin import read_secret  # noqa: PLC0415
    from cockpit.security.identity import os_actor  # noqa: PLC0415
    from cockpit.security.keys import KeyStore  # noqa: PLC0415
    from cockpit.store import open_store  # noqa: PLC0415
    from cockpit.store.backup import restore_store  # noqa: PLC0415

    passphrase = read_secret(PASSPHRASE_VARIABLE, "Backup passphrase: ")
    keys = KeyStore()
    summary = restore_store(args.file, args.home, keys, passphrase, replace=args.replace)
    # Opening it brings an older backup's schema up to date; the restored store's users sign in as before.
    store = open_store(args.home, keys, create=False)
    try:
        _audit(store, os_actor(), "restore", list_ref=f"file:{args.file.name}")
    finally:
        store.close()
    print(f"Restored {args.file} into {summary.home} under a new key ({summary.tables} tables).")
    if summary.moved_aside is not None:
        print(f"The store that was there is in {summary.moved_aside}; its key is still in the keyring.")
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    from cockpit.security.identity import Permission, require  # noqa: PLC0415
    from cockpit.security.keys import KeyStore  # noqa: PLC0415
    from cockpit.store.rekey import rekey_store  # noqa: PLC0415

    store = _open(args)
    try:
        actor = _actor(args, store)
        require(actor, Permission.BACKUP)
    finally:
        store.close()
    rekey_store(args.home, KeyStore())
    store = _open(args)
    try:
        _audit(store, actor, "rekey")
    finally:
        store.close()
    print(
        "The store is now encrypted under a new key, kept in the OS keyring. Backups made before keep "
        "their own passphrase; copies in backups/ made before schema upgrades need the old key and can "
        "no longer be opened."
    )
    return 0


@contextmanager
def _signed_in(args: argparse.Namespace) -> Iterator[tuple[UserDirectory, Actor]]:
    """Open the store and sign in: the user directory and the actor, the store closed afterwards."""
    from cockpit.privacy.users import UserDirectory  # noqa: PLC0415

    store = _open(args)
    try:
        yield UserDirectory(store), _actor(args, store)
    finally:
        store.close()


def _open(args: argparse.Namespace) -> Store:
    from cockpit.security.keys import KeyStore  # noqa: PLC0415
    from cockpit.store import open_store  # noqa: PLC0415

    return open_store(args.home, KeyStore())


def _actor(args: argparse.Namespace, store: Store) -> Actor:
    from cockpit.privacy.signin import cli_actor  # noqa: PLC0415

    return cli_actor(store, args.user)


def _audit(store: Store, actor: Actor, action: str, **refs: Any) -> None:
    from cockpit.models.audit import AuditAction  # noqa: PLC0415
    from cockpit.privacy.audit import AuditLog  # noqa: PLC0415

    AuditLog(store).record(actor, AuditAction(action), **refs)
