"""CLI commands: ``update check|install|rollback``. They work on the install root the frozen app runs from
(or ``--root`` / ``COCKPIT_UPDATE_ROOT``), never on the practice's data."""

import argparse
import sys

from cockpit.updates.client import AvailableUpdate, Updater
from cockpit.updates.settings import load_settings


def cmd_check(args: argparse.Namespace) -> int:
    update = _updater(args).check()
    if update is None:
        print("Patient Cockpit is up to date.")
        return 1
    print(f"Version {update.version} is available (installed: {update.current_version}; {_mb(update)}).")
    return 0


def cmd_install(args: argparse.Namespace) -> int:
    updater = _updater(args)
    update = updater.check()
    if update is None:
        print("Patient Cockpit is up to date.")
        return 0
    if not updater.install(update, confirm=lambda u: args.yes or _ask(u)):
        print("Not installed.")
        return 1
    print(f"Installed {update.version}; it starts the next time Patient Cockpit is opened.")
    print(f"{update.current_version} is kept: 'cockpit update rollback' goes back to it.")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    version = _updater(args).rollback()
    print(f"Rolled back: {version} starts the next time Patient Cockpit is opened.")
    return 0


def _updater(args: argparse.Namespace) -> Updater:
    return Updater(load_settings(install_root=args.root, repository_url=args.url))


def _ask(update: AvailableUpdate) -> bool:
    if not sys.stdin.isatty():
        print("Not asked (no terminal): use --yes to install without asking.", file=sys.stderr)
        return False
    answer = input(f"Install Patient Cockpit {update.version} now ({_mb(update)})? [y/N] ")
    return answer.strip().lower() in {"y", "yes", "j", "ja"}


def _mb(update: AvailableUpdate) -> str:
    return f"{update.size / 1e6:.1f} MB"
