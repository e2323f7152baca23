"""The worklists' items as the window and the CLI read them: a list's items (whole, a page, or some by
id), one item and its history, a patient's open items, the items of an export, and whom items can be
assigned to. Reading patients' items is recorded in the audit log (``list.show``, ``patient.open``) in
the same transaction as the read; an export's items are recorded by the caller in the data-out ledger.

Each function checks the actor's permission itself (``WORK_LISTS``; ``EXPORT`` as well for data out).
"""

from collections.abc import Collection
from datetime import date
from typing import Any, Final

from sqlalchemy import Connection, and_, func, or_, select
from sqlalchemy.sql import ColumnElement, Select

from cockpit.errors import InputError
from cockpit.models.audit import AuditAction
from cockpit.models.users import PracticeUser
from cockpit.privacy.audit import append
from cockpit.privacy.identity import ROLE_PERMISSIONS, Actor, Permission, Role, require
from cockpit.store import Store
from cockpit.store.idsets import chunked
from cockpit.store.transactions import immediate_connection
from cockpit.worklists.errors import WorklistNotFoundError
from cockpit.worklists.model import (
    OPEN_STATUSES,
    ROLE_PREFIX,
    SORT_KEYS,
    Assignee,
    ItemEvent,
    ItemFilter,
    ItemPage,
    ItemSort,
    ItemView,
)
from cockpit.worklists.records import (
    CHUNK,
    ITEMS,
    ITEMS_WITH_PATIENTS,
    DbRow,
    E,
    I,
    L,
    P,
    assignee_text,
    check_status,
    reading,
)

PAGE: Final = 200  # items per window of the staff view
MAX_PAGE: Final = 20_000


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
                .select_from(ITEMS_WITH_PATIENTS if by_patient else ITEMS)
                .where(terms)
                .order_by(*order)
                .offset(offset)
                .limit(limit)
            )
            .scalars()
            .all()
        )
        rows = {
            row.id: row for chunk in chunked(ids, CHUNK) for row in conn.execute(query.where(I.id.in_(chunk)))
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
    with reading(store) as conn:
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
    with reading(store) as conn:
        terms = [I.list_id == list_id]
        return _read_items(conn, actor, today, terms, where or ItemFilter(), list_id, sort)


def open_items_for_patient(store: Store, actor: Actor, patient_fhir_id: str, today: date) -> list[ItemView]:
    """The patient's open items on every list, for the attention panel of a patient already opened (and
    recorded as such by the overview): no entry of its own."""
    require(actor, Permission.WORK_LISTS)
    with reading(store) as conn:
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
    with reading(store) as conn:
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
    query = select(ITEMS, P.cpr, P.name.label("patient_name")).select_from(ITEMS_WITH_PATIENTS)
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
            check_status(status, allow_resolved=True)
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
        assignee=assignee_text(row.assignee_user, row.assignee_role),
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


__all__ = [
    "MAX_PAGE",
    "PAGE",
    "assignees",
    "history",
    "item",
    "items_by_id",
    "items_for_data_out",
    "list_items",
    "open_items_for_patient",
    "page_items",
]
