"""Follow-up worklists on the store: create from indicators, work items with optimistic locking, close the
loop on re-evaluation, and the figures per list.

Every transaction that writes begins IMMEDIATE (``cockpit.store.transactions``): look-ups commit audit
entries concurrently. Each function checks the actor's permission itself, so every caller (window, CLI)
gets the same rules: ``WORK_LISTS`` to read and work lists, and to create them and write their plans (the
practice decides who organises follow-up, not the role table); ``EXPORT`` as well for a CSV file.
"""

import hashlib
import statistics
import threading
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, and_, bindparam, case, exists, func, insert, or_, select, update
from sqlalchemy.sql import ColumnElement, Select

from cockpit.errors import InputError
from cockpit.indicators.dates import dk_date
from cockpit.indicators.engine import IndicatorResult, evaluate_many
from cockpit.indicators.errors import IndicatorNotFoundError
from cockpit.indicators.model import Everyone, Indicator, Not
from cockpit.indicators.registry import PackRegistry, imported_dir
from cockpit.indicators.selection import CHOICE_FILE, PracticeChoice
from cockpit.indicators.service import IndicatorService
from cockpit.models.audit import AuditAction
from cockpit.models.clinical import Patient
from cockpit.models.users import PracticeUser
from cockpit.models.worklists import Worklist, WorklistItem, WorklistItemEvent
from cockpit.privacy.audit import append
from cockpit.security.identity import ROLE_PERMISSIONS, Actor, Permission, Role, require
from cockpit.store import Store
from cockpit.store.errors import translate_db_errors
from cockpit.store.transactions import immediate_connection
from cockpit.worklists.errors import ConflictError, WorklistNotFoundError
from cockpit.worklists.model import (
    CLOSED_BY_STAFF,
    OPEN_STATUSES,
    PRIORITY_NAMES,
    REASONS,
    RESOLVED,
    ROLE_PREFIX,
    SORT_KEYS,
    STATUSES,
    Assignee,
    Figures,
    ItemChange,
    ItemEvent,
    ItemFilter,
    ItemPage,
    ItemSort,
    ItemView,
    ListSummary,
    Plan,
    Reevaluation,
    local_text,
    utc_now,
)

CHUNK: Final = 2000  # ids per IN (...): well under the bound-parameter limits
PAGE: Final = 200  # items per window of the staff view
MAX_PAGE: Final = 20_000
DbRow = Any  # a result row (SQLAlchemy's Row generics do not survive being passed around)
SYSTEM_USER: Final = "system"  # who the closed loop acts as when no one is signed in
MAX_NAMED_CONFLICTS: Final = 3
ITEMS = WorklistItem.__table__
I = ITEMS.c  # noqa: E741
E = WorklistItemEvent.__table__.c
L = Worklist.__table__.c
P = Patient.__table__.c
_ITEMS_WITH_PATIENTS: Final = ITEMS.outerjoin(Patient.__table__, P.fhir_id == I.patient_fhir_id)


# The installed indicators and the practice's choice, per store home, with the digest of the files they
# were read from. Parsing the built-in YAML packs takes most of a second, and every import and sync
# re-evaluates the lists (inside its write transaction): they are read again only when an imported pack or
# the practice's choice changed. A few homes at most (one per store a process has open).
_INSTALLED: dict[str, tuple[tuple[tuple[str, str], ...], PackRegistry, PracticeChoice]] = {}
_INSTALLED_HOMES: Final = 4
_INSTALLED_LOCK: Final = threading.Lock()


def _installed(store: Store, given: IndicatorService | None) -> tuple[PackRegistry, PracticeChoice]:
    if given is not None:
        return given.registry, given.choice
    home = store.paths.home
    signature = _pack_files(home)
    with _INSTALLED_LOCK:
        cached = _INSTALLED.get(str(home))
        if cached is None or cached[0] != signature:
            cached = (signature, PackRegistry.load(home), PracticeChoice.load(home))
            _INSTALLED.pop(str(home), None)
            while len(_INSTALLED) >= _INSTALLED_HOMES:
                _INSTALLED.pop(next(iter(_INSTALLED)))
            _INSTALLED[str(home)] = cached
    return cached[1], cached[2]


