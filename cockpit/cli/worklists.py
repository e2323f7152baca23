"""CLI commands ``cockpit worklist create|list|items|set|history|plan|reevaluate|export``, through the
window's WorklistService. Every command signs in with the ``work_lists`` permission. Only ``items`` prints
CPR numbers and names: on stdout, which is its purpose, recorded as ``list.show`` (with ``--json`` also in
the data-out ledger, naming where stdout goes, as ``cockpit risk --json``)."""

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from cockpit.cli.output import print_json, stdout_destination
from cockpit.cli.session import signed_in
from cockpit.errors import InputError
from cockpit.privacy.audit import AuditService
from cockpit.privacy.identity import Permission
from cockpit.services.worklists import WorklistService
from cockpit.worklists.model import ItemChange, ItemFilter, Plan, local_text

# --- handlers -------------------------------------------------------------------------------------------


def cmd_create(args: argparse.Namespace) -> int:
    with _worklists(args, args.as_of) as (worklists, _):
        summary = worklists.create(args.indicator, name=args.name, follows=args.follow)
    if args.json:
        print_json(summary.as_json())
    else:
        follows = ", follows its indicators" if summary.follows else ""
        print(f"Created worklist {summary.id} ({summary.name}): {summary.figures.total:,} items{follows}.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with _worklists(args, args.as_of) as (worklists, _):
        lists = worklists.lists()
    if args.json:
        print_json([summary.as_json() for summary in lists])
        return 0
    for s in lists:
        f = s.figures
        median = f"{f.median_days_to_close:g}" if f.median_days_to_close is not None else "-"
        print(
            f"{s.id:>4}  {s.name[:40]:<40}  open {f.open:>5,}  overdue {f.overdue:>4,}  done {f.done:>5,}  "
            f"auto-resolved {f.auto_resolved:>5,}  median days {median}"
        )
        if s.plan is not None:
            target = f", target {s.plan.target}" if s.plan.target else ""
            print(f"      plan: {s.plan.what} (how: {s.plan.how}; who: {s.plan.who}; by {s.plan.by}{target})")
    print(f"{len(lists)} worklists", file=sys.stderr)
    return 0


def cmd_items(args: argparse.Namespace) -> int:
    where = ItemFilter(
        mine=args.mine,
        overdue=args.overdue,
        statuses=tuple(args.status or ()),
        indicator_id=args.indicator,
        open_only=args.open,
    )
    with _worklists(args, args.as_of) as (worklists, audit):
        items = worklists.items(args.list, where)
        if args.json:  # machine-readable, for a file or another program: in the data-out ledger too
            audit.record_data_out("json", stdout_destination(), len(items), f"worklist:{args.list}")
    if args.json:
        print_json([item.as_json() for item in items])
        return 0
    for item in items:
        due = (item.due.isoformat() if item.due else "-") + ("!" if item.overdue else " ")
        assignee = item.assignee or "-"
        print(
            f"{item.id:>6} v{item.version:<3} {item.status:<12} {due:<12} {assignee:<16} "
            f"{item.cpr or '-':<10}  {item.name or '(no longer in the store)'}  [{item.indicator_id}]"
        )
        for line in item.resolved_evidence or item.evidence:
            print(f"{'':>12}{line}")
    print(f"{len(items):,} items", file=sys.stderr)
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    if args.version is not None and len(args.items) != 1:
        raise InputError("--version goes with one item; for several, leave it out.")
    change = ItemChange(
        status=args.status,
        reason=args.reason,
        assignee=args.assignee,
        due=args.due,
        clear_due=args.no_due,
        priority=args.priority,
        note=args.note,
    )
    with _worklists(args) as (worklists, _):
        versions = worklists.update_many(dict.fromkeys(args.items, args.version), change)
    if args.json:
        print_json([{"item": i, "version": v} for i, v in zip(args.items, versions, strict=True)])
    else:
        for item_id, version in zip(args.items, versions, strict=True):
            print(f"Item {item_id}: version {version}.")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    with _worklists(args) as (worklists, _):
        events = worklists.history(args.item)
    if args.json:
        print_json([event.as_json() for event in events])
        return 0
    for e in events:
        what = (
            f"note: {e.new_value}"
            if e.kind == "note"
            else f"{e.field}: {e.old_value or '-'} -> {e.new_value or '-'}"
            if e.field
            else f"{e.kind} ({e.new_value})"
            if e.kind == "created"
            else e.kind
        )
        print(f"v{e.version:<3} {local_text(e.at)}  {e.user:<12} {e.kind:<8} {what}")
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    plan = Plan(
        what=args.what, how=args.how, who=args.who, by=args.by, target=args.target, review=args.review
    )
    with _worklists(args) as (worklists, _):
        worklists.set_plan(args.list, plan)
    print(f"Worklist {args.list}: plan saved.")
    return 0


def cmd_reevaluate(args: argparse.Namespace) -> int:
    with _worklists(args, args.as_of) as (worklists, _):
        outcome = worklists.reevaluate()
    if args.json:
        print_json(outcome.as_json())
        return 0
    print(
        f"Re-evaluated on {outcome.as_of}: {outcome.resolved:,} items resolved by the data, "
        f"{outcome.confirmed:,} closed items confirmed, {outcome.added:,} new items on following lists."
    )
    for indicator_id in outcome.missing_indicators:
        print(
            f"cockpit: warning: indicator {indicator_id} is no longer installed; "
            "its items were left as they are",
            file=sys.stderr,
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    where = ItemFilter(mine=args.mine, overdue=args.overdue, open_only=not args.all)
    with _worklists(args, args.as_of) as (worklists, _):
        count = worklists.export_csv(args.list, args.csv, where)
    print(f"Wrote {count:,} items of worklist {args.list} to {args.csv} (recorded in the data-out ledger).")
    return 0


# --- helpers --------------------------------------------------------------------------------------------


@contextmanager
def _worklists(
    args: argparse.Namespace, today: date | None = None
) -> Iterator[tuple[WorklistService, AuditService]]:
    """The window's worklist and audit services for the signed-in actor, who must be allowed to use
    worklists, with ``today`` as the worklists' day (default: today); the store is closed afterwards."""
    day = today or date.today()
    with signed_in(args, Permission.WORK_LISTS) as (store, actor):
        yield WorklistService(store, lambda: actor, lambda: day), AuditService(store, lambda: actor)
