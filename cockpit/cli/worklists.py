"""CLI commands: ``cockpit worklist create|list|items|set|history|plan|reevaluate|export`` (registered on
cockpit.cli's parser by ``add_commands``). Every command signs in with the ``work_lists`` permission
(``args.sign_in``, handed over by cockpit.cli). Only ``items`` prints CPR numbers and names: on stdout,
which is its purpose, recorded as ``list.show`` (with ``--json`` also in the data-out ledger, naming where
stdout goes, as ``cockpit risk --json``)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

# Only the standard library here (and cockpit.output, which cockpit.cli has loaded): cockpit.cli builds its
# parser on every start, so the handlers import what they need (the engine, the store) when they run.
from cockpit.output import print_json, stdout_destination

if TYPE_CHECKING:
    from cockpit.security.identity import Actor
    from cockpit.store import Store

Subparsers = argparse._SubParsersAction  # argparse names no public type for it

STATUSES = ("new", "contacted", "booked", "done", "not_relevant", "declined", "moved_away", "resolved")
PRIORITIES = {"high": 1, "normal": 2, "low": 3, "1": 1, "2": 2, "3": 3}


def record_id(text: str) -> int:
    """A list or item number as the store keeps them (32-bit on both stores: PostgreSQL refuses to
    compare an INTEGER column with anything larger, so an absurd number is an input error here)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < 2**31:
        raise argparse.ArgumentTypeError(f"{text} is not a list or item number")
    return value


