"""Recording in and reading the audit log: ``append`` (as the signed-in actor), data out, the queries.

Recording happens inside the transaction of the action it records (``append`` on the action's connection,
or ``audited`` for a transaction that does both), so the two commit or roll back together. Reading the log
needs ``Permission.READ_AUDIT`` and is itself recorded (``audit.read``), in the same transaction as the read.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, or_, select

from cockpit.errors import InputError, PatientNotFoundError, PermissionDeniedError
from cockpit.models.audit import DATA_OUT_ACTIONS, AuditAction, AuditEntry
from cockpit.models.clinical import Patient
from cockpit.models.refs import internal_id
from cockpit.privacy.audit.chain import ChainReport, append_entry, utc_timestamp, verify_chain
from cockpit.privacy.identity import Actor, Permission
from cockpit.store import Store
from cockpit.store.transactions import immediate_connection

# Kinds of data out that ``record_data_out`` accepts (the GUI and worklists name them so).
DATA_OUT_KINDS = {
    "csv": AuditAction.EXPORT_CSV,
    "json": AuditAction.EXPORT_JSON,
    "pdf": AuditAction.EXPORT_PDF,
    "print": AuditAction.PRINT,
    "copy": AuditAction.COPY,
    "report": AuditAction.REPORT,
}


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One entry as read back (the hashes stay in the store; ``verify`` checks them)."""

    id: int
    at: datetime  # UTC
    user: str
    role: str | None
    workstation: str
    action: str
    patient_id: int | None
    patient_fhir_id: str | None
    list_ref: str | None
    patient_count: int | None
    purpose: str | None
    destination: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat().replace("+00:00", "Z"),
            "user": self.user,
            "role": self.role,
            "workstation": self.workstation,
            "action": self.action,
            "patient_id": self.patient_id,
            "patient_fhir_id": self.patient_fhir_id,
            "list": self.list_ref,
            "patient_count": self.patient_count,
            "purpose": self.purpose,
            "destination": self.destination,
        }


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """A filter over the log; every part is optional and they combine with AND.

    ``patient`` is (internal id, FHIR id): entries carrying that FHIR id, or (older entries without one)
    that internal id. ``since`` and ``until`` are local days, ``until`` inclusive."""

    patient: tuple[int | None, str] | None = None
    user: str | None = None
    since: date | None = None
    until: date | None = None
    data_out: bool = False

    def describe(self) -> str:
        """What was asked, for the ``audit.read`` entry: never a search text or a patient's data."""
        parts = []
        if self.patient is not None:
            parts.append("patient")
        if self.user is not None:
            parts.append(f"user={self.user}")
        if self.since is not None:
            parts.append(f"since={self.since.isoformat()}")
        if self.until is not None:
            parts.append(f"until={self.until.isoformat()}")
        if self.data_out:
            parts.append("data-out")
        return "audit:" + (",".join(parts) or "all")


_COLUMNS = (
    AuditEntry.id,
    AuditEntry.at,
    AuditEntry.user,
    AuditEntry.role,
    AuditEntry.workstation,
    AuditEntry.action,
    AuditEntry.patient_id,
    AuditEntry.patient_fhir_id,
    AuditEntry.list_ref,
    AuditEntry.patient_count,
    AuditEntry.purpose,
    AuditEntry.destination,
)


def append(
    conn: Connection,
    actor: Actor,
    action: AuditAction,
    *,
    patient_id: int | None = None,
    patient_fhir_id: str | None = None,
    list_ref: str | None = None,
    patient_count: int | None = None,
    purpose: str | None = None,
    destination: str | None = None,
) -> int:
    """Record ``action`` by ``actor`` in the caller's transaction (begun IMMEDIATE). With a patient id and
    no FHIR id, the FHIR id is looked up, so the entry finds the patient again after a re-import."""
    if patient_id is not None and patient_fhir_id is None:
        patient_fhir_id = conn.execute(select(Patient.fhir_id).where(Patient.id == patient_id)).scalar()
    return append_entry(
        conn,
        user=actor.user,
        role=None if actor.role is None else str(actor.role),
        workstation=actor.workstation,
        action=action,
        patient_id=patient_id,
        patient_fhir_id=patient_fhir_id,
        list_ref=list_ref,
        patient_count=patient_count,
        purpose=purpose,
        destination=destination,
    )


