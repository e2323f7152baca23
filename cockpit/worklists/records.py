"""The worklist tables as the other worklist modules read and write them: their columns, a read-only
snapshot, the rows of a new item and of a history event, the assignee as shown, and the status check.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import Connection, insert, select

from cockpit.errors import InputError
from cockpit.models.clinical import Patient
from cockpit.models.worklists import Worklist, WorklistItem, WorklistItemEvent
from cockpit.privacy.identity import Actor
from cockpit.store import Store
from cockpit.store.errors import translate_db_errors
from cockpit.store.idsets import chunked
from cockpit.worklists.model import (
    RESOLVED,
    ROLE_PREFIX,
    STATUSES,
)

CHUNK: Final = 2000  # ids per IN (...): well under the bound-parameter limits
DbRow = Any  # a result row (SQLAlchemy's Row generics do not survive being passed around)
SYSTEM_USER: Final = "system"  # who the closed loop acts as when no one is signed in
ITEMS = WorklistItem.__table__
I = ITEMS.c  # noqa: E741
E = WorklistItemEvent.__table__.c
L = Worklist.__table__.c
P = Patient.__table__.c
ITEMS_WITH_PATIENTS: Final = ITEMS.outerjoin(Patient.__table__, P.fhir_id == I.patient_fhir_id)


def new_item(
    *, list_id: int, indicator_id: str, patient_id: int, fhir_id: str, evidence: Sequence[str], now: datetime
) -> dict[str, Any]:
    """The row of a new item (for ``insert_items``, which names who added it)."""
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


def insert_items(conn: Connection, actor: Actor, rows: list[dict[str, Any]], now: datetime) -> None:
    """Insert items and their "created" events (version 1)."""
    if not rows:
        return
    for row in rows:
        row["added_by"] = actor.user
    ids = conn.execute(insert(WorklistItem).returning(I.id, sort_by_parameter_order=True), rows).scalars()
    conn.execute(
        insert(WorklistItemEvent),
        [history_row(item_id, 1, now, actor, "created", None, None, "new") for item_id in ids],
    )


def history_row(  # noqa: PLR0917 (one history row: its fields in the order they are read)
    item_id: int,
    version: int,
    now: datetime,
    actor: Actor | None,
    kind: str,
    field: str | None,
    old: object,
    new: object,
) -> dict[str, Any]:
    """One row of an item's history (``actor`` None: the closed loop, as the system user)."""
    return {
        "item_id": item_id,
        "version": version,
        "at": now,
        "user": actor.user if actor is not None else SYSTEM_USER,
        "role": None if actor is None or actor.role is None else str(actor.role),
        "workstation": actor.workstation if actor is not None else None,
        "kind": kind,
        "field": field,
        "old_value": _as_text(old),
        "new_value": _as_text(new),
    }


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def fhir_ids_of(conn: Connection, patient_ids: Iterable[int]) -> dict[int, str]:
    """Internal patient id -> FHIR id, for those still in the store."""
    found: dict[int, str] = {}
    for chunk in chunked(patient_ids, CHUNK):
        found.update((row[0], row[1]) for row in conn.execute(select(P.id, P.fhir_id).where(P.id.in_(chunk))))
    return found


@contextmanager
def reading(store: Store) -> Iterator[Connection]:
    """A read-only transaction (one consistent snapshot)."""
    with translate_db_errors(), store.engine.connect() as conn, conn.begin():
        yield conn


def assignee_text(user: str | None, role: str | None) -> str | None:
    """The assignee as shown: the user's name, or ``role:<role>``."""
    if user is not None:
        return user
    if role is not None:
        return ROLE_PREFIX + role
    return None


def check_status(status: str, *, allow_resolved: bool) -> None:
    """A status a filter (``allow_resolved``) or a change may name."""
    if status == RESOLVED and not allow_resolved:
        raise InputError("Only the data resolves an item (after an import or sync); choose done instead.")
    if status not in STATUSES:
        raise InputError(f"There is no status {status!r}; use one of: {', '.join(STATUSES)}.")
