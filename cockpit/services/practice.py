"""One open practice store and everything the window asks of it, behind one small interface."""

import threading
from collections.abc import Callable
from datetime import date

from cockpit.security.identity import Actor
from cockpit.services.access import AccessService
from cockpit.services.overview import LabSeries, OverviewService, PatientOverview
from cockpit.services.patients import PatientRecord, PatientService, PatientSummary
from cockpit.services.risk import IndicatorAttention, RiskService, RiskSnapshot
from cockpit.services.sync import SyncOutcome, SyncReport, SyncService, SyncState
from cockpit.store import Store


class Practice:
    """The window's view of the store. ``today`` is a callable so tests and screenshots can pin the date."""

    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        self._store = store
        self._today = today
        self.patients = PatientService(store)
        self.attention = IndicatorAttention()
        self.overviews = OverviewService(store, self.attention)
        self.risks = RiskService(store)
        self.syncs = SyncService()
        self.access = AccessService(store, self._actor_changed)

    def _actor_changed(self, actor: Actor) -> None:
        """Every look-up from now on is recorded in ``actor``'s name."""
        self.actor = actor

    def count(self) -> int:
        return self.patients.count()

    def search(self, text: str = "", limit: int | None = 500) -> list[PatientSummary]:
        return self.patients.search(text, limit=limit)

    def resolve(self, ref: str) -> int:
        return self.patients.resolve(ref)

    def summary(self, patient_id: int) -> PatientSummary:
        return self.patients.summary(patient_id)

    def record(self, patient_id: int) -> PatientRecord:
        return self.patients.record(patient_id)

    def overview(self, patient_id: int) -> PatientOverview:
        return self.overviews.overview(patient_id, self._today())

    def lab_series(self, patient_id: int, lab: str) -> LabSeries:
        return self.overviews.lab_series(patient_id, lab, self._today())

    def risk_lists(self) -> RiskSnapshot:
        """Evaluate the cluster's indicators over the practice; the attention panel uses the result too."""
        snapshot = self.risks.evaluate(self._today())
        self.attention.snapshot = snapshot
        return snapshot

    def sync_state(self) -> SyncState:
        return self.syncs.state()

    def sync_now(self, report: SyncReport, cancel: threading.Event) -> SyncOutcome:
        return self.syncs.run(report, cancel)

    def interrupt(self) -> None:
        """Stop what the store is doing right now (safe from any thread): the window is closing."""
        self._store.interrupt()

    def close(self) -> None:
        self._store.close()
