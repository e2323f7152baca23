"""CLI: ``cockpit sync [--server URL] [--full] [--folder DIR] [--json]`` (registered on cockpit.cli's parser
by ``add_commands``). A progress line on stderr when it is a terminal, one summary line at the end; never
patient data. Errors are SyncErrors (exit code 9) whose message says what to do."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cockpit.sync.options import add_limit_options, limit_changes

# Only the standard library here: cockpit.cli builds its parser on every start; the handler imports httpx,
# the engine and the store when it runs.
if TYPE_CHECKING:
    from cockpit.sync.progress import SyncProgress, SyncResult

Subparsers = argparse._SubParsersAction  # argparse names no public type for it


def add_commands(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("sync", help="bring the store up to date from the practice's FHIR server")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--server", default=None, metavar="URL", help="FHIR base URL (saved for next time)")
    source.add_argument(
        "--folder", type=Path, default=None, help="a folder of NDJSON files instead (saved for next time)"
    )
    p.add_argument("--full", action="store_true", help="fetch everything and remove what the server lacks")
    p.add_argument(
        "--method",
        choices=("auto", "export", "search", "everything"),
        default=None,
        help="how to fetch a full sync (saved; default auto: bulk export where the server has it)",
    )
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    saved = p.add_argument_group("settings (saved in sync.json for the next runs and the window)")
    saved.add_argument(
        "--auth", choices=("none", "bearer", "smart"), help="credentials (stored with cockpit sync-auth)"
    )
    saved.add_argument("--client-id", help="SMART Backend Services client id")
    saved.add_argument("--token-url", metavar="URL", help="SMART token endpoint")
    saved.add_argument("--scope", help="SMART scope (default system/*.read)")
    saved.add_argument("--ca-bundle", type=Path, help="extra CA certificates (PEM) to trust for the server")
    saved.add_argument(
        "--export-level", choices=("system", "patient", "group"), help="bulk export level (default system)"
    )
    saved.add_argument("--group", metavar="ID", help="the Group to export (with --export-level group)")
    saved.add_argument(
        "--every", type=int, metavar="MINUTES", help="the window syncs every MINUTES (0: only on request)"
    )
    saved.add_argument("--save-only", action="store_true", help="save the settings without syncing")
    add_limit_options(p)
    p.set_defaults(func=cmd_sync)


def cmd_sync(args: argparse.Namespace) -> int:
    from cockpit.errors import SyncError  # noqa: PLC0415
    from cockpit.security.identity import Permission, require  # noqa: PLC0415
    from cockpit.sync.settings import load_settings, save_settings  # noqa: PLC0415

    settings = load_settings(args.home)
    changes = _settings_changes(args)
    if changes:
        settings = settings.with_changes(**changes)
        settings.check()
    if args.server is not None:
        import httpx  # noqa: PLC0415

        from cockpit.sync.tls import require_secure_url  # noqa: PLC0415

        try:
            url = httpx.URL(settings.server_url or "")
        except httpx.InvalidURL:
            raise SyncError(
                f"{args.server!r} is not a URL: give the FHIR base URL, e.g. https://host/fhir."
            ) from None
        require_secure_url(url)  # refuses plain http off the loopback: nothing is saved then
    from cockpit.sync.interrupt import interrupts_end_the_sync  # noqa: PLC0415

    store = _open(args)
    show = sys.stderr.isatty()
    try:
        require(_actor(args, store), Permission.SYNC)
        if changes:
            save_settings(args.home, settings)
        if args.save_only:
            print(f"Sync settings saved in {args.home / 'sync.json'}.")
            return 0
        progress = _progress_line if show else None
        if args.folder is not None or (settings.server_url is None and settings.folder is not None):
            from cockpit.sync.folder import sync_folder  # noqa: PLC0415

            folder = args.folder if args.folder is not None else Path(str(settings.folder))
            with interrupts_end_the_sync():
                result = sync_folder(store, folder, progress=progress)
        else:
            from cockpit.sync.engine import sync_server  # noqa: PLC0415

            with interrupts_end_the_sync():
                result = sync_server(
                    store, settings, full=args.full, progress=progress, cancel=threading.Event()
                )
        after_change = getattr(args, "after_data_change", None)  # cockpit.cli: the worklists' closed loop
        if result.changed and after_change is not None:
            after_change(store)
    finally:
        if show:
            print("\r\033[K", end="", file=sys.stderr)
        store.close()
    _print_result(result, as_json=args.json)
    return 0


def _settings_changes(args: argparse.Namespace) -> dict[str, Any]:
    """What the command line changes in sync.json (an empty dict: nothing)."""
    from cockpit.errors import SyncError  # noqa: PLC0415

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
        import orjson  # noqa: PLC0415

        sys.stdout.buffer.write(orjson.dumps(result.as_dict(), option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.flush()
        return
    print(result.summary_line())
    for where, reason in result.quarantine_examples:
        print(f"  quarantined {where}: {reason}")


def _open(args: argparse.Namespace) -> Any:
    from cockpit.security.keys import KeyStore  # noqa: PLC0415
    from cockpit.store import open_store  # noqa: PLC0415

    return open_store(args.home, KeyStore())


def _actor(args: argparse.Namespace, store: Any) -> Any:
    from cockpit.privacy.signin import cli_actor  # noqa: PLC0415

    return cli_actor(store, getattr(args, "user", None))
