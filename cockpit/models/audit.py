"""The audit log's tables: who looked at which patient or list, and what left the store; append-only,
hash-chained. The chain itself (the hash formula, appending, verifying) is ``cockpit.privacy.audit.chain``;
reading and recording ``cockpit.privacy.audit``. The tables live here with every other table (one
``Base.metadata``, which the migrations are checked against).

The one-row ``audit_head`` table (last id, last hash, count), updated in the same transaction as every append,
catches entries cut off the end. SQLite triggers refuse UPDATE and DELETE on the log (migration 0004);
whoever has the key can drop them, which is what the chain is for.
"""

import enum
from typing import Final

from sqlalchemy import CheckConstraint, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from cockpit.models.base import Base


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

    # Assigned by the chain's append_entry (head + 1), never by SQLite: the chain covers the id.
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
