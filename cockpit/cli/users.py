"""CLI commands: ``users`` (practice users), ``backup``, ``restore`` and ``rekey``. Handlers get
``args.home`` and ``args.user`` and return the exit code; errors are CockpitErrors with a one-line message.

Passwords and passphrases never come from the command line (other users of the machine can read it):
``COCKPIT_PASSWORD`` signs in, ``COCKPIT_NEW_PASSWORD`` sets a user's password and
``COCKPIT_BACKUP_PASSPHRASE`` protects a backup; without them the command asks on the terminal.
"""

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cockpit.cli.arguments import NEW_PASSWORD_VARIABLE, PASSPHRASE_VARIABLE
from cockpit.cli.output import print_json
from cockpit.cli.session import opened, sign_in, signed_in
from cockpit.models.audit import AuditAction
from cockpit.privacy.audit import AuditLog
from cockpit.privacy.identity import Actor, Permission, os_actor
from cockpit.privacy.signin import read_new_secret, read_secret
from cockpit.privacy.users import UserDirectory, parse_role
from cockpit.security.keys import KeyStore
from cockpit.services.bootstrap import open_practice_store
from cockpit.store import Store
from cockpit.store.backup import backup_store, check_passphrase_rule, restore_store
from cockpit.store.rekey import rekey_store


def cmd_users_add(args: argparse.Namespace) -> int:
    with _users(args) as (users, actor):
        role = parse_role(args.role)
        password = read_new_secret(NEW_PASSWORD_VARIABLE, f"password for {args.name}")
        added = users.add(actor, args.name, args.full_name, role, password)
    print(f"Added {added.name} ({added.role.value}).")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    with _users(args) as (users, actor):
        listed = users.list(actor)
    if args.json:
        print_json([u.as_json() for u in listed])
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
    with _users(args) as (users, actor):
        password = read_new_secret(NEW_PASSWORD_VARIABLE, f"password for {args.name}")
        users.set_password(actor, args.name, password)
    print(f"Changed the password of {args.name.casefold()}.")
    return 0


def cmd_users_role(args: argparse.Namespace) -> int:
    with _users(args) as (users, actor):
        users.set_role(actor, args.name, parse_role(args.role))
    print(f"{args.name.casefold()} is now {args.role}.")
    return 0


def cmd_users_change(args: argparse.Namespace) -> int:
    with _users(args) as (users, actor):
        change = {"disable": users.disable, "enable": users.enable, "unlock": users.unlock}[args.change]
        change(actor, args.name)
    print(f"{args.name.casefold()}: {args.change}d.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with signed_in(args, Permission.BACKUP) as (store, actor):
        passphrase = read_new_secret(PASSPHRASE_VARIABLE, "backup passphrase")
        check_passphrase_rule(passphrase)
        summary = backup_store(store, args.out, passphrase)
        _audit(store, actor, "backup", destination=str(summary.path))
    print(
        f"Wrote an encrypted backup to {summary.path} ({summary.size:,} bytes, {summary.tables} tables). "
        "Keep the passphrase apart from the file: without it the backup cannot be read."
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    passphrase = read_secret(PASSPHRASE_VARIABLE, "Backup passphrase: ")
    keys = KeyStore()
    summary = restore_store(args.file, args.home, keys, passphrase, replace=args.replace)
    # Opening it brings an older backup's schema up to date; the restored store's users sign in as before.
    store = open_practice_store(args.home, create=False, keys=keys)
    try:
        _audit(store, os_actor(), "restore", list_ref=f"file:{args.file.name}")
    finally:
        store.close()
    print(f"Restored {args.file} into {summary.home} under a new key ({summary.tables} tables).")
    if summary.moved_aside is not None:
        print(f"The store that was there is in {summary.moved_aside}; its key is still in the keyring.")
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = sign_in(args, store, Permission.BACKUP)
    rekey_store(args.home, KeyStore())
    with opened(args) as store:
        _audit(store, actor, "rekey")
    print(
        "The store is now encrypted under a new key, kept in the OS keyring. Backups made before keep "
        "their own passphrase; copies in backups/ made before schema upgrades need the old key and can "
        "no longer be opened."
    )
    return 0


@contextmanager
def _users(args: argparse.Namespace) -> Iterator[tuple[UserDirectory, Actor]]:
    """Open the store and sign in: the user directory and the actor, the store closed afterwards."""
    with opened(args) as store:
        yield UserDirectory(store), sign_in(args, store)


def _audit(store: Store, actor: Actor, action: str, **refs: Any) -> None:
    AuditLog(store).record(actor, AuditAction(action), **refs)