def add_commands(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("worklist", help="follow-up worklists: create, work through, close the loop")
    actions = p.add_subparsers(dest="worklist_action", metavar="ACTION", required=True)

    q = actions.add_parser("create", help="a list of the hits of one or more indicators")
    q.add_argument("--indicator", action="append", required=True, metavar="ID", help="repeat for more")
    q.add_argument("--name", default=None)
    q.add_argument("--follow", action="store_true", help="add new hits on each re-evaluation")
    q.add_argument("--as-of", type=_iso_date, default=None, help="date YYYY-MM-DD (default: today)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_create)

    q = actions.add_parser("list", help="the lists, with open, overdue, done, auto-resolved, median days")
    q.add_argument("--as-of", type=_iso_date, default=None, help="what counts as overdue (default: today)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_list)
    _add_item_commands(actions)
    _add_list_commands(actions)


def _add_item_commands(actions: Subparsers[argparse.ArgumentParser]) -> None:
    q = actions.add_parser("items", help="a list's items (patients named; recorded in the audit log)")
    q.add_argument("list", type=record_id, metavar="LIST")
    q.add_argument("--mine", action="store_true", help="assigned to me or to my role")
    q.add_argument("--overdue", action="store_true", help="open and past the due date")
    q.add_argument("--status", action="append", choices=STATUSES, default=None, help="repeat for more")
    q.add_argument("--open", action="store_true", help="only new, contacted and booked")
    q.add_argument("--indicator", default=None, metavar="ID")
    q.add_argument("--as-of", type=_iso_date, default=None, help="what counts as overdue (default: today)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_items)

    q = actions.add_parser("set", help="change items: status, assignee, due date, priority, a note")
    q.add_argument("items", type=record_id, nargs="+", metavar="ITEM", help="one item, or several (bulk)")
    q.add_argument("--status", choices=STATUSES[:-1], default=None)
    q.add_argument("--reason", default=None, help="reason code for not_relevant, declined, moved_away")
    q.add_argument("--assignee", default=None, help="a user name, a role (nurse or role:nurse), '' to clear")
    due = q.add_mutually_exclusive_group()
    due.add_argument("--due", type=_iso_date, default=None, help="date YYYY-MM-DD")
    due.add_argument("--no-due", action="store_true", help="remove the due date")
    q.add_argument("--priority", type=_priority, default=None, help="high, normal or low")
    q.add_argument("--note", default=None)
    q.add_argument(
        "--version",
        type=record_id,
        default=None,
        help="the version you saw (one item): refused if it changed",
    )
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_set)

    q = actions.add_parser("history", help="who changed what on an item, and when")
    q.add_argument("item", type=record_id, metavar="ITEM")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_history)


def _add_list_commands(actions: Subparsers[argparse.ArgumentParser]) -> None:
    q = actions.add_parser("plan", help="the list's implementation plan")
    q.add_argument("list", type=record_id, metavar="LIST")
    q.add_argument("--what", required=True, help="what the practice will change")
    q.add_argument("--how", required=True)
    q.add_argument("--who", required=True)
    q.add_argument("--by", type=_iso_date, required=True, help="deadline YYYY-MM-DD")
    q.add_argument("--target", default=None, help="the target figure, e.g. '90 %% with HbA1c'")
    q.add_argument("--review", type=_iso_date, default=None, help="review date YYYY-MM-DD")
    q.set_defaults(func=cmd_plan)

    q = actions.add_parser("reevaluate", help="close the loop: resolve items the data shows done, add hits")
    q.add_argument("--as-of", type=_iso_date, default=None, help="date YYYY-MM-DD (default: today)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_reevaluate)

    q = actions.add_parser("export", help="a call list as CSV (recorded in the data-out ledger)")
    q.add_argument("list", type=record_id, metavar="LIST")
    q.add_argument("--csv", type=Path, required=True, metavar="FILE")
    q.add_argument("--all", action="store_true", help="closed items too (default: the open ones)")
    q.add_argument("--mine", action="store_true")
    q.add_argument("--overdue", action="store_true")
    q.add_argument("--as-of", type=_iso_date, default=None)
    q.set_defaults(func=cmd_export)


# --- handlers -------------------------------------------------------------------------------------------


def cmd_create(args: argparse.Namespace) -> int:
    from cockpit.worklists import service  # noqa: PLC0415

    today = args.as_of or date.today()
    with _signed_in(args) as (store, actor):
        list_id = service.create_list(
            store, actor, args.indicator, today, name=args.name, follows=args.follow
        )
        summary = service.get_list(store, actor, list_id, today)
    if args.json:
        print_json(summary.as_json())
    else:
        follows = ", follows its indicators" if summary.follows else ""
        print(f"Created worklist {summary.id} ({summary.name}): {summary.figures.total:,} items{follows}.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from cockpit.worklists import service  # noqa: PLC0415

    with _signed_in(args) as (store, actor):
        lists = service.list_lists(store, actor, args.as_of or date.today())
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
    from cockpit.worklists import service  # noqa: PLC0415
    from cockpit.worklists.model import ItemFilter  # noqa: PLC0415

    where = ItemFilter(
        mine=args.mine,
        overdue=args.overdue,
        statuses=tuple(args.status or ()),
        indicator_id=args.indicator,
        open_only=args.open,
    )
    with _signed_in(args) as (store, actor):
        items = service.list_items(store, actor, args.list, args.as_of or date.today(), where)
        if args.json:  # machine-readable, for a file or another program: in the data-out ledger too
            from cockpit.privacy.audit import AuditLog  # noqa: PLC0415

            AuditLog(store).record_data_out(
                actor, "json", stdout_destination(), len(items), f"worklist:{args.list}"
            )
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
    from cockpit.errors import InputError  # noqa: PLC0415
    from cockpit.worklists import service  # noqa: PLC0415
    from cockpit.worklists.model import ItemChange  # noqa: PLC0415

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
    with _signed_in(args) as (store, actor):
        versions = service.update_items(store, actor, dict.fromkeys(args.items, args.version), change)
    if args.json:
        print_json([{"item": i, "version": v} for i, v in zip(args.items, versions, strict=True)])
    else:
        for item_id, version in zip(args.items, versions, strict=True):
            print(f"Item {item_id}: version {version}.")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from cockpit.worklists import service  # noqa: PLC0415
    from cockpit.worklists.model import local_text  # noqa: PLC0415

    with _signed_in(args) as (store, actor):
        events = service.history(store, actor, args.item)
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
    from cockpit.worklists import service  # noqa: PLC0415
    from cockpit.worklists.model import Plan  # noqa: PLC0415

    plan = Plan(
        what=args.what, how=args.how, who=args.who, by=args.by, target=args.target, review=args.review
    )
    with _signed_in(args) as (store, actor):
        service.set_plan(store, actor, args.list, plan)
    print(f"Worklist {args.list}: plan saved.")
    return 0


def cmd_reevaluate(args: argparse.Namespace) -> int:
    from cockpit.worklists import service  # noqa: PLC0415

    with _signed_in(args) as (store, actor):
        outcome = service.reevaluate(store, args.as_of or date.today(), actor=actor)
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
    from cockpit.worklists.exports import export_items_csv  # noqa: PLC0415
    from cockpit.worklists.model import ItemFilter  # noqa: PLC0415

    where = ItemFilter(mine=args.mine, overdue=args.overdue, open_only=not args.all)
    with _signed_in(args) as (store, actor):
        count = export_items_csv(store, actor, args.list, args.csv, args.as_of or date.today(), where=where)
    print(f"Wrote {count:,} items of worklist {args.list} to {args.csv} (recorded in the data-out ledger).")
    return 0


# --- helpers --------------------------------------------------------------------------------------------


class _signed_in:  # a context manager, named like a function
    """The open store and the signed-in actor, who must be allowed to use worklists; closes the store."""

    def __init__(self, args: argparse.Namespace) -> None:
        self._args = args
        self._store: Store | None = None

    def __enter__(self) -> tuple[Store, Actor]:
        from cockpit.security.keys import KeyStore  # noqa: PLC0415
        from cockpit.store import open_store  # noqa: PLC0415

        self._store = open_store(self._args.home, KeyStore())
        try:
            actor: Actor = self._args.sign_in(self._store, "work_lists")
        except BaseException:
            self._store.close()
            raise
        return self._store, actor

    def __exit__(self, *exc: object) -> None:
        if self._store is not None:
            self._store.close()


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("give the date as YYYY-MM-DD") from None


def _priority(text: str) -> int:
    value = PRIORITIES.get(text.strip().lower())
    if value is None:
        raise argparse.ArgumentTypeError("the priority is high, normal or low")
    return value
