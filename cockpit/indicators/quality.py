"""Data quality per indicator: does the practice's data carry what the indicator reads, in codes it knows?

A list of "hypertensives without a blood pressure" is only as good as the coding behind it: a clinic system
that sends blood pressure in a local code makes nearly every hypertensive a hit. For one indicator on one
date this says, without any patient data:

- per observation the indicator reads: how many of its population have one in a recognised code within the
  window, how many recognised values were in a unit that cannot be compared, and, when coverage is low,
  which codes the population does have that no installed value set knows (so the practice can tell what its
  system sends);
- per indicator that reads drugs: how many of the population's current drugs have no ATC code (named only,
  or by a reference to a Medication that never arrived), which no drug value set can match;
- how many resources of the types the indicator reads are in quarantine (kept, but not in the store's
  tables), which no list can see.

``warnings`` are the facts that make the list unreliable, as data (kind and figures) that the CLI and the
window word in Danish or English. Thresholds are documented in docs/indicators.md "Data quality".
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Final

from sqlalchemy import ColumnElement, Connection, and_, exists, func, not_, or_, select

from cockpit.indicators import model as m
from cockpit.indicators.active import alive, medication_active
from cockpit.indicators.codematch import code_matches
from cockpit.indicators.criteria import predicate
from cockpit.indicators.observations import comparable_units, observation_counts, unit_in
from cockpit.indicators.sqlbase import MEDICATIONS, OBSERVATIONS, PATIENTS, Context
from cockpit.models.base import Base
from cockpit.models.codes import ATC

QUARANTINE: Final = Base.metadata.tables["quarantined_resources"]
# Below this share of the population with the data in a recognised code, the list is flagged as unreliable.
# Process indicators ("no HbA1c in 12 months") find the patients without data on purpose, but a practice
# where most of a chronic population has none is far more likely to code it in a way the cockpit does not
# read than to have stopped measuring (Danish standards expect 80-95 % coverage for annual controls).
LOW_COVERAGE: Final = 0.5
CODES_SEEN: Final = 5
UNITS_SEEN: Final = 3
MEDICATION_TYPES: Final = ("MedicationStatement", "MedicationRequest", "Medication")
OBSERVATION_TYPES: Final = ("Observation",)
CONDITION_TYPES: Final = ("Condition",)
ENCOUNTER_TYPES: Final = ("Encounter",)


@dataclass(frozen=True, slots=True)
class CodeSeen:
    system: str
    code: str
    display: str | None
    count: int

    def as_json(self) -> dict[str, Any]:
        return {"system": self.system, "code": self.code, "display": self.display, "count": self.count}


@dataclass(frozen=True, slots=True)
class Coverage:
    """One observation value set the indicator reads, over its population and window."""

    value_set: str
    title: m.Text
    window_months: float | None
    window_days: float | None
    population: int
    with_data: int
    not_comparable: int = 0
    units_not_comparable: tuple[str, ...] = ()
    codes_seen: tuple[CodeSeen, ...] = ()

    @property
    def share_without(self) -> float:
        return 1 - self.with_data / self.population if self.population else 0.0

    @property
    def low(self) -> bool:
        return self.population > 0 and self.with_data / self.population < LOW_COVERAGE

    def as_json(self) -> dict[str, Any]:
        return {
            "value_set": self.value_set,
            "title": {"da": self.title.da, "en": self.title.en},
            "window": {"months": self.window_months} if self.window_months else {"days": self.window_days},
            "population": self.population,
            "with_data": self.with_data,
            "share_with_data": round(self.with_data / self.population, 4) if self.population else None,
            "not_comparable": self.not_comparable,
            "units_not_comparable": list(self.units_not_comparable),
            "codes_seen": [seen.as_json() for seen in self.codes_seen],
        }


@dataclass(frozen=True, slots=True)
class Warning:
    """A fact that makes the list unreliable. ``kind`` is one of: ``low_coverage`` (figures: value_set,
    share_without, codes), ``units`` (value_set, count, units), ``medications_without_atc`` (count),
    ``quarantined`` (count, types)."""

    kind: str
    figures: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.figures}


@dataclass(frozen=True, slots=True)
class DataQuality:
    indicator_id: str
    as_of: date
    population: int
    observations: tuple[Coverage, ...] = ()
    medications_read: bool = False
    medications_without_atc: int = 0
    quarantined: int = 0
    quarantined_types: tuple[str, ...] = ()
    warnings: tuple[Warning, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        return {
            "population": self.population,
            "observations": [coverage.as_json() for coverage in self.observations],
            "medications_without_atc": self.medications_without_atc if self.medications_read else None,
            "quarantined": self.quarantined,
            "quarantined_types": list(self.quarantined_types),
            "warnings": [warning.as_json() for warning in self.warnings],
        }


def assess(
    conn: Connection,
    indicator: m.Indicator,
    as_of: date,
    *,
    thresholds: dict[str, float] | None = None,
    known: Iterable[m.ValueSet] = (),
) -> DataQuality:
    """The data quality of ``indicator`` on ``as_of``. ``known``: every value set installed (any pack), so
    that "codes seen" lists only codes that nothing recognises."""
    ctx = Context(as_of, indicator.thresholds(dict(thresholds or {})))
    population = and_(alive(as_of), predicate(indicator.population, ctx))
    size = int(conn.execute(select(func.count()).select_from(PATIENTS).where(population)).scalar_one())
    leaves = list(_leaves(indicator.population)) + list(_leaves(indicator.hit))
    observed = _unique(leaf for leaf in leaves if isinstance(leaf, m.ObservationIn))
    coverages = tuple(_coverage(conn, leaf, ctx, population, size, list(known)) for leaf in observed)
    reads_drugs = any(isinstance(leaf, m.MedicationIn | m.DistinctMedications) for leaf in leaves)
    without_atc = _medications_without_atc(conn, as_of, population) if reads_drugs and size else 0
    types = _types_read(leaves)
    quarantined = _quarantined(conn, types) if types else 0
    warnings = _warnings(coverages, without_atc if reads_drugs else 0, quarantined, types)
    return DataQuality(
        indicator.id,
        as_of,
        size,
        coverages,
        reads_drugs,
        without_atc,
        quarantined,
        types if quarantined else (),
        warnings,
    )


def _leaves(criterion: m.Criterion) -> Iterator[m.Leaf]:
    if isinstance(criterion, m.AllOf | m.AnyOf):
        for item in criterion.items:
            yield from _leaves(item)
    elif isinstance(criterion, m.Not):
        yield from _leaves(criterion.item)
    else:
        yield criterion


def _unique(leaves: Iterable[m.ObservationIn]) -> list[m.ObservationIn]:
    """One coverage per value set and window (an indicator may compare the same value in two branches)."""
    seen: dict[tuple[str, m.Window], m.ObservationIn] = {}
    for leaf in leaves:
        key = (leaf.value_set.key, leaf.window)
        if key not in seen or (leaf.compares and not seen[key].compares):
            seen[key] = leaf
    return list(seen.values())


def _coverage(  # noqa: PLR0917 (one private call site)
    conn: Connection,
    leaf: m.ObservationIn,
    ctx: Context,
    population: ColumnElement[bool],
    size: int,
    known: list[m.ValueSet],
) -> Coverage:
    o = OBSERVATIONS.c
    since, until = ctx.window_bounds(leaf.window)
    in_window = and_(observation_counts(), o.effective >= since, o.effective < until)
    recognised = code_matches(o.code_system, o.code, leaf.value_set)
    has_data = exists().where(o.patient_id == PATIENTS.c.id, recognised, in_window)
    with_data = 0
    if size:
        with_data = int(
            conn.execute(select(func.count()).select_from(PATIENTS).where(population, has_data)).scalar_one()
        )
    in_population = o.patient_id.in_(select(PATIENTS.c.id).where(population))
    not_comparable = 0
    units: tuple[str, ...] = ()
    if leaf.compares and size:
        rows = conn.execute(
            select(o.unit, func.count())
            .where(
                in_population,
                recognised,
                in_window,
                o.value_num.is_not(None),
                or_(o.unit.is_(None), not_(unit_in(o.unit, comparable_units(leaf.value_set)))),
            )
            .group_by(o.unit)
            .order_by(func.count().desc(), o.unit)
        ).all()
        not_comparable = sum(count for _, count in rows)
        units = tuple(unit or "-" for unit, _ in rows[:UNITS_SEEN])
    coverage = Coverage(
        leaf.value_set.key,
        leaf.value_set.title,
        _as_float(leaf.window.months),
        _as_float(leaf.window.days),
        size,
        with_data,
        not_comparable,
        units,
    )
    if not coverage.low:
        return coverage
    unknown = [not_(code_matches(o.code_system, o.code, value_set)) for value_set in known] or [
        not_(recognised)
    ]
    rows = conn.execute(
        select(o.code_system, o.code, func.max(o.display), func.count(func.distinct(o.patient_id)))
        .where(in_population, in_window, *unknown)
        .group_by(o.code_system, o.code)
        .order_by(func.count(func.distinct(o.patient_id)).desc(), o.code_system, o.code)
        .limit(CODES_SEEN)
    ).all()
    seen = tuple(CodeSeen(system, code, display, int(count)) for system, code, display, count in rows)
    return replace(coverage, codes_seen=seen)


def _as_float(value: m.Number | None) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _medications_without_atc(conn: Connection, as_of: date, population: ColumnElement[bool]) -> int:
    c = MEDICATIONS.c
    query = (
        select(func.count())
        .select_from(MEDICATIONS)
        .where(
            c.patient_id.in_(select(PATIENTS.c.id).where(population)),
            medication_active(as_of),
            or_(c.code.is_(None), c.code_system.is_(None), c.code_system != ATC),
        )
    )
    return int(conn.execute(query).scalar_one())


def _types_read(leaves: list[m.Leaf]) -> tuple[str, ...]:
    types: list[str] = []
    for leaf in leaves:
        if isinstance(leaf, m.MedicationIn | m.DistinctMedications):
            types += MEDICATION_TYPES
        elif isinstance(leaf, m.ObservationIn):
            types += OBSERVATION_TYPES
        elif isinstance(leaf, m.ActiveCondition):
            types += CONDITION_TYPES
        elif isinstance(leaf, m.EncounterCount):
            types += ENCOUNTER_TYPES
    return tuple(dict.fromkeys(types))


def _quarantined(conn: Connection, types: tuple[str, ...]) -> int:
    q = QUARANTINE.c
    query = select(func.count()).select_from(QUARANTINE).where(q.resource_type.in_(types))
    return int(conn.execute(query).scalar_one())


def _warnings(
    coverages: tuple[Coverage, ...], without_atc: int, quarantined: int, types: tuple[str, ...]
) -> tuple[Warning, ...]:
    warnings: list[Warning] = []
    for coverage in coverages:
        if coverage.low:
            codes = [seen.as_json() for seen in coverage.codes_seen]
            warnings.append(
                Warning(
                    "low_coverage",
                    {
                        "value_set": coverage.value_set,
                        "title": {"da": coverage.title.da, "en": coverage.title.en},
                        "share_without": round(coverage.share_without, 4),
                        "codes_seen": codes,
                    },
                )
            )
        if coverage.not_comparable:
            figures = {
                "value_set": coverage.value_set,
                "title": {"da": coverage.title.da, "en": coverage.title.en},
                "count": coverage.not_comparable,
                "units": list(coverage.units_not_comparable),
            }
            warnings.append(Warning("units", figures))
    if without_atc:
        warnings.append(Warning("medications_without_atc", {"count": without_atc}))
    if quarantined:
        warnings.append(Warning("quarantined", {"count": quarantined, "types": list(types)}))
    return tuple(warnings)


def _percent(share: float) -> str:
    return f"{share * 100:.0f} %"


def _codes(codes: list[dict[str, Any]]) -> str:
    return ", ".join(f"{c['code']}" + (f" ({c['display']})" if c.get("display") else "") for c in codes)


def describe(warning: Warning, lang: str = "da") -> str:
    """The warning as one sentence for a user, in Danish (``da``) or English (``en``)."""
    f = warning.figures
    title = f.get("title", {}).get(lang) or f.get("title", {}).get("da", "")
    if warning.kind == "low_coverage":
        share = _percent(f["share_without"])
        if lang == "en":
            text = f"No {title} in a recognised code for {share} of the population"
            return text + (f"; codes seen: {_codes(f['codes_seen'])}" if f["codes_seen"] else "")
        text = f"Ingen {title} i en kendt kode for {share} af populationen"
        return text + (f"; koder set: {_codes(f['codes_seen'])}" if f["codes_seen"] else "")
    one = f.get("count") == 1
    if warning.kind == "units":
        units = ", ".join(f["units"])
        if lang == "en":
            noun = "value" if one else "values"
            return f"{f['count']} {title} {noun} in a unit that cannot be compared ({units})"
        noun = "værdi" if one else "værdier"
        return f"{f['count']} {noun} for {title} i en enhed, der ikke kan sammenlignes ({units})"
    if warning.kind == "medications_without_atc":
        if lang == "en":
            return f"{f['count']} current {'medication' if one else 'medications'} without an ATC code"
        return f"{f['count']} {'aktuelt lægemiddel' if one else 'aktuelle lægemidler'} uden ATC-kode"
    types = ", ".join(f["types"])
    if lang == "en":
        noun = "resource" if one else "resources"
        return f"{f['count']} {noun} in quarantine ({types}) that no list can see"
    noun = "ressource" if one else "ressourcer"
    return f"{f['count']} {noun} i karantæne ({types}), som ingen liste kan se"
