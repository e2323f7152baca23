"""Evaluating indicators for the whole population at an as-of date, set-wise in the database.

One query selects the population with a hit flag per indicator (indicators with the same population
rule share it); then, per indicator, the hits' CPR and name and one query per evidence criterion, each
for a chunk of hits. All of them run in one read transaction, so they see the same data.
"""

from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date
from typing import Any, Final

from sqlalchemy import ColumnElement, Connection, Engine, Label, Select, case, func, or_, select

from cockpit.indicators import evidence
from cockpit.indicators.active import alive
from cockpit.indicators.criteria import predicate
from cockpit.indicators.model import Age, AllOf, AnyOf, Criterion, Everyone, Indicator, Not, Param, Sex
from cockpit.indicators.prescriptions import PrescriptionCounts, count_prescriptions
from cockpit.indicators.sqlbase import PATIENTS, Context
from cockpit.store import Store
from cockpit.store.errors import translate_db_errors
from cockpit.store.idsets import among, chunked
from cockpit.store.tuning import larger_page_cache

Source = Store | Engine | Connection
EVALUATION_CACHE_KIB: Final = 65_536


@dataclass(frozen=True, slots=True)
class Hit:
    patient_id: int
    cpr: str | None
    name: str
    evidence: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"patient_id": self.patient_id, "cpr": self.cpr, "name": self.name, "evidence": self.evidence}


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    indicator_id: str
    as_of: date
    population: int
    hits: list[Hit]
    thresholds: dict[str, float] = field(default_factory=dict)
    prescriptions: PrescriptionCounts | None = None  # for an indicator of prescriptions

    @property
    def unit(self) -> str:
        """What the figures count: "patients", or "prescriptions" for a share of prescriptions."""
        return "patients" if self.prescriptions is None else "prescriptions"

    @property
    def found(self) -> int:
        """The numerator in the indicator's unit: hits, or found prescriptions."""
        return len(self.hits) if self.prescriptions is None else self.prescriptions.found

    @property
    def counted(self) -> int:
        """The denominator in the indicator's unit: the population, or the counted prescriptions."""
        return self.population if self.prescriptions is None else self.prescriptions.counted

    @property
    def share(self) -> float | None:
        return self.found / self.counted if self.counted else None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "indicator": self.indicator_id,
            "as_of": self.as_of.isoformat(),
            "unit": self.unit,
            "population": self.population,
        }
        if self.prescriptions is not None:
            data["prescriptions"] = self.prescriptions.as_json()
        data["hits"] = [hit.as_json() for hit in self.hits]
        return data


def evaluate(
    source: Source,
    indicator: Indicator,
    as_of: date,
    *,
    thresholds: Mapping[str, float] | None = None,
    patient_ids: Collection[int] | None = None,
    with_evidence: bool = True,
) -> IndicatorResult:
    """The population and the hits of ``indicator`` on ``as_of``, each hit with its evidence.

    ``thresholds`` overrides parameter defaults (already checked against the pack's ranges);
    ``patient_ids`` restricts the evaluation to those patients (one patient's attention panel).
    """
    overrides = {indicator.id: thresholds} if thresholds else None
    (result,) = evaluate_many(
        source, [indicator], as_of, thresholds=overrides, patient_ids=patient_ids, with_evidence=with_evidence
    )
    return result


def evaluate_many(
    source: Source,
    indicators: Sequence[Indicator],
    as_of: date,
    *,
    thresholds: Mapping[str, Mapping[str, float]] | None = None,
    patient_ids: Collection[int] | None = None,
    with_evidence: bool = True,
) -> list[IndicatorResult]:
    """``evaluate`` for several indicators (``thresholds`` by indicator id), in one read transaction.

    Indicators with the same population rule (the diabetes indicators, say) share one pass over it: one
    query selects the population with a hit flag per indicator."""
    # A few known patients: look up their own rows rather than scan everyone's (see Context.per_patient).
    per_patient = patient_ids is not None and len(patient_ids) <= evidence.CHUNK
    contexts = [
        Context(as_of, i.thresholds(dict((thresholds or {}).get(i.id, {}))), per_patient) for i in indicators
    ]
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for position, (indicator, ctx) in enumerate(zip(indicators, contexts, strict=True)):
        groups[_population_key(indicator, ctx)].append(position)
    results: list[IndicatorResult | None] = [None] * len(indicators)
    with _connection(source) as conn, larger_page_cache(conn, EVALUATION_CACHE_KIB):
        for positions in groups.values():
            first = indicators[positions[0]]
            terms = [alive(as_of), predicate(first.population, contexts[positions[0]])]
            if patient_ids is not None:
                terms.append(among(conn, PATIENTS.c.id, patient_ids))
            hits = [predicate(indicators[k].hit, contexts[k]) for k in positions]
            population, hit_ids = _population_pass(conn, first, terms, hits)
            for k, ids in zip(positions, hit_ids, strict=True):
                result = _result(
                    conn,
                    indicators[k],
                    contexts[k],
                    population=population,
                    hit_ids=ids,
                    with_evidence=with_evidence,
                )
                if indicators[k].unit == "prescriptions":
                    # terms[1] is the population's rule, which count_prescriptions applies row by row.
                    counts = count_prescriptions(conn, indicators[k], contexts[k], [terms[0], *terms[2:]])
                    result = replace(result, prescriptions=counts)
                results[k] = result
    return [result for result in results if result is not None]


