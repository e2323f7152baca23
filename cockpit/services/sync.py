"""Sync for the window: its state for the status bar, and one run with progress and cancel."""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from cockpit.services.worklists import close_the_loop
from cockpit.store import Store
from cockpit.sync.progress import ProgressCallback, SyncCancelledError, SyncProgress, SyncResult
from cockpit.sync.runner import SyncRunner
from cockpit.worklists.model import Reevaluation

__all__ = ["SyncCancelledError", "SyncOutcome", "SyncProgress", "SyncReport", "SyncService", "SyncState"]

# Called on the sync thread with each progress report (phase, counts; never patient data).
SyncReport = Callable[[SyncProgress], None]


@dataclass(frozen=True, slots=True)
class SyncState:
    """What the status bar says about sync.

    Attributes:
        configured: a server or a folder is set up.
        source: where the data comes from (a URL or a folder), for the tooltip.
        last_success: when the last sync finished (local time), None if never.
        last_error: the user-facing message of the last failed run, None if it succeeded.
        schedule_minutes: sync every so many minutes while the window is open; None = manual only.
        resumable: a run was interrupted and the next one continues it.
    """

    configured: bool
    source: str | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    schedule_minutes: int | None = None
    resumable: bool = False


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """What one run changed: the patients whose data changed (internal ids) and a one-line summary."""

    changed_patient_ids: frozenset[int] = field(default_factory=frozenset)
    resources: int = 0
    deleted: int = 0
    summary: str = ""


class SyncService:
    """The practice's sync source (``sync.json`` in the data directory; set with ``cockpit sync``)."""

    def __init__(self, store: Store) -> None:
        self._runner = SyncRunner(store, store.paths.home)

    def state(self) -> SyncState:
        settings = self._runner.settings()
        status = self._runner.status()
        if status is None:
            return SyncState(configured=False)
        return SyncState(
            configured=True,
            source=settings.server_url or settings.folder,
            last_success=status.last_success,
            last_error=status.last_error,
            schedule_minutes=settings.schedule_minutes,
            resumable=status.resumable,
        )

    def run(self, report: SyncReport, cancel: threading.Event) -> SyncOutcome:
        """One sync (blocking: the window calls it on its sync thread). A cancel raises
        SyncCancelledError; what was downloaded is kept and the next run continues."""
        result, _ = self.sync(progress=report, cancel=cancel)
        return SyncOutcome(
            changed_patient_ids=result.changed_patient_ids,
            resources=result.downloaded,
            deleted=result.deleted,
            summary=result.summary_line(),
        )

    def sync(
        self,
        *,
        full: bool = False,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> tuple[SyncResult, Reevaluation | None]:
        """One sync from the configured server or folder, then, when data changed, the worklists' loop
        closed (None when nothing changed). Blocking; the window's runs and ``cockpit sync`` both come
        here."""
        result = self._runner.run(full=full, progress=progress, cancel=cancel)
        if not result.changed:
            return result, None
        return result, close_the_loop(self._runner.store, date.today())
