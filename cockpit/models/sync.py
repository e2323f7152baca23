"""Sync bookkeeping: per source its watermark and last outcome, and the staging of a run in progress.

A run downloads into ``sync_chunks`` (raw NDJSON, encrypted like everything in the store) with a
checkpoint per unit (an export output file, a search's next page, a history page) committed with its
chunk, so an interrupted run resumes where it stopped. When every unit is staged the run is applied in
one transaction and its staging deleted.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cockpit.models.base import Base


class SyncSource(Base):
    """One source (a FHIR server's base URL, or a folder): what was last applied from it."""

    __tablename__ = "sync_sources"

    source: Mapped[str] = mapped_column(String(300), primary_key=True)
    # The server's own time of the last applied full or incremental run (never the local clock).
    watermark: Mapped[str | None] = mapped_column(String(40))
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]
    last_summary_json: Mapped[str | None] = mapped_column(Text)


class SyncRun(Base):
    """A run being downloaded (at most one per source): enough to resume it instead of starting over."""

    __tablename__ = "sync_runs"

    source: Mapped[str] = mapped_column(
        ForeignKey("sync_sources.source", ondelete="CASCADE"), primary_key=True
    )
    method: Mapped[str] = mapped_column(String(20))  # export | search | everything | history | folder
    full: Mapped[bool]
    since: Mapped[str | None] = mapped_column(String(40))
    # The bulk export's status URL, so a resumed run does not kick off a second export.
    status_url: Mapped[str | None] = mapped_column(Text)
    # The server time this run's data is as of; becomes the source's watermark when it is applied.
    new_watermark: Mapped[str | None] = mapped_column(String(40))
    started_at: Mapped[datetime]


class SyncUnit(Base):
    """One resumable piece of a run: ``cursor`` is where to go on (next page URL, lines done)."""

    __tablename__ = "sync_units"

    source: Mapped[str] = mapped_column(ForeignKey("sync_runs.source", ondelete="CASCADE"), primary_key=True)
    unit: Mapped[str] = mapped_column(String(500), primary_key=True)
    cursor: Mapped[str | None] = mapped_column(Text)
    lines: Mapped[int]
    done: Mapped[bool]


class SyncChunk(Base):
    """Staged NDJSON lines of one unit, packed (``cockpit.sync.packing``); ``kind`` is "resources" or
    "deleted" (lines of type and id)."""

    __tablename__ = "sync_chunks"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(ForeignKey("sync_runs.source", ondelete="CASCADE"), index=True)
    unit: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(10))
    first_line: Mapped[int]
    lines: Mapped[int]
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class SyncFolderFile(Base):
    """A file of a synced folder that was applied, as it was then: changed or new files are applied next."""

    __tablename__ = "sync_folder_files"

    source: Mapped[str] = mapped_column(
        ForeignKey("sync_sources.source", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(500), primary_key=True)
    size: Mapped[int]
    mtime_ns: Mapped[int]
    applied_at: Mapped[datetime]
