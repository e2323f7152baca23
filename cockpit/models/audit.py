"""The audit log: who looked at which patient or list, and what left the store; append-only, hash-chained.

Each entry's ``hash`` is SHA-256 over the previous entry's hash and a canonical encoding of the entry's
own fields, its id included, so an edited, inserted, reordered or deleted entry breaks the chain. The
one-row ``audit_head`` table (last id, last hash, count), updated in the same transaction as every append,
catches entries cut off the end. SQLite triggers refuse UPDATE and DELETE on the log (migration 0004);
whoever has the key can drop them, which is what the chain is for.

``append_entry`` lives here, beside the table, because every layer that records something (the services,
the ``risk`` command of the indicators) must append in exactly one way, inside its caller's transaction.
"""

import enum
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

import orjson
from sqlalchemy import CheckConstraint, Connection, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from cockpit.models.base import Base

GENESIS: Final = bytes(32)  # the "previous hash" of the first entry


class AuditAction(enum.StrEnum):
    PATIENT_OPEN = "patient.open"  # a patient's overview or whole record
    LIST_SHOW = "list.show"  # a list of identifiable patients (risk list, the patient list)
    PATIENT_SEARCH = "patient.search"  # search results (the count, never the search text)
    EXPORT_CSV = "export.csv"
    EXPORT_JSON = "export.json"
    EXPORT_PDF = "export.pdf"
    PRINT = "print"
    COPY = "copy"
    REPORT = "report"  # an aggregated report leaving the practice
    AUDIT_READ = "audit.read"
    USER_ADD = "user.add"
    USER_CHANGE = "user.change"
    USER_REMOVE = "user.remove"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in.failed"
    BACKUP = "backup"
    RESTORE = "restore"
    REKEY = "rekey"


# What leaves the encrypted store: the data-out ledger is the log filtered to these.
DATA_OUT_ACTIONS: Final = frozenset(
    {
        AuditAction.EXPORT_CSV,
        AuditAction.EXPORT_JSON,
        AuditAction.EXPORT_PDF,
        AuditAction.PRINT,
        AuditAction.COPY,
        AuditAction.REPORT,
        AuditAction.BACKUP,
    }
)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        # One index for "who looked at this patient": by FHIR id, or by internal id where there is none.
        Index("ix_audit_log_patient", "patient_fhir_id", "patient_id"),
        Index("ix_audit_log_user", "user"),
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_action", "action"),
    )

    # Assigned by append_entry (head + 1), never by SQLite: the chain covers the id.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(27))  # UTC, "2026-11-23T00:15:00.123456Z": hashed as stored
    user: Mapped[str] = mapped_column(String)
    role: Mapped[str | None] = mapped_column(String(20))  # None in single-user mode
    workstation: Mapped[str] = mapped_column(String)
    action: Mapped[str] = mapped_column(String(40))
    # Both references, and no foreign key: an entry outlives its patient's row, and the FHIR id finds the
    # patient again after a re-import has given them a new internal id.
    patient_id: Mapped[int | None]
    patient_fhir_id: Mapped[str | None] = mapped_column(String(64))
    list_ref: Mapped[str | None] = mapped_column(String)  # e.g. an indicator id
    patient_count: Mapped[int | None]
    purpose: Mapped[str | None] = mapped_column(String)
    destination: Mapped[str | None] = mapped_column(String)  # data out: file name, printer, "clipboard"
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class AuditHead(Base):
    """The chain's anchor outside its rows: deleting the newest entries leaves it pointing past them."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_id: Mapped[int]
    last_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    count: Mapped[int]


# The hashed fields, in their fixed order (the id first). Changing this invalidates every existing chain.
HASHED_COLUMNS: Final = (
    "id",
    "at",
    "user",
    "role",
    "workstation",
    "action",
    "patient_id",
    "patient_fhir_id",
    "list_ref",
    "patient_count",
    "purpose",
    "destination",
)

# Plain SQL, prepared once by the driver: building SQLAlchemy statements per entry cost more than the write.
_READ_HEAD: Final = "SELECT last_id, last_hash, count FROM audit_head WHERE id = 1"
_INSERT_ENTRY: Final = (
    "INSERT INTO audit_log ("
    + ", ".join(f'"{column}"' for column in (*HASHED_COLUMNS, "prev_hash", "hash"))
    + ") VALUES ("
    + ", ".join("?" * (len(HASHED_COLUMNS) + 2))
    + ")"
)
_INSERT_HEAD: Final = "INSERT INTO audit_head (id, last_id, last_hash, count) VALUES (1, ?, ?, 1)"
_UPDATE_HEAD: Final = "UPDATE audit_head SET last_id = ?, last_hash = ?, count = ? WHERE id = 1"


@dataclass(frozen=True, slots=True)
class _AppendSql:
    read_head: str
    insert_entry: str
    insert_head: str
    update_head: str


# SQLite's driver takes "?", psycopg "%s". On PostgreSQL the head row is also locked (FOR UPDATE): the
# writer lock already serialises appends, and this keeps the chain whole even if a caller forgot it.
_SQL_FOR: Final = {
    "qmark": _AppendSql(_READ_HEAD, _INSERT_ENTRY, _INSERT_HEAD, _UPDATE_HEAD),
    "pyformat": _AppendSql(
        _READ_HEAD + " FOR UPDATE",
        _INSERT_ENTRY.replace("?", "%s"),
        _INSERT_HEAD.replace("?", "%s"),
        _UPDATE_HEAD.replace("?", "%s"),
    ),
}


def entry_hash(prev_hash: bytes, fields: tuple[object, ...]) -> bytes:
    """SHA-256(prev_hash || canonical JSON array of ``fields`` in HASHED_COLUMNS order)."""
    return hashlib.sha256(prev_hash + orjson.dumps(fields)).digest()


def utc_timestamp(moment: datetime | None = None) -> str:
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append_entry(
    conn: Connection,
    *,
    user: str,
    role: str | None,
    workstation: str,
    action: AuditAction,
    patient_id: int | None = None,
    patient_fhir_id: str | None = None,
    list_ref: str | None = None,
    patient_count: int | None = None,
    purpose: str | None = None,
    destination: str | None = None,
    at: datetime | None = None,
) -> int:
    """Append one entry inside the caller's (write) transaction and return its id.

    Nothing is committed here: the entry commits or rolls back with the action it records. The caller's
    transaction should have begun IMMEDIATE (cockpit.store.transactions) so that the head read here cannot
    be overtaken by another writer."""
    sql = _SQL_FOR[conn.dialect.paramstyle]
    head = conn.exec_driver_sql(sql.read_head).first()
    last_id, prev_hash, count = head if head is not None else (0, GENESIS, 0)
    new_id = last_id + 1
    fields = (
        new_id,
        utc_timestamp(at),
        user,
        role,
        workstation,
        str(action),
        patient_id,
        patient_fhir_id,
        list_ref,
        patient_count,
        purpose,
        destination,
    )
    digest = entry_hash(prev_hash, fields)
    conn.exec_driver_sql(sql.insert_entry, (*fields, prev_hash, digest))
    if head is None:
        conn.exec_driver_sql(sql.insert_head, (new_id, digest))
    else:
        conn.exec_driver_sql(sql.update_head, (new_id, digest, count + 1))
    return new_id
