"""Sync for the window: its state for the status bar, and one run with progress and cancel."""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

# (what is happening, fraction done 0..1); called on the sync thread.
SyncReport = Callable[[str, float], None]


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
    """Placeholder until the sync engine is wired: nothing configured."""

    def state(self) -> SyncState:
        return SyncState(configured=False)

    def run(self, report: SyncReport, cancel: threading.Event) -> SyncOutcome:
        del report, cancel
        return SyncOutcome()
