"""CLI commands: ``update check|install|rollback`` (registered on cockpit.cli's parser by
``add_commands``). They work on the install root the frozen app runs from (or ``--root`` /
``COCKPIT_UPDATE_ROOT``), never on the practice's data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

# Only the standard library here: cockpit.cli builds its parser on every start; tufup loads when used.
if TYPE_CHECKING:
    from cockpit.updates.client import AvailableUpdate, Updater

Subparsers = argparse._SubParsersAction  # argparse names no public type for it


def add_commands(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("update", help="check for, install or roll back a signed update")
    actions = p.add_subparsers(dest="update_action", metavar="ACTION", required=True)
    for name, func, text in (
        ("check", cmd_check, "is a newer signed version available? (exit 0: yes, 1: no)"),
        ("install", cmd_install, "download, verify and, after you agree, install the newest version"),
        ("rollback", cmd_rollback, "go back to the version installed before the last update"),
    ):
        q = actions.add_parser(name, help=text)
        q.add_argument("--root", type=Path, default=None, help="install root (default: this installation)")
        q.add_argument("--url", default=None, help="update repository (default: the configured one)")
        if name == "install":
            q.add_argument("--yes", action="store_true", help="install without asking (silent deployment)")
        q.set_defaults(func=func)


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
    from cockpit.updates.client import Updater  # noqa: PLC0415
    from cockpit.updates.settings import load_settings  # noqa: PLC0415

    return Updater(load_settings(install_root=args.root, repository_url=args.url))


def _ask(update: AvailableUpdate) -> bool:
    if not sys.stdin.isatty():
        print("Not asked (no terminal): use --yes to install without asking.", file=sys.stderr)
        return False
    answer = input(f"Install Patient Cockpit {update.version} now ({_mb(update)})? [y/N] ")
    return answer.strip().lower() in {"y", "yes", "j", "ja"}


def _mb(update: AvailableUpdate) -> str:
    return f"{update.size / 1e6:.1f} MB"
