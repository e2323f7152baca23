"""CLI commands ``patients`` and ``overview``: the patients in the store, through the window's
PatientService. They print names and CPR numbers on stdout, which is their purpose (audited as the
window's look-ups are)."""

import argparse
import sys
from typing import Any

from cockpit.cli.output import print_json
from cockpit.cli.session import signed_in
from cockpit.privacy.identity import Permission
from cockpit.services.patients import PatientService


def cmd_patients(args: argparse.Namespace) -> int:
    with signed_in(args, Permission.VIEW_CONTACT) as (store, actor):
        patients = PatientService(store, lambda: actor).search(args.search, limit=args.limit)
    if args.json:
        print_json([p.as_json() for p in patients])
        return 0
    for p in patients:
        born = p.birth_date.isoformat() if p.birth_date else "?"
        print(f"{p.id:>7}  {p.cpr or '-':<10}  {born}  {p.sex:<7}  {p.name}")
    print(f"{len(patients):,} patients", file=sys.stderr)
    return 0


def cmd_overview(args: argparse.Namespace) -> int:
    with signed_in(args, Permission.VIEW_CLINICAL) as (store, actor):
        record = PatientService(store, lambda: actor).record_by_ref(args.patient)  # audited as patient.open
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
