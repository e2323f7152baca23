"""The worklist vocabulary (statuses, reason codes, priorities) and what the service hands out.

Statuses: new → contacted → booked → done, or closed as not relevant / declined / moved away with a
reason code. ``resolved`` is set only by the closed loop: the data shows the patient no longer meets the
indicator's criterion.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Final

OPEN_STATUSES: Final = ("new", "contacted", "booked")
CLOSED_BY_STAFF: Final = ("done", "not_relevant", "declined", "moved_away")
RESOLVED: Final = "resolved"
STATUSES: Final = (*OPEN_STATUSES, *CLOSED_BY_STAFF, RESOLVED)
# The closing statuses that need a reason code, and the codes each accepts.
REASONS: Final[dict[str, tuple[str, ...]]] = {
    "not_relevant": ("terminal_illness", "followed_elsewhere", "clinical_judgement", "data_error", "other"),
    "declined": ("patient_declined", "no_response", "other"),
    "moved_away": ("changed_gp", "emigrated", "deceased", "other"),
}
PRIORITIES: Final = {"high": 1, "normal": 2, "low": 3}
PRIORITY_NAMES: Final = {number: name for name, number in PRIORITIES.items()}
ROLE_PREFIX: Final = "role:"


def utc_now() -> datetime:
    """Now, as stored: UTC without a zone."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_text(stamp: datetime) -> str:
    """A stored (UTC) time as the practice reads it: local, to the minute."""
    return stamp.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat() + "Z"
    return value.isoformat()


@dataclass(frozen=True, slots=True)
class Plan:
    """The implementation plan of a list: what will change, how, who does it, by when, the target figure
    and when the practice looks at it again."""

    what: str
    how: str
    who: str
    by: date
    target: str | None = None
    review: date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "how": self.how,
            "who": self.who,
            "by": _iso(self.by),
            "target": self.target,
            "review": _iso(self.review),
        }


@dataclass(frozen=True, slots=True)
class Figures:
    total: int
    open: int
    overdue: int
    done: int
    closed_other: int  # not relevant, declined, moved away
    auto_resolved: int
    median_days_to_close: float | None

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "open": self.open,
            "overdue": self.overdue,
            "done": self.done,
            "closed_other": self.closed_other,
            "auto_resolved": self.auto_resolved,
            "median_days_to_close": self.median_days_to_close,
        }


@dataclass(frozen=True, slots=True)
class ListSummary:
    id: int
    name: str
    created_by: str
    created_at: datetime
    indicator_ids: tuple[str, ...]
    follows: bool
    plan: Plan | None
    figures: Figures
    last_evaluated_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "created_by": self.created_by,
            "created_at": _iso(self.created_at),
            "indicators": list(self.indicator_ids),
            "follows": self.follows,
            "plan": self.plan.as_json() if self.plan is not None else None,
            "figures": self.figures.as_json(),
            "last_evaluated_at": _iso(self.last_evaluated_at),
        }


@dataclass(frozen=True, slots=True)
class ItemView:
    """One item as shown. ``evidence`` and ``resolved_evidence`` are clinical: empty for a role that may
    not see risk lists (a secretary books and calls, without the clinical reason)."""

    id: int
    list_id: int
    patient_id: int | None
    patient_fhir_id: str
    cpr: str | None
    name: str | None  # None: the patient is no longer in the store
    indicator_id: str
    status: str
    reason: str | None
    assignee: str | None  # a user name, or "role:<role>"
    due: date | None
    priority: int
    version: int
    created_at: datetime
    closed_at: datetime | None
    resolved_at: datetime | None
    overdue: bool
    evidence: tuple[str, ...] = ()
    resolved_evidence: tuple[str, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "list": self.list_id,
            "patient_id": self.patient_id,
            "patient_fhir_id": self.patient_fhir_id,
            "cpr": self.cpr,
            "name": self.name,
            "indicator": self.indicator_id,
            "status": self.status,
            "reason": self.reason,
            "assignee": self.assignee,
            "due": _iso(self.due),
            "priority": PRIORITY_NAMES.get(self.priority, str(self.priority)),
            "version": self.version,
            "overdue": self.overdue,
            "created_at": _iso(self.created_at),
            "closed_at": _iso(self.closed_at),
            "resolved_at": _iso(self.resolved_at),
            "evidence": list(self.evidence),
            "resolved_evidence": list(self.resolved_evidence),
        }


@dataclass(frozen=True, slots=True)
class ItemEvent:
    item_id: int
    version: int
    at: datetime
    user: str
    role: str | None
    kind: str  # created, change, note, resolved
    field: str | None
    old_value: str | None
    new_value: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "item": self.item_id,
            "version": self.version,
            "at": _iso(self.at),
            "user": self.user,
            "role": self.role,
            "kind": self.kind,
            "field": self.field,
            "old": self.old_value,
            "new": self.new_value,
        }


@dataclass(frozen=True, slots=True)
class ItemChange:
    """What to change on one or more items; None leaves a field as it is. ``assignee``: a user name,
    a role ("nurse" or "role:nurse"), or "" to unassign. ``clear_due`` removes the due date."""

    status: str | None = None
    reason: str | None = None
    assignee: str | None = None
    due: date | None = None
    clear_due: bool = False
    priority: int | None = None
    note: str | None = None

    def is_empty(self) -> bool:
        return (
            self.status is None
            and self.reason is None
            and self.assignee is None
            and self.due is None
            and not self.clear_due
            and self.priority is None
            and not self.note
        )


@dataclass(frozen=True, slots=True)
class ItemFilter:
    mine: bool = False
    overdue: bool = False
    statuses: tuple[str, ...] = ()
    indicator_id: str | None = None
    open_only: bool = False


# How the staff view may order items: by a shown column (the item's id breaks ties), or by default by
# priority, then due date (none last), then the order the items were added.
SORT_KEYS: Final = ("name", "cpr", "indicator", "status", "assignee", "due", "priority")


@dataclass(frozen=True, slots=True)
class ItemSort:
    key: str | None = None  # one of SORT_KEYS; None: priority, due date, id
    descending: bool = False


@dataclass(frozen=True, slots=True)
class ItemPage:
    """One window of a list's items as filtered and sorted: ``items`` start at ``offset`` of ``total``."""

    total: int
    offset: int
    items: tuple[ItemView, ...]

    @property
    def end(self) -> int:
        return self.offset + len(self.items)


@dataclass(frozen=True, slots=True)
class Assignee:
    """Someone an item can be assigned to: a practice user (``name``, ``full_name``, ``role``) or a role
    (``name`` "role:<role>", ``full_name`` empty, ``role`` the role)."""

    name: str
    full_name: str
    role: str

    @property
    def is_role(self) -> bool:
        return self.name.startswith(ROLE_PREFIX)


@dataclass(slots=True)
class Reevaluation:
    """What one re-evaluation did: items resolved by the data, items added to following lists, and the
    indicators that could not be evaluated (no longer installed), whose items were left alone."""

    as_of: date
    resolved: int = 0
    confirmed: int = 0  # items closed by staff whose patient the data now shows as done
    added: int = 0
    relinked: int = 0  # items whose patient got a new internal id (a re-import)
    missing_indicators: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "resolved": self.resolved,
            "confirmed": self.confirmed,
            "added": self.added,
            "relinked": self.relinked,
            "missing_indicators": self.missing_indicators,
        }
