"""Sync in the window: a status-bar field (last sync, errors), "sync now" (F5) and the schedule.

A sync runs on its own worker thread, never the store worker the window reads through: a first sync can
take minutes, and the GP goes on looking up patients meanwhile (SQLite's WAL lets the reads see the last
applied state until the sync commits its changes whole).
"""

import threading
from typing import Final, Protocol

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from cockpit.services.sync import SyncCancelledError, SyncOutcome, SyncProgress, SyncReport, SyncState
from cockpit.views.charts.formatting import format_count
from cockpit.views.messages import error_message
from cockpit.views.tasks import TaskRunner

MINUTE_MS: Final = 60_000
WATCH_MS: Final = 30_000


class SyncQueries(Protocol):
    def sync_state(self) -> SyncState: ...
    def sync_now(self, report: SyncReport, cancel: threading.Event) -> SyncOutcome: ...


class SyncStatus(QWidget):
    """Signals ``synced(SyncOutcome)`` after a run that changed something; ``changed_elsewhere()`` when
    another process (``cockpit sync`` from a scheduler, another workstation's window) applied a sync;
    ``failed(str)`` with the message of a run that did not finish; ``state_shown(SyncState)`` whenever the
    field is updated."""

    synced = Signal(object)
    changed_elsewhere = Signal()
    failed = Signal(str)
    state_shown = Signal(object)
    _progress = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setMaximumWidth(140)
        self.bar.hide()
        self.button = QToolButton()
        self.button.setText(self.tr("Synkronisér nu"))
        self.button.setToolTip(self.tr("Hent ændringer fra praksissystemet nu (F5)"))
        self.button.setEnabled(False)
        self.button.clicked.connect(self.sync_now)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar)
        row.addWidget(self.label)
        row.addWidget(self.button)
        self._worker = TaskRunner(self)  # its own thread: see the module's docstring
        self._queries: SyncQueries | None = None
        self._cancel = threading.Event()
        self._running = False
        self._own_run_just_finished = False
        self._may_sync = False
        self._schedule = QTimer(self)
        self._schedule.timeout.connect(self.sync_now)
        # A cheap look at the sync state now and then notices syncs applied by other processes.
        self._watch = QTimer(self, interval=WATCH_MS)
        self._watch.timeout.connect(self.refresh)
        self._seen_success: object = None
        self._progress.connect(self._show_progress)

    @property
    def running(self) -> bool:
        return self._running

    def attach(self, queries: SyncQueries, may_sync: bool = True) -> None:
        """The store is open: show its sync state, watch for syncs by other processes, and (for a role
        that may sync) start the schedule, if one is set."""
        self._queries = queries
        self._may_sync = may_sync
        self.refresh()
        self._watch.start()

    def refresh(self) -> None:
        queries = self._queries
        if queries is not None:
            self._worker.run(queries.sync_state, self._show_state, self._state_failed)

    def sync_now(self) -> None:
        queries = self._queries
        if queries is None or self._running or not self._may_sync:
            return
        self._running = True
        self._cancel.clear()
        self.button.setEnabled(False)
        self.bar.setValue(0)
        self.bar.show()
        self.label.setText(self.tr("Synkroniserer …"))
        cancel = self._cancel
        self._worker.run(
            lambda: queries.sync_now(self._progress.emit, cancel), self._finished, self._run_failed
        )

    def shutdown(self) -> None:
        """The window closes: stop a running sync at its next checkpoint (it resumes next time)."""
        self._schedule.stop()
        self._watch.stop()
        self._cancel.set()
        self._worker.shutdown()

    def _show_progress(self, progress: SyncProgress) -> None:
        count = format_count(progress.resources)
        texts = {
            "connecting": self.tr("Forbinder til praksissystemet …"),
            "exporting": self.tr("Praksissystemet forbereder data …"),
            "downloading": self.tr("Henter … {count} ændringer").format(count=count),
            "applying": self.tr("Gemmer {count} ændringer …").format(count=count),
        }
        self.label.setText(texts.get(progress.phase, self.tr("Synkroniserer …")))
        fraction = progress.fraction
        if fraction is None:
            self.bar.setRange(0, 0)  # busy: the total is not known yet
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(round(fraction * 1000))

    def _finished(self, outcome: SyncOutcome) -> None:
        self._running = False
        self._own_run_just_finished = True
        self.bar.hide()
        if outcome.changed_patient_ids or outcome.deleted or outcome.resources:
            self.synced.emit(outcome)
        self.refresh()

    def _run_failed(self, error: BaseException) -> None:
        self._running = False
        self.bar.hide()
        if isinstance(error, SyncCancelledError):  # asked for; the next run continues
            self.refresh()
            return
        self.failed.emit(error_message(error))
        self.refresh()

    def _state_failed(self, error: BaseException) -> None:
        self.label.setText(self.tr("Synkronisering: status ukendt"))
        self.label.setToolTip(error_message(error))

    def _show_state(self, state: SyncState) -> None:
        if (
            self._seen_success is not None
            and state.last_success is not None
            and state.last_success != self._seen_success
            and not self._running
            and not self._own_run_just_finished
        ):
            self.changed_elsewhere.emit()
        self._own_run_just_finished = False
        self._seen_success = state.last_success if state.last_success is not None else self._seen_success
        self.button.setEnabled(state.configured and self._may_sync and not self._running)
        if not state.configured:
            self.label.setText(self.tr("Ingen synkronisering sat op"))
            self.label.setToolTip(
                self.tr("Sæt en FHIR-server op med: cockpit sync --server URL (eller --folder MAPPE)")
            )
        elif state.last_error:
            self.label.setText(self.tr("⚠ Synkronisering fejlede"))
            self.label.setToolTip(state.last_error)
        elif state.last_success is not None:
            self.label.setText(
                self.tr("Synkroniseret {when}").format(when=state.last_success.strftime("%d.%m. %H:%M"))
            )
            self.label.setToolTip(state.source or "")
        else:
            self.label.setText(self.tr("Aldrig synkroniseret"))
            self.label.setToolTip(state.source or "")
        minutes = state.schedule_minutes
        if state.configured and minutes and self._may_sync:
            if self._schedule.interval() != minutes * MINUTE_MS or not self._schedule.isActive():
                self._schedule.start(minutes * MINUTE_MS)
        else:
            self._schedule.stop()
        self.state_shown.emit(state)
