"""CLI commands ``demo`` and ``import``: a fictitious practice written as FHIR, and FHIR data into the
store (after which the worklists' loop is closed, as after a sync)."""

import argparse
import sys
from datetime import date

from cockpit.cli.output import print_json
from cockpit.cli.session import opened, report_reevaluation, sign_in
from cockpit.demo.generator import generate_practice
from cockpit.errors import StoreFullError
from cockpit.fhir.importer import ImportProgress, import_path
from cockpit.privacy.identity import Permission
from cockpit.services.worklists import close_the_loop
from cockpit.store.errors import disk_full_error


def cmd_import(args: argparse.Namespace) -> int:
    show = sys.stderr.isatty()

    def progress(p: ImportProgress) -> None:
        if show:
            print(f"\rImporting … {p.fraction:6.1%}  {p.resources:,} resources", end="", file=sys.stderr)

    with opened(args) as store:
        try:
            sign_in(args, store, Permission.SYNC)
            summary = import_path(store, args.path, progress)
            if summary.inserted or summary.updated:
                report_reevaluation(close_the_loop(store, date.today()))
        except StoreFullError:
            raise disk_full_error(args.home) from None  # the same message, with the free space of the home
        finally:
            if show:
                print(file=sys.stderr)
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


def cmd_demo(args: argparse.Namespace) -> int:
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