class AuditLog:
    def __init__(self, store: Store) -> None:
        self._store = store

    @contextmanager
    def audited(self) -> Iterator[Connection]:
        """One BEGIN IMMEDIATE transaction for an action and its entry (call ``append`` on it)."""
        with immediate_connection(self._store) as conn:
            yield conn

    def record(self, actor: Actor, action: AuditAction, **refs: Any) -> int:
        """Record an action that has no transaction of its own in the store (sign-in, a backup)."""
        with self.audited() as conn:
            return append(conn, actor, action, **refs)

    def record_data_out(
        self,
        actor: Actor,
        kind: str,
        destination: str,
        patient_count: int,
        what: str,
        *,
        purpose: str | None = None,
        patient_id: int | None = None,
    ) -> int:
        """Record data leaving the store: ``kind`` one of csv, json, pdf, print, copy, report;
        ``destination`` a file name, printer or "clipboard"; ``what`` the list or report (e.g. an indicator
        id, "patient-overview"). Call it before the data is handed over: if it fails, do not hand it over."""
        action = DATA_OUT_KINDS.get(kind)
        if action is None:
            raise InputError(f"Unknown kind of data out {kind!r}; use one of: {', '.join(DATA_OUT_KINDS)}.")
        if patient_count < 0:
            raise InputError("The number of patients cannot be negative.")
        return self.record(
            actor,
            action,
            destination=destination,
            patient_count=patient_count,
            list_ref=what,
            purpose=purpose,
            patient_id=patient_id,
        )

    # --- reading (audited) -----------------------------------------------------------------------------

    def query(self, actor: Actor, query: AuditQuery, purpose: str | None = None) -> list[AuditRecord]:
        """The entries matching ``query``, oldest first; records this read as ``audit.read``."""
        if not actor.may(Permission.READ_AUDIT):
            raise PermissionDeniedError(
                "Your role may not read the audit log; ask the practice's administrator."
            )
        with self.audited() as conn:
            found = [_record(row) for row in conn.execute(_select(query))]
            patient_id, fhir_id = query.patient if query.patient is not None else (None, None)
            append(
                conn,
                actor,
                AuditAction.AUDIT_READ,
                patient_id=patient_id,
                patient_fhir_id=fhir_id,
                list_ref=query.describe(),
                purpose=purpose,
            )
        return found

    def for_patient(
        self, actor: Actor, patient_id: int | None, fhir_id: str, purpose: str | None = None
    ) -> list[AuditRecord]:
        """Who looked at this patient (for the patient's request for access)."""
        return self.query(actor, AuditQuery(patient=(patient_id, fhir_id)), purpose)

    def for_user(self, actor: Actor, user: str) -> list[AuditRecord]:
        return self.query(actor, AuditQuery(user=user))

    def between(self, actor: Actor, since: date | None, until: date | None) -> list[AuditRecord]:
        return self.query(actor, AuditQuery(since=since, until=until))

    def data_out(
        self, actor: Actor, since: date | None = None, until: date | None = None
    ) -> list[AuditRecord]:
        """The data-out ledger: exports, prints, copies, reports and backups."""
        return self.query(actor, AuditQuery(since=since, until=until, data_out=True))

    def patient_keys(self, ref: str) -> tuple[int | None, str]:
        """(internal id, FHIR id) of the patient ``ref`` names (CPR with or without the dash, FHIR id or
        internal id). A ref that names no patient in the store is taken as the FHIR id of one who has left
        it, unless it is all digits (a CPR number or an internal id: there is no FHIR id to fall back on)."""
        ref = ref.strip()
        digits = ref.replace("-", "")
        conditions = [Patient.fhir_id == ref]
        if len(digits) == 10 and digits.isdigit():
            conditions.append(Patient.cpr == digits)
        if (number := internal_id(ref)) is not None:
            conditions.append(Patient.id == number)
        with self._store.session() as session:
            found = session.execute(select(Patient.id, Patient.fhir_id).where(or_(*conditions))).all()
        if len(found) > 1:
            raise InputError("More than one patient matches; give the CPR number instead.")
        if found:
            return found[0][0], found[0][1]
        if digits.isdigit():
            raise PatientNotFoundError("No patient matches that CPR number or id.")
        return None, ref

    def verify(self) -> ChainReport:
        """Walk the whole chain (shows no entry, so it needs no permission and records nothing)."""
        with self._store.engine.connect() as conn, conn.begin():
            return verify_chain(conn)


def _select(query: AuditQuery) -> Select[*tuple[Any, ...]]:
    conditions: list[ColumnElement[bool]] = []
    if query.patient is not None:
        patient_id, fhir_id = query.patient
        same = AuditEntry.patient_fhir_id == fhir_id
        if patient_id is None:
            conditions.append(same)
        else:  # older entries may lack the FHIR id
            conditions.append(
                or_(same, and_(AuditEntry.patient_fhir_id.is_(None), AuditEntry.patient_id == patient_id))
            )
    if query.user is not None:
        conditions.append(AuditEntry.user == query.user)
    if query.since is not None:
        conditions.append(AuditEntry.at >= _stamp(query.since))
    if query.until is not None:
        conditions.append(AuditEntry.at < _stamp(query.until + timedelta(days=1)))
    if query.data_out:
        conditions.append(AuditEntry.action.in_(sorted(DATA_OUT_ACTIONS)))
    return select(*_COLUMNS).where(*conditions).order_by(AuditEntry.id)


def _stamp(day: date) -> str:
    """The stored (UTC) form of local midnight starting ``day``: the practice's days, not UTC's."""
    return utc_timestamp(datetime.combine(day, time()).astimezone())


def _record(row: Sequence[Any]) -> AuditRecord:
    at = datetime.strptime(row[1], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return AuditRecord(row[0], at, *row[2:])
