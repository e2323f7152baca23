"""Bookkeeping of imports: one row per run, and the resources that were set aside."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cockpit.models.base import Base


class ImportRun(Base):
    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    # Counts as JSON: {"read": n, "inserted": n, "updated": n, "unchanged": n, "skipped": {type: n}, ...}
    summary_json: Mapped[str] = mapped_column(Text)
    quarantined: Mapped[int]


class QuarantinedResource(Base):
    """A well-formed resource that did not fit the model: kept (encrypted, like everything in the
    store) with where it came from and why, so nothing is silently dropped."""

    __tablename__ = "quarantined_resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_run_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id", ondelete="CASCADE"), index=True)
    file: Mapped[str] = mapped_column(String)
    line: Mapped[int]
    resource_type: Mapped[str | None] = mapped_column(String(40))
    fhir_id: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String)
    resource_json: Mapped[str] = mapped_column(Text)
