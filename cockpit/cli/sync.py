"""CLI: ``cockpit sync [--server URL] [--full] [--folder DIR] [--json]``, through the window's SyncService
(the saved server or folder, then the worklists' loop closed). A progress line on stderr when it is a
terminal, one summary line at the end; never patient data. Errors are SyncErrors (exit code 9) whose
message says what to do."""

import argparse
import sys
import threading
from typing import Any

import httpx

from cockpit.cli.output import print_json
from cockpit.cli.session import opened, report_reevaluation, sign_in
from cockpit.errors import SyncError
from cockpit.privacy.identity import Permission
from cockpit.services.sync import SyncService
from cockpit.sync.interrupt import interrupts_end_the_sync
from cockpit.sync.options import limit_changes
from cockpit.sync.progress import SyncProgress, SyncResult
from cockpit.sync.settings import load_settings, save_settings
from cockpit.sync.tls import require_secure_url


def cmd_sync(args: argparse.Namespace) -> int:
    settings = load_settings(args.home)
    changes = _settings_changes(args)
    if changes:
        settings = settings.with_changes(**changes)
        settings.check()
    if args.server is not None:
        try:
            url = httpx.URL(settings.server_url or "")
        except httpx.InvalidURL:
            raise SyncError(
                f"{args.server!r} is not a URL: give the FHIR base URL, e.g. https://host/fhir."
            ) from None
        require_secure_url(url)  # refuses plain http off the loopback: nothing is saved then
    show = sys.stderr.isatty()
    with opened(args) as store:
        try:
            sign_in(args, store, Permission.SYNC)
            if changes:
                save_settings(args.home, settings)
            if args.save_only:
                print(f"Sync settings saved in {args.home / 'sync.json'}.")
                return 0
            if args.folder is not None and not args.folder.is_dir():
                # Named as typed (the saved settings hold it resolved); sync_folder says the same.
                raise SyncError(
                    f"{args.folder} is not a folder: give the folder the clinic system writes its files to."
                )
            # The saved settings say server or folder; the service decides, as for the window's syncs.
            with interrupts_end_the_sync():  # Ctrl+C or SIGTERM: a message, never a traceback
                result, reevaluation = SyncService(store).sync(
                    full=args.full, progress=_progress_line if show else None, cancel=threading.Event()
                )
            report_reevaluation(reevaluation)
        finally:
            if show:
                print("\r\033[K", end="", file=sys.stderr)
    _print_result(result, as_json=args.json)
    return 0


def _settings_changes(args: argparse.Namespace) -> dict[str, Any]:
    """What the command line changes in sync.json (an empty dict: nothing)."""
    changes: dict[str, Any] = {}
    if args.server is not None:
        changes["server_url"] = args.server.rstrip("/")
    if args.folder is not None:  # a folder source replaces the server (and the other way round)
        changes.update(folder=str(args.folder.resolve()), server_url=None)
    elif args.server is not None:
        changes["folder"] = None
    if args.method is not None:
        changes["method"] = args.method
    for option, key in (
        ("auth", "auth_kind"),
        ("client_id", "client_id"),
        ("token_url", "token_url"),
        ("scope", "scope"),
        ("export_level", "export_level"),
        ("group", "group_id"),
    ):
        if getattr(args, option) is not None:
            changes[key] = getattr(args, option)
    if args.ca_bundle is not None:
        if not args.ca_bundle.is_file():
            raise SyncError(f"{args.ca_bundle} is not a file: give a PEM file with the CA certificates.")
        changes["ca_bundle"] = str(args.ca_bundle.resolve())
    if args.every is not None:
        if args.every < 0:
            raise SyncError("--every takes minutes (0 for syncing only on request).")
        changes["schedule_minutes"] = args.every or None
    changes.update(limit_changes(args))
    return changes


def _progress_line(progress: SyncProgress) -> None:
    units = f" {progress.units_done}/{progress.units_total}" if progress.units_total else ""
    detail = f" ({progress.detail})" if progress.detail else ""
    print(
        f"\r\033[KSync: {progress.phase}{detail}{units}  {progress.resources:,} resources  "
        f"{progress.bytes / 1e6:,.1f} MB",
        end="",
        file=sys.stderr,
        flush=True,
    )


def _print_result(result: SyncResult, *, as_json: bool) -> None:
    if as_json:
        print_json(result.as_dict())
        return
    print(result.summary_line())
    for where, reason in result.quarantine_examples:
        print(f"  quarantined {where}: {reason}")
