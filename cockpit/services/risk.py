"""Risk lists: the practice's active indicators evaluated over the whole practice, kept as a snapshot that
the list view shows and the attention panel looks patients up in (a dictionary look-up, not a query)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from cockpit.indicators.engine import Hit, IndicatorResult, evaluate_many
from cockpit.indicators.model import Indicator
from cockpit.indicators.quality import DataQuality
from cockpit.indicators.service import IndicatorService
from cockpit.models.audit import AuditAction
from cockpit.privacy.audit import append
from cockpit.privacy.identity import Actor, os_actor
from cockpit.store import Store
from cockpit.store.transactions import immediate_connection


@dataclass(frozen=True, slots=True)
class RiskList:
    indicator: Indicator
    result: IndicatorResult

    @property
    def share(self) -> float | None:
        """Found over counted in the indicator's unit: hits of the population, or found prescriptions of
        the counted ones for an indicator of prescriptions."""
        return self.result.share


@dataclass(frozen=True, slots=True)
class RiskSnapshot:
    as_of: date
    lists: tuple[RiskList, ...]
    by_patient: dict[int, list[tuple[Indicator, Hit]]] = field(default_factory=dict)

    @classmethod
    def of(cls, as_of: date, lists: list[RiskList]) -> "RiskSnapshot":
        by_patient: dict[int, list[tuple[Indicator, Hit]]] = {}
        for risk in lists:
            for hit in risk.result.hits:
                by_patient.setdefault(hit.patient_id, []).append((risk.indicator, hit))
        return cls(as_of, tuple(lists), by_patient)

    def active_ids(self) -> set[str]:
        return {risk.indicator.id for risk in self.lists}

    def findings_for(self, patient_id: int) -> "IndicatorFindings":
        return IndicatorFindings(
            self.as_of, frozenset(self.active_ids()), tuple(self.by_patient.get(patient_id, ()))
        )


@dataclass(frozen=True, slots=True)
class IndicatorFindings:
    """What the cluster's active indicators say about one patient on ``as_of``: which are active (one
    that does not find the patient says "no"), and those that find the patient, with the hit."""

    as_of: date
    active: frozenset[str]
    hits: tuple[tuple[Indicator, Hit], ...]


class RiskService:
    """``actor`` is asked at each evaluation: the lists shown are recorded for them."""

    def __init__(self, store: Store, actor: Callable[[], Actor] = os_actor) -> None:
        self._indicators = IndicatorService(store)
        self._store = store
        self._actor = actor
        self._latest: RiskSnapshot | None = None

    @property
    def latest(self) -> RiskSnapshot | None:
        """The risk lists last evaluated (a failed evaluation leaves the previous ones)."""
        return self._latest

    def data_quality(self, indicator_id: str, as_of: date) -> DataQuality:
        """Aggregate figures only (no patient is listed), so nothing is recorded in the audit log."""
        return self._indicators.quality(indicator_id, as_of)

    def evaluate(self, as_of: date) -> RiskSnapshot:
        """Every active indicator over the whole practice, in one transaction with its audit entries: one
        ``list.show`` per indicator, with the indicator id and the number of patients it lists."""
        active = self._indicators.active_indicators()
        thresholds = {i.id: self._indicators.choice.thresholds_for(i) for i in active}
        with immediate_connection(self._store) as conn:
            results = evaluate_many(conn, active, as_of, thresholds=thresholds)
            actor = self._actor()
            for result in results:
                append(
                    conn,
                    actor,
                    AuditAction.LIST_SHOW,
                    list_ref=result.indicator_id,
                    patient_count=len(result.hits),
                )
        return self._keep(as_of, active, results)

    def snapshot_for(self, as_of: date) -> RiskSnapshot:
        """The risk lists of ``as_of`` for the attention panel: the last evaluated when they are of that day,
        else evaluated now and kept, so that the panel does not depend on whether the lists were loaded
        first. Evaluated here, no list is shown, so none is recorded as shown (the patient's look-up that
        asks is recorded itself)."""
        latest = self._latest
        if latest is not None and latest.as_of == as_of:
            return latest
        active = self._indicators.active_indicators()
        thresholds = {i.id: self._indicators.choice.thresholds_for(i) for i in active}
        return self._keep(as_of, active, evaluate_many(self._store, active, as_of, thresholds=thresholds))

    def _keep(self, as_of: date, active: list[Indicator], results: list[IndicatorResult]) -> RiskSnapshot:
        by_id = {result.indicator_id: result for result in results}
        snapshot = RiskSnapshot.of(as_of, [RiskList(i, by_id[i.id]) for i in active if i.id in by_id])
        self._latest = snapshot
        return snapshot
