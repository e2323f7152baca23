"""One open practice store and everything the window asks of it, behind one small interface."""

import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from cockpit.indicators.engine import Hit
from cockpit.indicators.quality import DataQuality
from cockpit.privacy.audit import AuditService
from cockpit.privacy.identity import Actor, Permission, os_actor, require
from cockpit.services.access import AccessService
from cockpit.services.exports import export_hits_csv
from cockpit.services.overview.attention import IndicatorAttention
from cockpit.services.overview.sections import LabSeries, PatientOverview
from cockpit.services.overview.service import OverviewService
from cockpit.services.patients import PatientRecord, PatientService, PatientSummary
from cockpit.services.risk import RiskService, RiskSnapshot
from cockpit.services.sync import SyncOutcome, SyncReport, SyncService, SyncState
from cockpit.services.worklists import WorklistService
from cockpit.store import Store


class Practice:
    """The window's view of the store. ``today`` is a callable so tests and screenshots can pin the date.

    ``actor`` is who is using the window: every look-up is audited for them. It starts as ``actor`` (the
    operating-system user in single-user mode by default); a sign-in through ``access`` replaces it."""

    def __init__(
        self, store: Store, today: Callable[[], date] = date.today, actor: Actor | None = None
    ) -> None:
        self._store = store
        self._today = today
        self.actor: Actor = actor if actor is not None else os_actor()
        current = self._current_actor
        self.patients = PatientService(store, current)
        self.risks = RiskService(store, current)
        self.attention = IndicatorAttention(self.risks)
        self.overviews = OverviewService(store, self.attention, current)
        self.audit = AuditService(store, current)
        self.worklists = WorklistService(store, current, today)
        self.syncs = SyncService(store)
        self.access = AccessService(store, self._actor_changed)  # hands over the single-user actor
        if actor is not None:
            self.actor = actor  # signed in already (tests, a command line)

    def _current_actor(self) -> Actor:
        return self.actor

    def _actor_changed(self, actor: Actor) -> None:
        """Every look-up from now on is recorded in ``actor``'s name."""
        self.actor = actor

    def count(self) -> int:
        return self.patients.count()

    # Each look-up checks the role first: the window hides what a role may not see, and this makes sure
    # that nothing else can ask for it either.

    def search(self, text: str = "", limit: int | None = 500) -> list[PatientSummary]:
        require(self.actor, Permission.VIEW_CONTACT)
        return self.patients.search(text, limit=limit)

    def resolve(self, ref: str) -> int:
        return self.patients.resolve(ref)

    def summary(self, patient_id: int) -> PatientSummary:
        require(self.actor, Permission.VIEW_CONTACT)
        return self.patients.summary(patient_id)

    def record(self, patient_id: int) -> PatientRecord:
        require(self.actor, Permission.VIEW_CLINICAL)
        return self.patients.record(patient_id)

    def patient_overview(self, patient_id: int) -> PatientOverview:
        require(self.actor, Permission.VIEW_CLINICAL)
        return self.overviews.patient_overview(patient_id, self._today())

    def lab_series(self, patient_id: int, lab: str) -> LabSeries:
        require(self.actor, Permission.VIEW_CLINICAL)
        return self.overviews.lab_series(patient_id, lab, self._today())

    def risk_lists(self) -> RiskSnapshot:
        """Evaluate the cluster's indicators over the practice; the attention panel looks its patients up
        in the result (before it, in the lists ``RiskService.snapshot_for`` evaluates: the same verdicts)."""
        require(self.actor, Permission.VIEW_RISK_LISTS)
        return self.risks.evaluate(self._today())

    def data_quality(self, indicator_id: str, as_of: date) -> DataQuality:
        """Whether the practice's coding carries what a risk list reads (shown beside the list)."""
        require(self.actor, Permission.VIEW_RISK_LISTS)
        return self.risks.data_quality(indicator_id, as_of)

    def export_hits_csv(self, indicator_id: str, hits: Sequence[Hit], path: Path) -> int:
        """A call list from a risk list as CSV; recorded in the data-out ledger before it is written."""
        require(self.actor, Permission.EXPORT)
        return export_hits_csv(
            lambda kind, destination, count, what: self.audit.record_data_out(kind, destination, count, what),
            indicator_id,
            hits,
            path,
        )

    def sync_state(self) -> SyncState:
        return self.syncs.state()

    def sync_now(self, report: SyncReport, cancel: threading.Event) -> SyncOutcome:
        require(self.actor, Permission.SYNC)
        return self.syncs.run(report, cancel)

    def database_server(self) -> str | None:
        """The practice server's host when the store is shared there (PostgreSQL), None for the embedded
        store. No I/O: it is read off the connection settings."""
        if not self._store.on_server:
            return None
        return self._store.engine.url.host or "localhost"

    def interrupt(self) -> None:
        """Stop what the store is doing right now (safe from any thread): the window is closing."""
        self._store.interrupt()

    def close(self) -> None:
        self._store.close()
