"""Working items: a change to one item or a selection, with optimistic locking (all or nothing; a stale
version names who changed what and when) and a history event per changed field.

Every transaction that writes begins IMMEDIATE (``cockpit.store.transactions``): look-ups commit audit
entries concurrently. The actor needs ``WORK_LISTS``.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection, insert, select, update

from cockpit.errors import InputError
from cockpit.models.users import PracticeUser
from cockpit.models.worklists import WorklistItem, WorklistItemEvent
from cockpit.privacy.identity import Actor, Permission, Role, require
from cockpit.store import Store
from cockpit.store.idsets import chunked
from cockpit.store.transactions import immediate_connection
from cockpit.worklists.errors import ConflictError, WorklistNotFoundError
from cockpit.worklists.model import (
    OPEN_STATUSES,
    PRIORITY_NAMES,
    REASONS,
    RESOLVED,
    ROLE_PREFIX,
    ItemChange,
    local_text,
    utc_now,
)
from cockpit.worklists.records import CHUNK, ITEMS, DbRow, E, I, assignee_text, check_status, history_row

MAX_NAMED_CONFLICTS: Final = 3


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
            for chunk in chunked(items, CHUNK)
            for row in conn.execute(select(ITEMS).where(I.id.in_(chunk)))
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
                    history_row(item_id, version, now, actor, kind, field, old, new)
                    for kind, field, old, new in events
                ],
            )
            versions.append(version)
    return versions


def _check_change(change: ItemChange) -> None:
    if change.status is not None:
        check_status(change.status, allow_resolved=False)
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
        old = assignee_text(row.assignee_user, row.assignee_role)
        events.append(("change", "assignee", old, assignee_text(*assignee)))
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


__all__ = ["update_items"]
