"""Risk lists: the practice's active indicators evaluated over the whole practice, kept as a snapshot that
the list view shows and the attention panel looks patients up in (a dictionary look-up, not a query)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from cockpit.indicators.engine import Hit, IndicatorResult, evaluate_many
from cockpit.indicators.model import Indicator
from cockpit.indicators.quality import DataQuality
from cockpit.indicators.service import IndicatorService
from cockpit.models.audit import AuditAction
from cockpit.privacy.audit import append
from cockpit.security.identity import Actor, os_actor
from cockpit.services.overview.facts import PatientFacts
from cockpit.services.overview.rules import (
    AttentionItem,
    AttentionSource,
    RuleBasedAttention,
    Severity,
    one_per_concern,
)
from cockpit.store import Store
from cockpit.store.transactions import immediate_connection

SEVERITY_BY_KIND: Final[dict[str, Severity]] = {
    "safety": "high",
    "outcome": "medium",
    "process": "medium",
    "utilisation": "low",
}
# Built-in attention rules that an indicator of the cluster's packs says better: while that indicator is
# active the engine's verdict is shown instead (DM-02/03 grade HbA1c more finely, so they give way only
# where the engine has a hit).
RULES_COVERED_BY: Final = {
    "DM-01": "DM-HBA1C-12M",
    "IHD-01": "IHD-STATIN",
    "SAFE-02": "SAFE-TRIPLE",
    "SAFE-03": "SAFE-NSAID-OAC",
    "SAFE-04": "SAFE-MTX-TMP",
    "SAFE-05": "SAFE-RAS-LOOP-75-MONITOR",
    "UTIL-01": "UTIL-ADM-12M",
    "POLY-01": "POLY-75-10",
}
RULES_YIELDING_TO_A_HIT: Final = {"DM-03": "DM-HBA1C-HIGH", "DM-02": "DM-HBA1C-HIGH"}


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


class RiskService:
    """``actor`` is asked at each evaluation: the lists shown are recorded for them."""

    def __init__(self, store: Store, actor: Callable[[], Actor] = os_actor) -> None:
        self._indicators = IndicatorService(store)
        self._store = store
        self._actor = actor

    def problems(self) -> list[str]:
        return self._indicators.problems()

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
        by_id = {result.indicator_id: result for result in results}
        return RiskSnapshot.of(as_of, [RiskList(i, by_id[i.id]) for i in active if i.id in by_id])


class IndicatorAttention:
    """``AttentionSource``: the cluster's indicators (from the latest snapshot) plus the built-in rules the
    indicators do not cover, one item per concern (``one_per_concern``: a patient in POLY-75-10 is not also
    shown POLY-65-5). Without a snapshot yet, the rules alone."""

    def __init__(self, rules: AttentionSource | None = None) -> None:
        self._rules = rules if rules is not None else RuleBasedAttention()
        self.snapshot: RiskSnapshot | None = None

    def attention_for(self, facts: PatientFacts, as_of: date) -> list[AttentionItem]:
        rules = self._rules.attention_for(facts, as_of)
        snapshot = self.snapshot
        if snapshot is None or snapshot.as_of != as_of:
            return rules
        hits = snapshot.by_patient.get(facts.patient_id, [])
        hit_ids = {indicator.id for indicator, _ in hits}
        active = snapshot.active_ids()
        kept = [
            item
            for item in rules
            if RULES_COVERED_BY.get(item.rule_id) not in active
            and RULES_YIELDING_TO_A_HIT.get(item.rule_id) not in hit_ids
        ]
        found = [
            AttentionItem(
                severity=SEVERITY_BY_KIND.get(indicator.kind, "medium"),
                title=indicator.title.da,
                evidence="; ".join(hit.evidence),
                rule_id=indicator.id,
                since=None,
                concern=indicator.concern or indicator.id,
                supersedes=indicator.supersedes,
            )
            for indicator, hit in hits
        ]
        # The indicators first: on a tie within a concern the cluster's indicator is the item kept.
        return one_per_concern(found + kept)
