"""Worklists and their plans: a new list from the indicators' hits, the implementation plan, and every
list with its figures (no patient named, so nothing is recorded in the audit log).

Every transaction that writes begins IMMEDIATE (``cockpit.store.transactions``); each function checks
the actor's permission itself, so the window and the CLI get the same rules (``WORK_LISTS``).
"""

import statistics
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import date

from sqlalchemy import Connection, and_, case, func, insert, select, update

from cockpit.errors import InputError
from cockpit.indicators.engine import evaluate_many
from cockpit.indicators.model import Indicator
from cockpit.indicators.service import IndicatorService
from cockpit.models.worklists import Worklist
from cockpit.privacy.identity import Actor, Permission, require
from cockpit.store import Store
from cockpit.store.transactions import immediate_connection
from cockpit.worklists.errors import WorklistNotFoundError
from cockpit.worklists.installed import installed_indicators
from cockpit.worklists.model import (
    CLOSED_BY_STAFF,
    OPEN_STATUSES,
    RESOLVED,
    STATUSES,
    Figures,
    ListSummary,
    Plan,
    utc_now,
)
from cockpit.worklists.records import DbRow, I, L, fhir_ids_of, insert_items, new_item, reading

# --- creating lists -------------------------------------------------------------------------------------


def create_list(
    store: Store,
    actor: Actor,
    indicator_ids: Sequence[str],
    as_of: date,
    *,
    name: str | None = None,
    follows: bool = False,
    patient_ids: Collection[int] | None = None,
    indicators: IndicatorService | None = None,
) -> int:
    """A new list of every hit of ``indicator_ids`` on ``as_of`` (or only of ``patient_ids``, a selection
    from a risk list), each item with the evidence of its hit. Returns the list's id."""
    require(actor, Permission.WORK_LISTS)
    if not indicator_ids:
        raise InputError("Give at least one indicator to make a worklist from.")
    if follows and patient_ids is not None:
        # Following would add the hits left out of the selection on the next re-evaluation.
        raise InputError(
            "A list of selected patients cannot follow its indicators (the others would be added on the "
            "next re-evaluation); make a list of all hits to follow them."
        )
    registry, choice = installed_indicators(store, indicators)
    chosen = _unique([registry.indicator(i) for i in indicator_ids])
    title = (name or "").strip() or ", ".join(i.id for i in chosen)
    if len(title) > 200:
        raise InputError("The list's name is too long; use at most 200 characters.")
    thresholds = {i.id: choice.thresholds_for(i) for i in chosen}
    now = utc_now()
    with immediate_connection(store) as conn:
        results = evaluate_many(conn, chosen, as_of, thresholds=thresholds, patient_ids=patient_ids)
        list_id = conn.execute(
            insert(Worklist)
            .values(
                name=title,
                created_by=actor.user,
                created_at=now,
                indicator_ids=[i.id for i in chosen],
                follows=follows,
                last_evaluated_at=now,
            )
            .returning(L.id)
        ).scalar_one()
        fhir_ids = fhir_ids_of(conn, {hit.patient_id for result in results for hit in result.hits})
        rows = [
            new_item(
                list_id=list_id,
                indicator_id=result.indicator_id,
                patient_id=hit.patient_id,
                fhir_id=fhir_ids[hit.patient_id],
                evidence=hit.evidence,
                now=now,
            )
            for result in results
            for hit in result.hits
            if hit.patient_id in fhir_ids
        ]
        insert_items(conn, actor, rows, now)
    return int(list_id)


def _unique(indicators: Iterable[Indicator]) -> list[Indicator]:
    seen: dict[str, Indicator] = {}
    for indicator in indicators:
        seen.setdefault(indicator.id, indicator)
    return list(seen.values())


# --- the plan -------------------------------------------------------------------------------------------