def _pack_files(home: Path) -> tuple[tuple[str, str], ...]:
    """Name and content digest of each file the installed indicators are read from besides the built-in
    packs (which are part of the program): reading and hashing them is cheap, parsing is not."""
    files = [*sorted(imported_dir(home).glob("*.yaml")), home / CHOICE_FILE]
    found = []
    for path in files:
        try:
            found.append((path.name, hashlib.sha256(path.read_bytes()).hexdigest()))
        except FileNotFoundError:
            continue
    return tuple(found)


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
    registry, choice = _installed(store, indicators)
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
        fhir_ids = _fhir_ids(conn, {hit.patient_id for result in results for hit in result.hits})
        rows = [
            _new_item(
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
        _insert_items(conn, actor, rows, now)
    return int(list_id)


def _unique(indicators: Iterable[Indicator]) -> list[Indicator]:
    seen: dict[str, Indicator] = {}
    for indicator in indicators:
        seen.setdefault(indicator.id, indicator)
    return list(seen.values())


def _new_item(
    *, list_id: int, indicator_id: str, patient_id: int, fhir_id: str, evidence: Sequence[str], now: datetime
) -> dict[str, Any]:
    return {
        "list_id": list_id,
        "patient_id": patient_id,
        "patient_fhir_id": fhir_id,
        "indicator_id": indicator_id,
        "evidence": list(evidence),
        "added_by": "",
        "status": "new",
        "priority": 2,
        "version": 1,
        "created_at": now,
    }


def _insert_items(conn: Connection, actor: Actor, rows: list[dict[str, Any]], now: datetime) -> None:
    """Insert items and their "created" events (version 1)."""
    if not rows:
        return
    for row in rows:
        row["added_by"] = actor.user
    ids = conn.execute(insert(WorklistItem).returning(I.id, sort_by_parameter_order=True), rows).scalars()
    conn.execute(
        insert(WorklistItemEvent),
        [_event(item_id, 1, now, actor, "created", None, None, "new") for item_id in ids],
    )


def _event(  # noqa: PLR0917 (one history row: its fields in the order they are read)
    item_id: int,
    version: int,
    now: datetime,
    actor: Actor | None,
    kind: str,
    field: str | None,
    old: object,
    new: object,
) -> dict[str, Any]:
    return {
        "item_id": item_id,
        "version": version,
        "at": now,
        "user": actor.user if actor is not None else SYSTEM_USER,
        "role": None if actor is None or actor.role is None else str(actor.role),
        "workstation": actor.workstation if actor is not None else None,
        "kind": kind,
        "field": field,
        "old_value": _text(old),
        "new_value": _text(new),
    }


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _fhir_ids(conn: Connection, patient_ids: Iterable[int]) -> dict[int, str]:
    ids = list(patient_ids)
    found: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found.update((row[0], row[1]) for row in conn.execute(select(P.id, P.fhir_id).where(P.id.in_(chunk))))
    return found


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
    with _reading(store) as conn:
        lists = conn.execute(select(Worklist.__table__).order_by(L.id)).all()
        figures = _figures(conn, today, [row.id for row in lists])
    return [_summary(row, figures[row.id]) for row in lists]


def get_list(store: Store, actor: Actor, list_id: int, today: date) -> ListSummary:
    require(actor, Permission.WORK_LISTS)
    with _reading(store) as conn:
        row = conn.execute(select(Worklist.__table__).where(L.id == list_id)).first()
        if row is None:
            raise WorklistNotFoundError(
                f"There is no worklist {list_id}; 'cockpit worklist list' shows them."
            )
        return _summary(row, _figures(conn, today, [list_id])[list_id])


@contextmanager
def _reading(store: Store) -> Iterator[Connection]:
    """A read-only transaction (one consistent snapshot)."""
    with translate_db_errors(), store.engine.connect() as conn, conn.begin():
        yield conn


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


def list_items(
    store: Store, actor: Actor, list_id: int, today: date, where: ItemFilter | None = None
) -> list[ItemView]:
    """The list's items (patients named): recorded in the audit log as ``list.show`` with the count, in
    the same transaction as the read."""
    require(actor, Permission.WORK_LISTS)
    with immediate_connection(store) as conn:
        found = _read_items(conn, actor, today, [I.list_id == list_id], where or ItemFilter(), list_id)
        append(conn, actor, AuditAction.LIST_SHOW, list_ref=f"worklist:{list_id}", patient_count=len(found))
    return found


def page_items(  # noqa: PLR0917 (what to show, as the list_items call, plus the window)
    store: Store,
    actor: Actor,
    list_id: int,
    today: date,
    where: ItemFilter | None = None,
    sort: ItemSort | None = None,
    *,
    offset: int = 0,
    limit: int = PAGE,
) -> ItemPage:
    """A window of the list's items (``limit`` from ``offset``) and how many match in all: what the staff
    view fetches as it scrolls. Each window (patients named) is a ``list.show`` with its own count, in the
    same transaction as the read, so the log records the patients actually shown."""
    require(actor, Permission.WORK_LISTS)
    if offset < 0 or not 0 < limit <= MAX_PAGE:
        raise InputError(f"Ask for 1 to {MAX_PAGE} items from an offset of 0 or more.")
    order = _order(sort)
    with immediate_connection(store) as conn:
        query, terms = _item_query(conn, actor, today, [I.list_id == list_id], where or ItemFilter(), list_id)
        total = int(conn.execute(select(func.count()).select_from(ITEMS).where(terms)).scalar_one())
        # The window's ids first (sorting ids and keys, not whole rows with their evidence), then those
        # rows: a window at the end of a long list costs about what the first one does.
        by_patient = sort is not None and sort.key in {"name", "cpr"}
        ids = (
            conn.execute(
                select(I.id)
                .select_from(_ITEMS_WITH_PATIENTS if by_patient else ITEMS)
                .where(terms)
                .order_by(*order)
                .offset(offset)
                .limit(limit)
            )
            .scalars()
            .all()
        )
        rows = {
            row.id: row
            for start in range(0, len(ids), CHUNK)
            for row in conn.execute(query.where(I.id.in_(ids[start : start + CHUNK])))
        }
        clinical = actor.may(Permission.VIEW_RISK_LISTS)
        found = tuple(_view(rows[item_id], today, clinical) for item_id in ids if item_id in rows)
        if found:
            append(
                conn, actor, AuditAction.LIST_SHOW, list_ref=f"worklist:{list_id}", patient_count=len(found)
            )
    return ItemPage(total=total, offset=offset, items=found)


def items_by_id(  # noqa: PLR0917 (as list_items, plus the ids)
    store: Store,
    actor: Actor,
    list_id: int,
    today: date,
    item_ids: Collection[int],
    where: ItemFilter | None = None,
) -> list[ItemView]:
    """These items of the list as they are now, those the filter still shows: what the staff view reads
    after a change instead of the whole list. A ``list.show`` of the patients named."""
    require(actor, Permission.WORK_LISTS)
    ids = sorted(set(item_ids))
    with immediate_connection(store) as conn:
        found = [
            item
            for start in range(0, max(len(ids), 1), CHUNK)
            for item in _read_items(
                conn,
                actor,
                today,
                [I.list_id == list_id, I.id.in_(ids[start : start + CHUNK])],
                where or ItemFilter(),
                list_id,
            )
        ]
        if found:
            append(
                conn, actor, AuditAction.LIST_SHOW, list_ref=f"worklist:{list_id}", patient_count=len(found)
            )
    return found


def assignees(store: Store, actor: Actor) -> list[Assignee]:
    """Whom items can be assigned to: the enabled practice users whose role works lists (by name), then
    those roles. Before the practice has users (single-user mode) the only person is the one signed in.
    Names and roles only; no patient, so nothing is recorded."""
    require(actor, Permission.WORK_LISTS)
    working = [role for role in Role if Permission.WORK_LISTS in ROLE_PERMISSIONS[role]]
    with _reading(store) as conn:
        has_users = conn.execute(select(PracticeUser.id).limit(1)).first() is not None
        users = conn.execute(
            select(PracticeUser.name, PracticeUser.full_name, PracticeUser.role)
            .where(PracticeUser.disabled.is_(False), PracticeUser.role.in_([r.value for r in working]))
            .order_by(PracticeUser.name)
        ).all()
    people = [Assignee(name=u.name, full_name=u.full_name, role=u.role) for u in users]
    if not has_users:
        people = [Assignee(name=actor.user.casefold(), full_name="", role=str(actor.role or ""))]
    return [*people, *(Assignee(name=ROLE_PREFIX + r.value, full_name="", role=r.value) for r in working)]


def items_for_data_out(  # noqa: PLR0917 (as list_items, plus the order)
    store: Store,
    actor: Actor,
    list_id: int,
    today: date,
    where: ItemFilter | None = None,
    sort: ItemSort | None = None,
) -> list[ItemView]:
    """The items of an export or print: the caller records them in the data-out ledger (instead of a
    ``list.show``) before it hands them over (``exports.export_items_csv``)."""
    require(actor, Permission.WORK_LISTS)
    require(actor, Permission.EXPORT)
    with _reading(store) as conn:
        terms = [I.list_id == list_id]
        return _read_items(conn, actor, today, terms, where or ItemFilter(), list_id, sort)


def open_items_for_patient(store: Store, actor: Actor, patient_fhir_id: str, today: date) -> list[ItemView]:
    """The patient's open items on every list, for the attention panel of a patient already opened (and
    recorded as such by the overview): no entry of its own."""
    require(actor, Permission.WORK_LISTS)
    with _reading(store) as conn:
        where = ItemFilter(open_only=True)
        return _read_items(conn, actor, today, [I.patient_fhir_id == patient_fhir_id], where, None)


def item(store: Store, actor: Actor, item_id: int, today: date) -> ItemView:
    """One item (one patient: recorded as ``patient.open``)."""
    require(actor, Permission.WORK_LISTS)
    with immediate_connection(store) as conn:
        found = _read_items(conn, actor, today, [I.id == item_id], ItemFilter(), None)
        if not found:
            raise WorklistNotFoundError(f"There is no worklist item {item_id}.")
        append(
            conn,
            actor,
            AuditAction.PATIENT_OPEN,
            patient_id=found[0].patient_id,
            patient_fhir_id=found[0].patient_fhir_id,
            list_ref=f"worklist-item:{item_id}",
        )
    return found[0]


def history(store: Store, actor: Actor, item_id: int) -> list[ItemEvent]:
    """Who changed what on the item, from what to what, and when; oldest first."""
    require(actor, Permission.WORK_LISTS)
    with _reading(store) as conn:
        rows = conn.execute(
            select(E.item_id, E.version, E.at, E.user, E.role, E.kind, E.field, E.old_value, E.new_value)
            .where(E.item_id == item_id)
            .order_by(E.id)
        ).all()
    return [ItemEvent(*row) for row in rows]


def _read_items(  # noqa: PLR0917
    conn: Connection,
    actor: Actor,
    today: date,
    terms: list[ColumnElement[bool]],
    where: ItemFilter,
    list_id: int | None,
    sort: ItemSort | None = None,
) -> list[ItemView]:
    query, _where = _item_query(conn, actor, today, terms, where, list_id)
    query = query.order_by(*_order(sort))
    clinical = actor.may(Permission.VIEW_RISK_LISTS)
    return [_view(row, today, clinical) for row in conn.execute(query)]


def _item_query(  # noqa: PLR0917
    conn: Connection,
    actor: Actor,
    today: date,
    terms: list[ColumnElement[bool]],
    where: ItemFilter,
    list_id: int | None,
) -> tuple[Select[Any], ColumnElement[bool]]:
    """The items matching ``terms`` and the filter, with the patient's CPR number and name (unordered);
    and that condition alone."""
    if list_id is not None and conn.execute(select(L.id).where(L.id == list_id)).first() is None:
        raise WorklistNotFoundError(f"There is no worklist {list_id}; 'cockpit worklist list' shows them.")
    condition = and_(*terms, *_filter_terms(actor, today, where))
    query = select(ITEMS, P.cpr, P.name.label("patient_name")).select_from(_ITEMS_WITH_PATIENTS)
    return query.where(condition), condition


def _filter_terms(actor: Actor, today: date, where: ItemFilter) -> list[ColumnElement[bool]]:
    terms: list[ColumnElement[bool]] = []
    if where.mine:
        mine = [I.assignee_user == actor.user.casefold()]
        if actor.role is not None:
            mine.append(I.assignee_role == str(actor.role))
        terms.append(or_(*mine))
    if where.overdue:
        terms.append(and_(I.status.in_(OPEN_STATUSES), I.due < today))
    if where.open_only:
        terms.append(I.status.in_(OPEN_STATUSES))
    if where.statuses:
        for status in where.statuses:
            _check_status(status, allow_resolved=True)
        terms.append(I.status.in_(where.statuses))
    if where.indicator_id is not None:
        terms.append(I.indicator_id == where.indicator_id.upper())
    return terms


def _order(sort: ItemSort | None) -> list[ColumnElement[Any]]:
    """ORDER BY terms (portable: no NULLS LAST, which SQLite before 3.30 lacks; a missing value sorts
    last either way). The item's id breaks ties, so pages of the same query never overlap."""
    if sort is None or sort.key is None:
        return [I.priority, I.due.is_(None), I.due, I.id]
    if sort.key not in SORT_KEYS:
        raise InputError(f"Items cannot be sorted by {sort.key!r}; use one of: {', '.join(SORT_KEYS)}.")
    columns: dict[str, ColumnElement[Any]] = {
        "name": P.name,
        "cpr": P.cpr,
        "indicator": I.indicator_id,
        "status": I.status,
        "assignee": func.coalesce(I.assignee_user, I.assignee_role),
        "due": I.due,
        "priority": I.priority,
    }
    key = columns[sort.key]
    # Items without the value last in both directions (SQLite sorts NULL first, PostgreSQL last).
    order: list[ColumnElement[Any]] = [key.is_(None), key.desc() if sort.descending else key.asc()]
    order.append(I.id.desc() if sort.descending else I.id.asc())
    return order


def _view(row: DbRow, today: date, clinical: bool) -> ItemView:
    return ItemView(
        id=row.id,
        list_id=row.list_id,
        patient_id=row.patient_id,
        patient_fhir_id=row.patient_fhir_id,
        cpr=row.cpr,
        name=row.patient_name,
        indicator_id=row.indicator_id,
        status=row.status,
        reason=row.reason,
        assignee=_assignee_text(row.assignee_user, row.assignee_role),
        due=row.due,
        priority=row.priority,
        version=row.version,
        created_at=row.created_at,
        closed_at=row.closed_at,
        resolved_at=row.resolved_at,
        overdue=row.status in OPEN_STATUSES and row.due is not None and row.due < today,
        evidence=tuple(row.evidence or ()) if clinical else (),
        resolved_evidence=tuple(row.resolved_evidence or ()) if clinical else (),
    )


def _assignee_text(user: str | None, role: str | None) -> str | None:
    if user is not None:
        return user
    if role is not None:
        return ROLE_PREFIX + role
    return None


# --- working items -------------------------------------------------------------------------------------


def update_items(
    store: Store,
    actor: Actor,
    items: Mapping[int, int | None],
    change: ItemChange,
) -> list[int]:
    """Apply ``change`` to each item in ``items`` (item id -> the version the caller saw, or None to apply
    whatever the version is, for scripts). All or nothing: if another user changed any of them since,
    nothing is applied and ConflictError names who changed what and when. Returns the new versions."""
    require(actor, Permission.WORK_LISTS)
    if not items:
        raise InputError("Choose at least one item.")
    if change.is_empty():
        raise InputError("Nothing to change: give a status, assignee, due date, priority or note.")
    _check_change(change)
    now = utc_now()
    with immediate_connection(store) as conn:
        assignee = _resolve_assignee(conn, change.assignee) if change.assignee is not None else None
        rows = {
            row.id: row
            for start in range(0, len(items), CHUNK)
            for row in conn.execute(select(ITEMS).where(I.id.in_(list(items)[start : start + CHUNK])))
        }
        missing = sorted(set(items) - set(rows))
        if missing:
            raise WorklistNotFoundError(f"There is no worklist item {missing[0]}.")
        stale = [
            item_id for item_id, seen in items.items() if seen is not None and rows[item_id].version != seen
        ]
        if stale:
            raise ConflictError(_conflict_message(conn, stale, items), item_ids=tuple(stale))
        versions = []
        for item_id in items:
            row = rows[item_id]
            values, events = _apply(row, change, assignee, now)
            if not values and not events:
                versions.append(row.version)
                continue
            version = row.version + 1
            done = conn.execute(
                update(WorklistItem)
                .where(I.id == item_id, I.version == row.version)
                .values(**values, version=version)
            ).rowcount
            if done != 1:  # only possible on a server without IMMEDIATE (PostgreSQL): still no lost update
                raise ConflictError(_conflict_message(conn, [item_id], items), item_ids=(item_id,))
            conn.execute(
                insert(WorklistItemEvent),
                [
                    _event(item_id, version, now, actor, kind, field, old, new)
                    for kind, field, old, new in events
                ],
            )
            versions.append(version)
    return versions


def _check_change(change: ItemChange) -> None:
    if change.status is not None:
        _check_status(change.status, allow_resolved=False)
        codes = REASONS.get(change.status)
        if codes is not None and change.reason not in codes:
            raise InputError(
                f"Closing as {change.status} needs a reason: --reason one of {', '.join(codes)}."
            )
        if codes is None and change.reason is not None:
            raise InputError(
                f"The status {change.status} takes no reason; reasons go with {', '.join(REASONS)}."
            )
    elif change.reason is not None:
        raise InputError("A reason goes with a closing status: give --status as well.")
    if change.priority is not None and change.priority not in PRIORITY_NAMES:
        raise InputError("The priority is high, normal or low (1, 2 or 3).")
    if change.due is not None and change.clear_due:
        raise InputError("Either set a due date or clear it, not both.")
    if change.note is not None and len(change.note) > 4000:
        raise InputError("The note is too long; keep it under 4,000 characters.")


def _check_status(status: str, *, allow_resolved: bool) -> None:
    if status == RESOLVED and not allow_resolved:
        raise InputError("Only the data resolves an item (after an import or sync); choose done instead.")
    if status not in STATUSES:
        raise InputError(f"There is no status {status!r}; use one of: {', '.join(STATUSES)}.")


def _resolve_assignee(conn: Connection, text: str) -> tuple[str | None, str | None]:
    """(user, role) for ``text``: "" unassigns, a role name or "role:<role>" assigns a role, anything else
    a practice user (who must exist once the practice has users)."""
    text = text.strip()
    if not text:
        return None, None
    role = text.removeprefix(ROLE_PREFIX).casefold()
    if text.startswith(ROLE_PREFIX) or role in {r.value for r in Role}:
        if role not in {r.value for r in Role}:
            raise InputError(f"There is no role {role!r}; use one of: {', '.join(r.value for r in Role)}.")
        return None, role
    name = text.casefold()
    users = conn.execute(select(PracticeUser.name, PracticeUser.disabled)).all()
    if users:
        match = next((u for u in users if u.name == name), None)
        if match is None:
            raise InputError(f"There is no practice user {text!r}; 'cockpit users list' shows them.")
        if match.disabled:
            raise InputError(f"The user {text!r} is disabled; assign the item to someone else.")
    return name, None


def _apply(
    row: DbRow, change: ItemChange, assignee: tuple[str | None, str | None] | None, now: datetime
) -> tuple[dict[str, Any], list[tuple[str, str | None, object, object]]]:
    values: dict[str, Any] = {}
    events: list[tuple[str, str | None, object, object]] = []

    def set_field(column: str, field: str, new: object, old_shown: object, new_shown: object) -> None:
        values[column] = new
        events.append(("change", field, old_shown, new_shown))

    if change.status is not None and (change.status != row.status or change.reason != row.reason):
        set_field("status", "status", change.status, row.status, change.status)
        if change.reason != row.reason:
            set_field("reason", "reason", change.reason, row.reason, change.reason)
        if change.status in OPEN_STATUSES:
            values["closed_at"] = None
            if row.status == RESOLVED:
                values["resolved_at"] = None  # reopened: the loop may resolve it again
                values["resolved_evidence"] = None
        elif row.status in OPEN_STATUSES:
            values["closed_at"] = now
    if assignee is not None and assignee != (row.assignee_user, row.assignee_role):
        values["assignee_user"], values["assignee_role"] = assignee
        old = _assignee_text(row.assignee_user, row.assignee_role)
        events.append(("change", "assignee", old, _assignee_text(*assignee)))
    if change.due is not None and change.due != row.due:
        set_field("due", "due", change.due, row.due, change.due)
    if change.clear_due and row.due is not None:
        set_field("due", "due", None, row.due, None)
    if change.priority is not None and change.priority != row.priority:
        set_field(
            "priority",
            "priority",
            change.priority,
            PRIORITY_NAMES[row.priority],
            PRIORITY_NAMES[change.priority],
        )
    if change.note:
        events.append(("note", "note", None, change.note.strip()))
    return values, events


def _conflict_message(conn: Connection, stale: list[int], seen: Mapping[int, int | None]) -> str:
    """Who changed the stale items, what and when: fields and their workflow values, never a note's text
    or anything about the patient."""
    parts = []
    for item_id in stale[:MAX_NAMED_CONFLICTS]:
        since = seen[item_id] or 0
        events = conn.execute(
            select(E.version, E.at, E.user, E.kind, E.field, E.old_value, E.new_value)
            .where(E.item_id == item_id, E.version > since)
            .order_by(E.id)
        ).all()
        changes: list[str] = []
        who: list[str] = []
        for event in events:
            stamp = f"{event.user} at {local_text(event.at)}"
            if stamp not in who:
                who.append(stamp)
            if event.kind == "note":
                changes.append("added a note")
            elif event.kind == "resolved":
                changes.append("resolved by the data")
            elif event.field is not None:
                changes.append(f"{event.field} {event.old_value or '-'} → {event.new_value or '-'}")
        now = max((event.version for event in events), default=since)
        by = ", ".join(who) or "someone"
        parts.append(
            f"item {item_id} was changed by {by} ({'; '.join(changes) or 'changed'}; "
            f"you had version {since}, it is now {now})"
        )
    more = f" and {len(stale) - MAX_NAMED_CONFLICTS} more" if len(stale) > MAX_NAMED_CONFLICTS else ""
    return (
        f"Not saved: {'; '.join(parts)}{more}. Your change was not applied and theirs stays; "
        "reload the item(s) and make your change again if it is still needed."
    )


# --- the closed loop ------------------------------------------------------------------------------------


def reevaluate(
    store: Store,
    today: date,
    *,
    actor: Actor | None = None,
    indicators: IndicatorService | None = None,
) -> Reevaluation:
    """Evaluate the indicators of all lists (one ``evaluate_many``) on ``today``: resolve open items whose
    patient no longer meets the criterion, with the evidence that shows it; record that evidence on items
    staff had closed; add new hits to lists that follow their indicator. Call it after an import or sync.
    An indicator no longer installed is reported and its items left alone."""
    if actor is not None:
        require(actor, Permission.WORK_LISTS)
    outcome = Reevaluation(as_of=today)
    now = utc_now()
    with immediate_connection(store) as conn:
        lists = conn.execute(select(L.id, L.indicator_ids, L.follows)).all()
        wanted = sorted({i for row in lists for i in row.indicator_ids})
        if not wanted:
            return outcome  # no worklists: every import and sync calls this, so read no packs for nothing
        registry, choice = _installed(store, indicators)
        known: list[Indicator] = []
        for indicator_id in wanted:
            try:
                known.append(registry.indicator(indicator_id))
            except IndicatorNotFoundError:
                outcome.missing_indicators.append(indicator_id)
        if not known:
            return outcome
        by_id = {i.id: i for i in known}
        thresholds = {i.id: choice.thresholds_for(i) for i in known}
        results = evaluate_many(conn, known, today, thresholds=thresholds, with_evidence=False)
        fhir_of = _fhir_ids(conn, {hit.patient_id for r in results for hit in r.hits})
        hits: dict[str, dict[str, int]] = {
            r.indicator_id: {fhir_of[h.patient_id]: h.patient_id for h in r.hits if h.patient_id in fhir_of}
            for r in results
        }
        unresolved = conn.execute(
            select(
                I.id, I.list_id, I.patient_id, I.patient_fhir_id, I.indicator_id, I.status, I.version
            ).where(I.resolved_at.is_(None), I.indicator_id.in_(list(by_id)))
        ).all()
        gone: list[DbRow] = []
        for row in unresolved:
            patient_id = hits[row.indicator_id].get(row.patient_fhir_id)
            if patient_id is None:
                gone.append(row)
        outcome.relinked = _relink(conn)
        reasons, pending, fhir_of = _what_the_store_says(conn, gone, today)
        new = _new_hits(lists, hits, unresolved, gone)
        # One engine call for the evidence of the new hits and the reasons the data gives for the ended
        # items (the indicator with its hit rule negated): both are for a few patients only.
        asks = {(HIT, i): (by_id[i], {w[3] for w in new if w[1] == i}) for i in {w[1] for w in new}}
        asks |= {(NOT_HIT, i): (_negated_hit(by_id[i]), ids) for i, ids in pending.items()}
        found = _evidence(conn, asks, thresholds, today)
        _explained(reasons, pending, fhir_of, found, NOT_HIT)
        if any(pending.values()):  # left the population: the population rule negated says how
            asks = {
                (NOT_POPULATION, i): (_negated_population(by_id[i]), ids) for i, ids in pending.items() if ids
            }
            _explained(reasons, pending, fhir_of, _evidence(conn, asks, thresholds, today), NOT_POPULATION)
        _resolve(conn, actor, gone, reasons, now, outcome)
        _add_new_hits(conn, actor, new, found, now, outcome)
        conn.execute(update(Worklist).values(last_evaluated_at=now))
    return outcome


def _resolve(  # noqa: PLR0917 (the re-evaluation's state, passed on)
    conn: Connection,
    actor: Actor | None,
    gone: Sequence[DbRow],
    reasons: Mapping[tuple[str, str], list[str]],
    now: datetime,
    outcome: Reevaluation,
) -> None:
    """Record on each item of ``gone`` why the data shows it done; an open one is resolved. One statement
    per kind of change (executemany), not two per item: a sync can close hundreds at once."""
    closing: list[dict[str, Any]] = []
    confirming: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for row in gone:
        version = row.version + 1
        values = {
            "item": row.id,
            "seen": row.version,
            "new_version": version,
            "why": reasons[(row.indicator_id, row.patient_fhir_id)],
        }
        if row.status in OPEN_STATUSES:
            closing.append(values)
            events.append(_event(row.id, version, now, actor, "resolved", "status", row.status, RESOLVED))
        else:
            confirming.append(values)
            events.append(_event(row.id, version, now, actor, "resolved", None, None, None))
    by_id = update(WorklistItem).where(I.id == bindparam("item"), I.version == bindparam("seen"))
    evidence = {
        "resolved_at": now,
        "resolved_evidence": bindparam("why"),
        "version": bindparam("new_version"),
    }
    if closing:
        conn.execute(by_id.values(**evidence, status=RESOLVED, closed_at=now), closing)
    if confirming:
        conn.execute(by_id.values(**evidence), confirming)
    if events:
        conn.execute(insert(WorklistItemEvent), events)
    outcome.resolved += len(closing)
    outcome.confirmed += len(confirming)


def _relink(conn: Connection) -> int:
    """Point every item at its patient's current internal id (a re-import may have given a new one); an
    item whose patient has left the store keeps the last id it had."""
    current = select(P.id).where(P.fhir_id == I.patient_fhir_id)
    moved = exists(current.where(or_(I.patient_id.is_(None), P.id != I.patient_id)))
    return int(
        conn.execute(update(WorklistItem).where(moved).values(patient_id=current.scalar_subquery())).rowcount
    )


NewHit = tuple[int, str, str, int]  # list id, indicator id, patient FHIR id, patient id


def _new_hits(
    lists: Sequence[DbRow],
    hits: dict[str, dict[str, int]],
    unresolved: Sequence[DbRow],
    gone: Sequence[DbRow],
) -> list[NewHit]:
    """Hits of followed indicators that have no item still in force on that list (an item in force: open,
    or closed by staff while the patient still meets the criterion)."""
    ended = {row.id for row in gone}
    in_force = {
        (row.list_id, row.indicator_id, row.patient_fhir_id) for row in unresolved if row.id not in ended
    }
    wanted: list[NewHit] = []
    for row in lists:
        if not row.follows:
            continue
        for indicator_id in row.indicator_ids:
            for fhir_id, patient_id in hits.get(indicator_id, {}).items():
                if (row.id, indicator_id, fhir_id) not in in_force:
                    wanted.append((row.id, indicator_id, fhir_id, patient_id))
    return wanted


def _add_new_hits(  # noqa: PLR0917 (the re-evaluation's state, passed on)
    conn: Connection,
    actor: Actor | None,
    new: Sequence[NewHit],
    found: Mapping[tuple[str, str, int], list[str]],
    now: datetime,
    outcome: Reevaluation,
) -> None:
    """An item for each new hit, with the evidence the engine gave for it."""
    rows = [
        _new_item(
            list_id=list_id,
            indicator_id=indicator_id,
            patient_id=patient_id,
            fhir_id=fhir_id,
            evidence=found.get((HIT, indicator_id, patient_id), []),
            now=now,
        )
        for list_id, indicator_id, fhir_id, patient_id in new
    ]
    _insert_items(conn, actor or _system_actor(), rows, now)
    outcome.added += len(rows)


def _system_actor() -> Actor:
    return Actor(user=SYSTEM_USER, role=None, workstation="")


def _what_the_store_says(
    conn: Connection, rows: Sequence[DbRow], today: date
) -> tuple[dict[tuple[str, str], list[str]], dict[str, set[int]], dict[int, str]]:
    """Per (indicator, patient FHIR id) of the ended items: why the patient no longer meets the indicator,
    as far as the store says it (left the store, died), else the last resort; the patients (internal ids,
    per indicator) whose data should say it; and their FHIR ids.

    The engine's own evidence then answers for those: the indicator with its hit rule negated names what
    is there now ("Seneste HbA1c 58 mmol/mol den 20-11-2026"); for a patient who left the population, the
    population rule negated ("Ingen aktiv Type 2-diabetes den ...")."""
    reasons = {
        (row.indicator_id, row.patient_fhir_id): [
            f"Opfylder ikke længere {row.indicator_id} den {dk_date(today)}"
        ]
        for row in rows
    }
    pending: dict[str, set[int]] = defaultdict(set)
    if not rows:
        return reasons, pending, {}
    patients = {
        r.fhir_id: r
        for start in range(0, len(rows), CHUNK)
        for r in conn.execute(
            select(P.id, P.fhir_id, P.deceased, P.deceased_date).where(
                P.fhir_id.in_([row.patient_fhir_id for row in rows[start : start + CHUNK]])
            )
        )
    }
    for row in rows:
        patient = patients.get(row.patient_fhir_id)
        key = (row.indicator_id, row.patient_fhir_id)
        if patient is None:
            reasons[key] = ["Patienten findes ikke længere i praksisdata"]
        elif patient.deceased or (patient.deceased_date is not None and patient.deceased_date <= today):
            died = f" {dk_date(patient.deceased_date)}" if patient.deceased_date is not None else ""
            reasons[key] = [f"Patienten er død{died}"]
        else:
            pending[row.indicator_id].add(patient.id)
    return reasons, pending, {patient.id: fhir_id for fhir_id, patient in patients.items()}


def _explained(
    reasons: dict[tuple[str, str], list[str]],
    pending: dict[str, set[int]],
    fhir_of: Mapping[int, str],
    found: Mapping[tuple[str, str, int], list[str]],
    kind: str,
) -> None:
    """Take the engine's answers of ``kind`` as the reasons; the patients they explain are done."""
    for (asked, indicator_id, patient_id), lines in found.items():
        if asked == kind and lines and patient_id in pending.get(indicator_id, ()):
            reasons[(indicator_id, fhir_of[patient_id])] = lines
            pending[indicator_id].discard(patient_id)


HIT: Final = "hit"
NOT_HIT: Final = "not-hit"
NOT_POPULATION: Final = "not-population"


def _negated_hit(indicator: Indicator) -> Indicator:
    return replace(indicator, hit=Not(indicator.hit))


def _negated_population(indicator: Indicator) -> Indicator:
    return replace(indicator, population=Everyone(), hit=Not(indicator.population))


def _evidence(
    conn: Connection,
    asks: Mapping[tuple[str, str], tuple[Indicator, set[int]]],
    thresholds: dict[str, dict[str, float]],
    today: date,
) -> dict[tuple[str, str, int], list[str]]:
    """The evidence of each hit of each asked (kind, indicator id) -> (indicator as evaluated, patients),
    among its own patients: one evaluation for all (the engine shares the work of populations), the
    indicators told apart by a kind-qualified id."""
    asks = {key: ask for key, ask in asks.items() if ask[1]}
    if not asks:
        return {}
    named = {f"{kind}:{indicator_id}": (kind, indicator_id) for kind, indicator_id in asks}
    results: list[IndicatorResult] = evaluate_many(
        conn,
        [replace(asks[key][0], id=name) for name, key in named.items()],
        today,
        thresholds={name: thresholds[indicator_id] for name, (_kind, indicator_id) in named.items()},
        patient_ids=set().union(*(ids for _indicator, ids in asks.values())),
    )
    found: dict[tuple[str, str, int], list[str]] = {}
    for result in results:
        kind, indicator_id = named[result.indicator_id]
        wanted = asks[(kind, indicator_id)][1]
        for hit in result.hits:
            if hit.patient_id in wanted:
                found[(kind, indicator_id, hit.patient_id)] = list(hit.evidence)
    return found


__all__ = [
    "assignees",
    "create_list",
    "get_list",
    "history",
    "item",
    "items_by_id",
    "items_for_data_out",
    "list_items",
    "list_lists",
    "open_items_for_patient",
    "page_items",
    "reevaluate",
    "set_plan",
    "update_items",
]
