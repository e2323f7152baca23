"""The ``cockpit`` command: the GUI when called alone, and subcommands for import and look-ups.

Errors are one line on stderr and a non-zero exit code; a traceback only with ``--debug``. An unexpected
error prints only its type without ``--debug``, because its message could carry data from the store.
"""

import argparse
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from cockpit.errors import CockpitError
from cockpit.output import print_json
from cockpit.paths import default_demo_home, default_home

log = logging.getLogger("cockpit")

EXIT_BUG = 70


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cockpit",
        description="Patient Cockpit: patient overview and risk lists for Danish general practice. "
        "Without a command it opens the window.",
    )
    parser.add_argument(
        "--home",
        type=Path,
        default=None,
        help="data directory (default: $COCKPIT_HOME, else the per-user data directory)",
    )
    parser.add_argument(
        "--user",
        default=os.environ.get("COCKPIT_USER"),
        help="practice user to sign in as, once users exist (password from $COCKPIT_PASSWORD or a prompt)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")
    parser.add_argument("-v", "--verbose", action="store_true", help="more logging (never patient data)")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window, load the store, then exit (0 when all went well); for installers and CI",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the demo practice (fictitious patients, generated on first start) in its own data "
        "directory",
    )
    parser.add_argument(
        "--patient", metavar="PATIENT", help="open this patient (CPR, FHIR id or internal id)"
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE.png",
        help="render the window (with --patient: their overview) to a PNG and exit",
    )
    parser.add_argument(
        "--size", type=_size, default=(1366, 768), help="window size for --screenshot (1366x768)"
    )
    parser.add_argument(
        "--lang", choices=("da", "en"), default=None, help="language of the window (default: Danish)"
    )
    parser.add_argument(
        "--lock-minutes",
        type=_lock_minutes,
        default=_lock_minutes(os.environ.get("COCKPIT_LOCK_MINUTES", "5")),
        help="lock the window after this many minutes without input (1-120; default 5, or "
        "$COCKPIT_LOCK_MINUTES)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser("demo", help="write a fictitious Danish practice as FHIR bulk NDJSON")
    p.add_argument("--patients", type=_patient_count, default=2000, help="10 to 100,000 (default 2,000)")
    p.add_argument("--seed", type=int, default=2018, help="same seed and arguments: byte-identical output")
    p.add_argument("--out", type=Path, required=True, help="directory to write (created if missing)")
    p.add_argument("--as-of", type=_iso_date, default=None, help="anchor date YYYY-MM-DD (default: today)")
    p.set_defaults(func=_cmd_demo)

    p = commands.add_parser("import", help="import FHIR R4 data (NDJSON directory/file, Bundle, JSON files)")
    p.add_argument("path", type=Path)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=_cmd_import)

    # Each concern registers its own commands; the modules import only the standard library up front.
    from cockpit.indicators import commands as indicator_commands  # noqa: PLC0415
    from cockpit.privacy import audit_commands, database_commands, user_commands  # noqa: PLC0415
    from cockpit.sync import auth_commands as sync_auth_commands  # noqa: PLC0415
    from cockpit.sync import commands as sync_commands  # noqa: PLC0415
    from cockpit.updates import commands as update_commands  # noqa: PLC0415
    from cockpit.worklists import commands as worklist_commands  # noqa: PLC0415

    for module in (
        indicator_commands,
        sync_commands,
        sync_auth_commands,
        audit_commands,
        user_commands,
        update_commands,
        worklist_commands,
        database_commands,
    ):
        module.add_commands(commands)

    p = commands.add_parser("patients", help="list patients")
    p.add_argument("--search", default="", help="name, CPR (dash optional) or birth date")
    p.add_argument("--limit", type=int, default=None, help="at most this many")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_patients)

    p = commands.add_parser("overview", help="everything about one patient")
    p.add_argument("patient", help="CPR number, FHIR id or internal id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_overview)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # A full sync maps on a spawned worker process; in the frozen app that process is this executable
    # again, and this is where it becomes the worker instead of a second cockpit.
    multiprocessing.freeze_support()
    os.umask(0o077)  # whatever the cockpit writes is private to the user
    args = build_parser().parse_args(argv)
    # Commands below the privacy layer (``risk``) sign in through this hook.
    args.sign_in = lambda store, permission=None: _actor(args, store, permission)
    args.after_data_change = _reevaluate_worklists  # for commands below the worklists' layer (sync)
    _setup_logging(args)
    if args.home is None:
        args.home = default_demo_home() if args.demo else default_home()
    try:
        if args.command is None:
            return _gui(args)
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except CockpitError as error:
        print(f"cockpit: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        # The reader went away (e.g. `cockpit patients | head`): not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("cockpit: interrupted; nothing was changed by the unfinished operation", file=sys.stderr)
        return 130
    except Exception as error:
        if args.debug:
            raise
        print(
            f"cockpit: internal error ({type(error).__name__}); run with --debug for details",
            file=sys.stderr,
        )
        return EXIT_BUG


def _gui(args: argparse.Namespace) -> int:
    if sys.platform.startswith("linux") and not any(
        os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    ):
        raise CockpitError(
            "there is no display to open the window on. Start it in a desktop session; for a screenshot or "
            "a smoke test without one, set QT_QPA_PLATFORM=offscreen."
        )
    from cockpit.app import GuiOptions, run_gui  # noqa: PLC0415 (only the window loads Qt)

    options = GuiOptions(
        smoke_test=args.smoke_test,
        demo=args.demo,
        patient=args.patient,
        screenshot=args.screenshot,
        size=args.size,
        lang=args.lang or os.environ.get("COCKPIT_LANG", "da"),
        lock_minutes=args.lock_minutes,
    )
    return run_gui(args.home, options)


def _lock_minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("give the lock time in minutes, e.g. 5") from None
    if not 1 <= value <= 120:
        raise argparse.ArgumentTypeError("the lock time must be between 1 and 120 minutes")
    return value


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError("give the size as WIDTHxHEIGHT, e.g. 1366x768") from None
    if not (320 <= width <= 8000 and 240 <= height <= 8000):
        raise argparse.ArgumentTypeError("the size must be between 320x240 and 8000x8000")
    return width, height


def _setup_logging(args: argparse.Namespace) -> None:
    level = logging.DEBUG if args.debug else logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _open(args: argparse.Namespace) -> Any:
    from cockpit.security.keys import KeyStore  # noqa: PLC0415
    from cockpit.store import open_store  # noqa: PLC0415

    return open_store(args.home, KeyStore())


def _reevaluate_worklists(store: Any) -> None:
    """New data closes the loop: worklist items the data shows as done are resolved, new hits join the
    lists that follow their indicator (a no-op without worklists). One line on stderr when it did
    something, so stdout stays the command's own (--json)."""
    from cockpit.worklists.service import reevaluate  # noqa: PLC0415

    outcome = reevaluate(store, date.today())
    if outcome.resolved or outcome.added or outcome.confirmed:
        print(
            f"Worklists: {outcome.resolved:,} items resolved by the new data, {outcome.confirmed:,} closed "
            f"items confirmed, {outcome.added:,} new items on following lists.",
            file=sys.stderr,
        )


def _actor(args: argparse.Namespace, store: Any, permission: str | None = None) -> Any:
    """Sign in (once practice users exist) for a command that opened ``store``; with ``permission``
    (a cockpit.security.identity.Permission value), refuse a role that may not do it."""
    from cockpit.privacy.signin import cli_actor  # noqa: PLC0415
    from cockpit.security.identity import Permission, require  # noqa: PLC0415

    actor = cli_actor(store, args.user)
    if permission is not None:
        require(actor, Permission(permission))
    return actor


def _cmd_import(args: argparse.Namespace) -> int:
    from cockpit.errors import StoreFullError  # noqa: PLC0415
    from cockpit.fhir.importer import ImportProgress, import_path  # noqa: PLC0415
    from cockpit.security.identity import Permission  # noqa: PLC0415
    from cockpit.store.errors import disk_full_error  # noqa: PLC0415

    store = _open(args)
    show = sys.stderr.isatty()

    def progress(p: ImportProgress) -> None:
        if show:
            print(f"\rImporting … {p.fraction:6.1%}  {p.resources:,} resources", end="", file=sys.stderr)

    try:
        _actor(args, store, Permission.SYNC)
        summary = import_path(store, args.path, progress)
        if summary.inserted or summary.updated:
            _reevaluate_worklists(store)
    except StoreFullError:
        raise disk_full_error(args.home) from None  # the same message, with the free space of the home
    finally:
        if show:
            print(file=sys.stderr)
        store.close()
    if args.json:
        print_json(summary.as_dict())
        return 0
    rate = summary.read / summary.seconds if summary.seconds else 0.0
    print(
        f"Imported {args.path}: {summary.read:,} resources read in {summary.seconds:.1f} s "
        f"({rate:,.0f}/s); {summary.inserted:,} new, {summary.updated:,} changed, "
        f"{summary.unchanged:,} unchanged, {sum(summary.skipped_by_type.values()):,} skipped "
        f"(types the cockpit does not keep), {summary.quarantined:,} quarantined."
    )
    for where, reason in summary.quarantine_examples:
        print(f"  quarantined {where}: {reason}")
    if summary.quarantined > len(summary.quarantine_examples):
        print(f"  … and {summary.quarantined - len(summary.quarantine_examples):,} more")
    if summary.named_from_catalogue:
        print(
            f"  {summary.named_from_catalogue:,} drugs sent without a name were named from the ATC catalogue."
        )
    if summary.unresolved_medication_refs:
        print(
            f"  {summary.unresolved_medication_refs:,} drugs name a Medication resource the store does not "
            "have: kept as unknown drugs, without a code (a data-quality problem)."
        )
    if summary.released_from_quarantine:
        print(f"  {summary.released_from_quarantine:,} resources quarantined before were kept this time.")
    return 0


def _patient_count(text: str) -> int:
    value = int(text)
    if not 10 <= value <= 100_000:
        raise argparse.ArgumentTypeError("the demo practice has 10 to 100,000 patients")
    return value


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("give the date as YYYY-MM-DD") from None


def _cmd_demo(args: argparse.Namespace) -> int:
    from cockpit.demo.generator import generate_practice  # noqa: PLC0415

    show = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            print(f"\rGenerating … {done:,} of {total:,} patients", end="", file=sys.stderr)

    as_of = args.as_of or date.today()
    summary = generate_practice(
        args.out, patients=args.patients, seed=args.seed, as_of=as_of, progress=progress
    )
    if show:
        print(file=sys.stderr)
    counts = ", ".join(f"{n:,} {t}" for t, n in sorted(summary.counts.items()))
    print(
        f"Wrote a fictitious practice of {args.patients:,} patients (as of {as_of}) to {args.out}: {counts}"
    )
    return 0


def _cmd_patients(args: argparse.Namespace) -> int:
    from cockpit.services.patients import PatientService  # noqa: PLC0415

    store = _open(args)
    try:
        actor = _actor(args, store, "view_contact")
        patients = PatientService(store, lambda: actor).search(args.search, limit=args.limit)
    finally:
        store.close()
    if args.json:
        print_json([p.as_json() for p in patients])
        return 0
    for p in patients:
        born = p.birth_date.isoformat() if p.birth_date else "?"
        print(f"{p.id:>7}  {p.cpr or '-':<10}  {born}  {p.sex:<7}  {p.name}")
    print(f"{len(patients):,} patients", file=sys.stderr)
    return 0


def _cmd_overview(args: argparse.Namespace) -> int:
    from cockpit.services.patients import PatientService  # noqa: PLC0415

    store = _open(args)
    try:
        actor = _actor(args, store, "view_clinical")
        record = PatientService(store, lambda: actor).overview(args.patient)  # audited as patient.open
    finally:
        store.close()
    data = record.as_json()
    if args.json:
        print_json(data)
        return 0
    p = data["patient"]
    print(f"{p['name']}  CPR {p['cpr'] or '-'}  born {p['birth_date'] or '?'}  {p['sex']}")
    for section in ("conditions", "medications", "observations", "encounters", "home_care"):
        print(f"\n{section.replace('_', ' ').title()} ({len(data[section])})")
        for row in data[section]:
            print("  " + _one_line(section, row))
    return 0


def _one_line(section: str, row: dict[str, Any]) -> str:
    if section == "observations":
        value = row["value_num"] if row["value_num"] is not None else row["value_text"]
        what = f"{row['code']:<10} {row['display'] or ''}"
        return f"{row['effective'] or '?':<19}  {what}: {value} {row['unit'] or ''}"
    if section == "medications":
        drug = f"{row['code'] or '-':<8} {row['drug_name']}"
        return f"{row['start'] or '?':<10}  {drug}  {row['dosage_text'] or ''}"
    if section == "encounters":
        return f"{row['start'] or '?':<19}  {row['encounter_class']:<15} {row['type_display'] or ''}"
    if section == "home_care":
        return f"{row['start'] or '?':<10}  {row['service_display']}  {row['hours_per_week'] or ''} h/wk"
    return f"{row['onset'] or '?':<10}  {row['code']:<8} {row['display'] or ''}  ({row['clinical_status']})"