def _population_pass(
    conn: Connection, indicator: Indicator, terms: list[ColumnElement[bool]], hits: list[ColumnElement[bool]]
) -> tuple[int, list[list[int]]]:
    """The population's size and, per hit rule, the ids of its hits.

    A population of plain patient facts (everyone, age, sex) is cheap to select more than once: a count,
    then a query per hit rule. Any other is selected once, with a hit flag per rule and its size carried
    by a window function, so that its subqueries are not repeated."""
    if _reads_patients_only(indicator.population):
        population = conn.execute(select(func.count()).select_from(PATIENTS).where(*terms)).scalar_one()
        found = []
        for hit in hits:
            query = select(PATIENTS.c.id).where(*terms, hit).order_by(PATIENTS.c.id)
            found.append([row[0] for row in conn.execute(query)])
        return int(population), found
    flags = [case((hit, 1), else_=0).label(f"hit_{k}") for k, hit in enumerate(hits)]
    rows = conn.execute(_hits_with_population_size(terms, flags)).all()
    population = rows[0].population if rows else 0
    return population, [[row.id for row in rows if row[k + 1] == 1] for k in range(len(hits))]


def _reads_patients_only(criterion: Criterion) -> bool:
    if isinstance(criterion, AllOf | AnyOf):
        return all(_reads_patients_only(item) for item in criterion.items)
    if isinstance(criterion, Not):
        return _reads_patients_only(criterion.item)
    return isinstance(criterion, Everyone | Age | Sex)


def _hits_with_population_size(terms: list[ColumnElement[bool]], flags: list[Label[int]]) -> Select[Any]:
    """The population's hits (a row per patient with a hit flag per indicator) and, on every row, the
    population's size; the first row is always kept, so the size is there even without hits. The
    population is evaluated once, and only hits travel to Python."""
    p = PATIENTS.c
    inner = (
        select(
            p.id,
            *flags,
            func.count().over().label("population"),
            func.row_number().over(order_by=p.id).label("position"),
        )
        .where(*terms)
        .subquery()
    )
    hit_columns = [inner.c[flag.name] for flag in flags]
    any_hit = or_(*(column == 1 for column in hit_columns))
    return (
        select(inner.c.id, *hit_columns, inner.c.population)
        .where(or_(any_hit, inner.c.position == 1))
        .order_by(inner.c.id)
    )


def _result(
    conn: Connection,
    indicator: Indicator,
    ctx: Context,
    *,
    population: int,
    hit_ids: list[int],
    with_evidence: bool,
) -> IndicatorResult:
    p = PATIENTS.c
    rows: list[Any] = []
    for chunk in chunked(hit_ids, evidence.CHUNK):
        rows += conn.execute(
            select(p.id, p.cpr, p.name, p.birth_date).where(among(conn, p.id, chunk)).order_by(p.id)
        ).all()
    lines = (
        evidence.collect(conn, indicator, ctx, {row.id: row.birth_date for row in rows})
        if with_evidence
        else {}
    )
    hits = [Hit(row.id, row.cpr, row.name, lines.get(row.id, [])) for row in rows]
    return IndicatorResult(indicator.id, ctx.as_of, population, hits, dict(ctx.thresholds))


def _population_key(indicator: Indicator, ctx: Context) -> tuple[object, ...]:
    """Equal for indicators whose populations are the same rule with the same parameter values."""
    used = sorted(_parameters(indicator.population))
    return (indicator.population, tuple((name, ctx.thresholds[name]) for name in used))


def _parameters(criterion: object) -> set[str]:
    if isinstance(criterion, Param):
        return {criterion.name}
    if is_dataclass(criterion) and not isinstance(criterion, type):
        return {name for f in fields(criterion) for name in _parameters(getattr(criterion, f.name))}
    if isinstance(criterion, tuple):
        return {name for item in criterion for name in _parameters(item)}
    return set()


def population_ids(
    source: Source, indicator: Indicator, as_of: date, thresholds: Mapping[str, float]
) -> set[int]:
    """The ids of the population (for fixtures and tests; ``evaluate`` only counts them)."""
    ctx = Context(as_of, indicator.thresholds(dict(thresholds)))
    query = select(PATIENTS.c.id).where(alive(as_of), predicate(indicator.population, ctx))
    with _connection(source) as conn:
        return {row[0] for row in conn.execute(query)}


@contextmanager
def _connection(source: Source) -> Iterator[Connection]:
    if isinstance(source, Connection):
        yield source
        return
    engine = source.engine if isinstance(source, Store) else source
    with translate_db_errors(), engine.connect() as conn:
        yield conn
