"""The per-patient overview from the store: ``OverviewService.patient_overview`` loads the patient's rows
once (six indexed queries, see facts.py), records the look-up, and builds every section from them in
memory (sections.py); ``lab_series`` reads one test's history for its chart. Views get frozen dataclasses
and never see the store.
"""

from collections.abc import Callable
from datetime import date

from cockpit.errors import PatientNotFoundError
from cockpit.models.audit import AuditAction
from cockpit.privacy.audit import append
from cockpit.privacy.identity import Actor, os_actor
from cockpit.services.overview.attention import RuleBasedAttention
from cockpit.services.overview.facts import load_facts
from cockpit.services.overview.items import AttentionSource
from cockpit.services.overview.sections import LabSeries, PatientOverview, build_lab_series, build_overview
from cockpit.store import Store
from cockpit.store.transactions import immediate_session


class OverviewService:
    """``actor`` is asked at each overview: the look-up is recorded for them."""

    def __init__(
        self,
        store: Store,
        attention: AttentionSource | None = None,
        actor: Callable[[], Actor] = os_actor,
    ) -> None:
        self._store = store
        self._attention = attention if attention is not None else RuleBasedAttention()
        self._actor = actor

    def patient_overview(self, patient_id: int, as_of: date) -> PatientOverview:
        """The patient's overview; the look-up and its audit entry commit together (no entry for an
        unknown patient, no overview if the entry cannot be written)."""
        with immediate_session(self._store) as session:
            facts = load_facts(session, patient_id)
            if facts is None:
                raise PatientNotFoundError("That patient is no longer in the store.")
            append(session.connection(), self._actor(), AuditAction.PATIENT_OPEN, patient_id=patient_id)
        return build_overview(facts, as_of, self._attention)

    def lab_series(self, patient_id: int, lab: str, as_of: date) -> LabSeries:
        """The history of one test up to ``as_of``, for its chart. ``lab`` is a ``LabRow.key``, a key
        test's key or any code of a test. Loads the whole record (the target depends on the diagnoses).
        Not audited on its own: a chart is opened from an overview, whose look-up was recorded."""
        with self._store.session() as session:
            facts = load_facts(session, patient_id)
        if facts is None:
            raise PatientNotFoundError("That patient is no longer in the store.")
        return build_lab_series(facts, lab, as_of)
