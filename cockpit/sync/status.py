"""The sync's state for the status bar: last success, last error, and whether a run waits to be resumed."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from cockpit.models import Base
from cockpit.store import Store
from cockpit.store.errors import translate_db_errors
from cockpit.sync.staging import Staging, has_staging


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """Attributes:
    source: the server's base URL or ``folder:PATH``.
    last_success: when the last run was applied (local time), None if never.
    last_error: the user-facing message of the last failed run, if it failed after the last success.
    watermark: the server time the store is current to.
    resumable: a run was interrupted; the next sync continues it (``staged`` resources are kept).
    """

    source: str
    last_success: datetime | None
    last_error: str | None
    watermark: str | None
    resumable: bool
    staged: int


def sync_status(store: Store, source: str) -> SourceStatus:
    sources = Base.metadata.tables["sync_sources"]
    with translate_db_errors(), store.engine.connect() as conn:
        row = conn.execute(select(sources).where(sources.c.source == source)).first()
    pending, staged_lines = False, 0
    if has_staging(store):  # (a status read creates no side database)
        staging = Staging(store, source)
        pending = staging.run() is not None
        staged_lines = staging.staged_lines()
    if row is None:
        return SourceStatus(source, None, None, None, pending, staged_lines)
    error = row.last_error
    if error is not None and row.last_success_at is not None and row.last_error_at is not None:
        error = error if row.last_error_at >= row.last_success_at else None
    return SourceStatus(source, row.last_success_at, error, row.watermark, pending, staged_lines)
