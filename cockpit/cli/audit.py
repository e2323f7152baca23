"""CLI commands: ``audit`` (read the log, or the data-out ledger; recorded as ``audit.read``) and
``audit verify`` (walk the hash chain). Registered on cockpit.cli's parser by ``add_commands``."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date
from typing import TYPE_CHECKING

# Only the standard library here: cockpit.cli builds its parser on every start.
if TYPE_CHECKING:
    from cockpit.privacy.audit import AuditRecord

Subparsers = argparse._SubParsersAction  # argparse names no public type for it
EXIT_CHAIN_BROKEN = 1
_CSV_COLUMNS = (
    "id",
    "at",
    "user",
    "role",
    "workstation",
    "action",
    "patient_id",
    "patient_fhir_id",
    "list",
    "patient_count",
    "purpose",
    "destination",
)


def add_commands(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "audit",
        help="the audit log: who looked at which patient, what left the store; 'audit verify' checks it",
        description="Entries oldest first, filtered by every option given. Reading the log is itself "
        "recorded. 'cockpit audit verify' walks the hash chain and names the first entry that was edited, "
        "inserted or deleted (exit code 1), else prints 'N entries, chain intact'.",
    )
    p.add_argument("action", nargs="?", choices=("verify",), help="verify: check the chain, show nothing")
    p.add_argument("--patient", metavar="PATIENT", help="who looked at this patient (CPR, FHIR id or id)")
    p.add_argument(
        "--user",
        dest="audit_user",
        metavar="NAME",
        help="what this practice user did (to sign in yourself: cockpit --user ADMIN audit ...)",
    )
    p.add_argument("--since", type=_iso_date, default=None, help="from this day (YYYY-MM-DD, local time)")
    p.add_argument("--until", type=_iso_date, default=None, help="up to and including this day")
    p.add_argument("--data-out", action="store_true", help="only data that left the store (the ledger)")
    p.add_argument("--purpose", default=None, help="why you read the log (recorded with the read)")
    output = p.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true")
    output.add_argument("--csv", action="store_true", help="for the data controller")
    p.set_defaults(func=cmd_audit)


def cmd_audit(args: argparse.Namespace) -> int:
    from cockpit.privacy.audit import AuditLog, AuditQuery  # noqa: PLC0415
    from cockpit.privacy.signin import cli_actor  # noqa: PLC0415
    from cockpit.security.keys import KeyStore  # noqa: PLC0415
    from cockpit.store import open_store  # noqa: PLC0415

    if args.since and args.until and args.since > args.until:
        from cockpit.errors import InputError  # noqa: PLC0415

        raise InputError("--since is after --until; give the earlier day first.")
    store = open_store(args.home, KeyStore(), create=False)
    try:
        actor = cli_actor(store, args.user)
        log = AuditLog(store)
        if args.action == "verify":
            report = log.verify()
            if not report.intact:
                print(f"cockpit: {report.message()}", file=sys.stderr)
                return EXIT_CHAIN_BROKEN
            print(report.message() + (f" (head {report.head_hash})" if report.head_hash else ""))
            return 0
        patient = log.patient_keys(args.patient) if args.patient is not None else None
        query = AuditQuery(
            patient=patient, user=args.audit_user, since=args.since, until=args.until, data_out=args.data_out
        )
        entries = log.query(actor, query, args.purpose)
    finally:
        store.close()
    _print(entries, args)
    return 0


def _print(entries: list[AuditRecord], args: argparse.Namespace) -> None:
    rows = [entry.as_json() for entry in entries]
    if args.json:
        import orjson  # noqa: PLC0415

        sys.stdout.buffer.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.flush()
        return
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(_CSV_COLUMNS)
        writer.writerows([row[c] for c in _CSV_COLUMNS] for row in rows)
        return
    for entry in entries:
        print(_line(entry))
    print(f"{len(entries):,} entries", file=sys.stderr)


def _line(entry: AuditRecord) -> str:
    when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    who = f"{entry.user} ({entry.role or 'single-user'}) @ {entry.workstation}"
    what: list[str] = []
    if entry.patient_fhir_id is not None or entry.patient_id is not None:
        what.append(f"patient {entry.patient_fhir_id or '?'} (id {entry.patient_id or '-'})")
    for label, value in (
        ("list", entry.list_ref),
        ("patients", entry.patient_count),
        ("to", entry.destination),
        ("purpose", entry.purpose),
    ):
        if value is not None:
            what.append(f"{label} {value}")
    return f"{entry.id:>8}  {when}  {entry.action:<15} {who}  {'; '.join(what)}"


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("give the date as YYYY-MM-DD") from None
