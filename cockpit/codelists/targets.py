"""Treatment targets from ``data/targets.yaml`` (format: docs/codelists.md "Targets"), read once.

One file for every place that judges a value against a target (the overview, the attention list, the
indicator packs), so that they cannot disagree. Per measure, ordered rules: the first whose condition
holds (an age band, and/or any active condition of some codelists) is the patient's target. A file that
breaks the format raises ``TargetError``: the file ships with the program, so it is a bug to fix.
"""

import functools
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any, Final, Literal

import yaml

from cockpit.codelists.loader import DATA, Title, codelist_ids

FILE: Final = "targets.yaml"
FORMAT: Final = 1
Comparison = Literal["below", "at_most"]
COMPARISONS: Final[tuple[Comparison, ...]] = ("below", "at_most")
SIGNS: Final[dict[Comparison, str]] = {"below": "<", "at_most": "≤"}
RULE_KEYS: Final = frozenset({"age", "conditions", "reason", *COMPARISONS})
MEASURE_KEYS: Final = frozenset({"title", "unit", "sources", "reviewed", "note", "rules"})


class TargetError(ValueError):
    """The targets file breaks the format; the message names the place."""


@dataclass(frozen=True, slots=True)
class TargetRule:
    """A target and when it applies: age within [min_age, max_age] (when given; an unknown age then does
    not qualify) and, when ``conditions`` are given, any active condition of one of those codelists."""

    limit: float
    comparison: Comparison
    reason: Title
    min_age: int | None = None
    max_age: int | None = None
    conditions: tuple[str, ...] = ()

    def applies(self, age: int | None, active: Collection[str]) -> bool:
        """``active``: the ids of the codelists the patient has an active condition of."""
        if self.min_age is not None and (age is None or age < self.min_age):
            return False
        if self.max_age is not None and (age is None or age > self.max_age):
            return False
        return not self.conditions or any(codelist_id in active for codelist_id in self.conditions)

    def met_by(self, value: float) -> bool:
        return value < self.limit if self.comparison == "below" else value <= self.limit

    @property
    def sign(self) -> str:
        return SIGNS[self.comparison]

    def reason_in(self, language: str) -> str:
        return self.reason.en if language == "en" else self.reason.da


@dataclass(frozen=True, slots=True)
class Measure:
    id: str
    title: Title
    unit: str
    sources: tuple[str, ...]
    reviewed: date
    rules: tuple[TargetRule, ...]
    note: str = ""

    def target_for(self, age: int | None, active: Collection[str]) -> TargetRule | None:
        """The patient's target: the first rule that applies, None when none does."""
        return next((rule for rule in self.rules if rule.applies(age, active)), None)

    @property
    def codelists(self) -> tuple[str, ...]:
        """Every codelist a rule's condition names, in first-use order."""
        return tuple(dict.fromkeys(c for rule in self.rules for c in rule.conditions))


@functools.cache
def measures() -> dict[str, Measure]:
    resource = resources.files(__package__).joinpath(DATA, FILE)
    return parse_targets(resource.read_text("utf-8"), f"cockpit/codelists/{DATA}/{FILE}")


def measure(measure_id: str) -> Measure:
    """``KeyError`` when the file has no such measure."""
    return measures()[measure_id]


def parse_targets(text: str, file: str) -> dict[str, Measure]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise TargetError(f"{file}: not YAML ({error})") from None
    well_formed = isinstance(data, dict) and data.get("format") == FORMAT
    if not well_formed or not isinstance(data.get("measures"), dict):
        raise TargetError(f"{file}: needs format: {FORMAT} and a mapping measures")
    known = set(codelist_ids())
    return {
        str(measure_id): _measure(str(measure_id), spec, f"{file}: {measure_id}", known)
        for measure_id, spec in data["measures"].items()
    }


def _measure(measure_id: str, spec: Any, where: str, known: set[str]) -> Measure:
    if not isinstance(spec, dict):
        raise TargetError(f"{where}: must be a mapping")
    unexpected = set(spec) - MEASURE_KEYS
    missing = (MEASURE_KEYS - {"note"}) - set(spec)
    if unexpected or missing:
        raise TargetError(f"{where}: unexpected {sorted(unexpected)}, missing {sorted(missing)}")
    sources = spec["sources"]
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) and s for s in sources):
        raise TargetError(f"{where}: sources must be a non-empty list of texts")
    try:
        reviewed = date.fromisoformat(str(spec["reviewed"]))
    except ValueError:
        raise TargetError(f"{where}: reviewed must be a date (YYYY-MM-DD)") from None
    rules = spec["rules"]
    if not isinstance(rules, list) or not rules:
        raise TargetError(f"{where}: rules must be a non-empty list")
    return Measure(
        id=measure_id,
        title=_title(spec["title"], f"{where}: title"),
        unit=_text(spec["unit"], f"{where}: unit"),
        sources=tuple(sources),
        reviewed=reviewed,
        rules=tuple(_rule(rule, f"{where}: rule {index + 1}", known) for index, rule in enumerate(rules)),
        note=str(spec.get("note", "")),
    )


def _rule(spec: Any, where: str, known: set[str]) -> TargetRule:
    if not isinstance(spec, dict):
        raise TargetError(f"{where}: must be a mapping")
    unexpected = set(spec) - RULE_KEYS
    if unexpected:
        raise TargetError(f"{where}: unexpected {sorted(unexpected)}")
    given = [c for c in COMPARISONS if c in spec]
    if len(given) != 1:
        raise TargetError(f"{where}: needs exactly one of below, at_most")
    comparison = given[0]
    limit = spec[comparison]
    if isinstance(limit, bool) or not isinstance(limit, int | float):
        raise TargetError(f"{where}: {comparison} must be a number")
    age = spec.get("age", {})
    if not isinstance(age, dict) or set(age) - {"min", "max"}:
        raise TargetError(f"{where}: age takes min and/or max")
    bounds = [age.get("min"), age.get("max")]
    if any(b is not None and (isinstance(b, bool) or not isinstance(b, int)) for b in bounds):
        raise TargetError(f"{where}: age bounds are whole years")
    conditions = spec.get("conditions", [])
    if not isinstance(conditions, list) or not all(isinstance(c, str) for c in conditions):
        raise TargetError(f"{where}: conditions must be a list of codelist ids")
    for codelist_id in conditions:
        if codelist_id not in known:
            raise TargetError(f"{where}: there is no codelist {codelist_id}")
    if "reason" not in spec:
        raise TargetError(f"{where}: needs a reason in da and en")
    return TargetRule(
        limit=float(limit),
        comparison=comparison,
        reason=_title(spec["reason"], f"{where}: reason"),
        min_age=bounds[0],
        max_age=bounds[1],
        conditions=tuple(conditions),
    )


def _title(spec: Any, where: str) -> Title:
    if not isinstance(spec, dict) or set(spec) != {"da", "en"}:
        raise TargetError(f"{where}: needs da and en")
    return Title(_text(spec["da"], where), _text(spec["en"], where))


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TargetError(f"{where}: must be a non-empty text")
    return value
