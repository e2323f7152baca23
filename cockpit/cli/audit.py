"""CLI commands: ``audit`` (read the log, or the data-out ledger; recorded as ``audit.read``) and
``audit verify`` (walk the hash chain), through the window's AuditService (the same search)."""

import argparse
import csv
import sys

from cockpit.cli.output import print_json
from cockpit.cli.session import signed_in
from cockpit.errors import InputError
from cockpit.privacy.audit import AuditRecord, AuditService

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


def cmd_audit(args: argparse.Namespace) -> int:
    if args.since and args.until and args.since > args.until:
        raise InputError("--since is after --until; give the earlier day first.")
    with signed_in(args, create=False) as (store, actor):
        audit = AuditService(store, lambda: actor)
        if args.action == "verify":
            report = audit.verify()
            if not report.intact:
                print(f"cockpit: {report.message()}", file=sys.stderr)
                return EXIT_CHAIN_BROKEN
            print(report.message() + (f" (head {report.head_hash})" if report.head_hash else ""))
            return 0
        entries = audit.search(
            patient=args.patient,
            user=args.audit_user,
            since=args.since,
            until=args.until,
            data_out=args.data_out,
            purpose=args.purpose,
        )
    _print(entries, args)
    return 0


def _print(entries: list[AuditRecord], args: argparse.Namespace) -> None:
    rows = [entry.as_json() for entry in entries]
    if args.json:
        print_json(rows)
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