def set_plan(store: Store, actor: Actor, list_id: int, plan: Plan) -> None:
    """Write (or replace) the list's implementation plan."""
    require(actor, Permission.WORK_LISTS)
    for label, text in (("what", plan.what), ("how", plan.how), ("who", plan.who)):
        if not text.strip():
            raise InputError(f"The plan needs '{label}': say it in a few words.")
    if plan.review is not None and plan.review < plan.by:
        raise InputError("The review date comes before the plan's deadline; choose a later review date.")
    with immediate_connection(store) as conn:
        changed = conn.execute(
            update(Worklist)
            .where(L.id == list_id)
            .values(
                plan_what=plan.what.strip(),
                plan_how=plan.how.strip(),
                plan_who=plan.who.strip(),
                plan_by=plan.by,
                plan_target=plan.target,
                plan_review=plan.review,
                plan_changed_by=actor.user,
                plan_changed_at=utc_now(),
            )
        ).rowcount
    if not changed:
        raise WorklistNotFoundError(f"There is no worklist {list_id}; 'cockpit worklist list' shows them.")


# --- reading --------------------------------------------------------------------------------------------


def list_lists(store: Store, actor: Actor, today: date) -> list[ListSummary]:
    """Every list with its figures (no patient is named, so nothing is recorded in the audit log)."""
    require(actor, Permission.WORK_LISTS)
    with reading(store) as conn:
        lists = conn.execute(select(Worklist.__table__).order_by(L.id)).all()
        figures = _figures(conn, today, [row.id for row in lists])
    return [_summary(row, figures[row.id]) for row in lists]


def get_list(store: Store, actor: Actor, list_id: int, today: date) -> ListSummary:
    require(actor, Permission.WORK_LISTS)
    with reading(store) as conn:
        row = conn.execute(select(Worklist.__table__).where(L.id == list_id)).first()
        if row is None:
            raise WorklistNotFoundError(
                f"There is no worklist {list_id}; 'cockpit worklist list' shows them."
            )
        return _summary(row, _figures(conn, today, [list_id])[list_id])


def _summary(row: DbRow, figures: Figures) -> ListSummary:
    plan = None
    if row.plan_what is not None and row.plan_by is not None:
        plan = Plan(
            what=row.plan_what,
            how=row.plan_how or "",
            who=row.plan_who or "",
            by=row.plan_by,
            target=row.plan_target,
            review=row.plan_review,
        )
    return ListSummary(
        id=row.id,
        name=row.name,
        created_by=row.created_by,
        created_at=row.created_at,
        indicator_ids=tuple(row.indicator_ids),
        follows=row.follows,
        plan=plan,
        figures=figures,
        last_evaluated_at=row.last_evaluated_at,
    )


def _figures(conn: Connection, today: date, list_ids: list[int]) -> dict[int, Figures]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    overdue_expr = and_(I.status.in_(OPEN_STATUSES), I.due < today)
    query = (
        select(I.list_id, I.status, func.count(), func.sum(case((overdue_expr, 1), else_=0)))
        .where(I.list_id.in_(list_ids))
        .group_by(I.list_id, I.status)
    )
    for list_id, status, count, overdue in conn.execute(query):
        counts[list_id][status] += count
        counts[list_id]["overdue"] += int(overdue or 0)
    days: dict[int, list[float]] = defaultdict(list)
    closed = select(I.list_id, I.created_at, I.closed_at).where(
        I.list_id.in_(list_ids), I.closed_at.is_not(None)
    )
    for list_id, created, closed_at in conn.execute(closed):
        days[list_id].append((closed_at - created).total_seconds() / 86_400)
    figures = {}
    for list_id in list_ids:
        c = counts[list_id]
        spans = days[list_id]
        figures[list_id] = Figures(
            total=sum(c[s] for s in STATUSES),
            open=sum(c[s] for s in OPEN_STATUSES),
            overdue=c["overdue"],
            done=c["done"],
            closed_other=sum(c[s] for s in CLOSED_BY_STAFF if s != "done"),
            auto_resolved=c[RESOLVED],
            median_days_to_close=round(statistics.median(spans), 1) if spans else None,
        )
    return figures


__all__ = ["create_list", "get_list", "list_lists", "set_plan"]
