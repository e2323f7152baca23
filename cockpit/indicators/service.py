"""One entry point for the cockpit's users of indicators (CLI, list views, the attention panel): the
installed packs, the practice's choice, and evaluation with the practice's thresholds."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cockpit.indicators.engine import Hit, IndicatorResult, evaluate, evaluate_many
from cockpit.indicators.model import Indicator
from cockpit.indicators.quality import DataQuality, assess
from cockpit.indicators.registry import PackRegistry
from cockpit.indicators.selection import PracticeChoice
from cockpit.store import Store


@dataclass(frozen=True, slots=True)
class Attention:
    """One reason to look at a patient: an active indicator that hits, with its evidence."""

    indicator: Indicator
    hit: Hit


class IndicatorService:
    def __init__(self, store: Store, home: Path | None = None) -> None:
        self.store = store
        self.home = home if home is not None else store.paths.home
        self.registry = PackRegistry.load(self.home)
        self.choice = PracticeChoice.load(self.home)

    def active_indicators(self) -> list[Indicator]:
        return [i for i in self.registry.indicators() if self.choice.is_active(i)]

    def problems(self) -> list[str]:
        """Imported packs that were refused and thresholds that no longer fit their pack."""
        found = list(self.registry.problems)
        for indicator in self.registry.indicators():
            found += self.choice.problems(indicator)
        return found

    def evaluate(self, indicator_id: str, as_of: date, *, with_evidence: bool = True) -> IndicatorResult:
        indicator = self.registry.indicator(indicator_id)
        return self._evaluate(indicator, as_of, with_evidence=with_evidence)

    def evaluate_active(self, as_of: date, *, with_evidence: bool = True) -> list[IndicatorResult]:
        """Every active indicator, sharing the work where populations are the same (the overview)."""
        indicators = self.active_indicators()
        return evaluate_many(
            self.store,
            indicators,
            as_of,
            thresholds=self._thresholds(indicators),
            with_evidence=with_evidence,
        )

    def attention(self, patient_id: int, as_of: date) -> list[Attention]:
        """What the active indicators say about one patient (the attention panel)."""
        indicators = {i.id: i for i in self.active_indicators()}
        results = evaluate_many(
            self.store,
            list(indicators.values()),
            as_of,
            thresholds=self._thresholds(indicators.values()),
            patient_ids=[patient_id],
        )
        return [Attention(indicators[r.indicator_id], hit) for r in results for hit in r.hits]

    def _thresholds(self, indicators: Iterable[Indicator]) -> dict[str, dict[str, float]]:
        return {i.id: self.choice.thresholds_for(i) for i in indicators}

    def quality(self, indicator_id: str, as_of: date) -> DataQuality:
        """How far the practice's data carries what the indicator reads (docs/indicators.md, "Data
        quality")."""
        indicator = self.registry.indicator(indicator_id)
        with self.store.engine.connect() as conn:
            return assess(
                conn,
                indicator,
                as_of,
                thresholds=self.choice.thresholds_for(indicator),
                known=self.registry.value_sets(),
            )

    def _evaluate(self, indicator: Indicator, as_of: date, *, with_evidence: bool) -> IndicatorResult:
        thresholds = self.choice.thresholds_for(indicator)
        return evaluate(self.store, indicator, as_of, thresholds=thresholds, with_evidence=with_evidence)
