"""Indicators of prescriptions (``unit: prescriptions``): a share of prescriptions, not of patients.

The population's prescribing criterion (a ``medication`` with ``within``) says which prescriptions are
counted, the rows of the patients in the population; the hit's prescribing criterion says which of them
are found. "Antibiotics for a cystitis within 12 months: 40 prescriptions, of which 12 were not first-line".
The hits stay patients (those with a found prescription, each with the drug and the date as evidence), so
the GP can act on them like on any other list. Both counts are one set-wise query.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, func, select

from cockpit.indicators import model as m
from cockpit.indicators.active import broad, medication_in, near_condition_join
from cockpit.indicators.codematch import code_matches
from cockpit.indicators.criteria import predicate
from cockpit.indicators.sqlbase import MEDICATIONS, PATIENTS, Context


@dataclass(frozen=True, slots=True)
class PrescriptionCounts:
    counted: int  # prescriptions of the population's prescribing criterion
    found: int  # of those, the prescriptions the hit's criterion finds

    @property
    def share(self) -> float | None:
        return self.found / self.counted if self.counted else None

    def as_json(self) -> dict[str, Any]:
        return {"population": self.counted, "hits": self.found}


def prescribing_leaf(population: m.Criterion) -> m.MedicationIn | None:
    """The population's one prescribing criterion: itself, or the only one in its top-level ``all``."""
    if isinstance(population, m.MedicationIn):
        return population if population.window is not None else None
    if isinstance(population, m.AllOf):
        leaves = [i for i in population.items if isinstance(i, m.MedicationIn) and i.window is not None]
        return leaves[0] if len(leaves) == 1 else None
    return None


def count_prescriptions(
    conn: Connection, indicator: m.Indicator, ctx: Context, patient_terms: list[ColumnElement[bool]]
) -> PrescriptionCounts:
    """The counted and found prescriptions of the population's patients. ``patient_terms`` are what the
    evaluation adds to the population's rule (alive, the patients asked for); a counted row's patient
    satisfies the prescribing criterion by that very row, so only the population's other criteria are
    applied to the patients again."""
    counted_leaf = prescribing_leaf(indicator.population)
    hit = indicator.hit
    assert counted_leaf is not None and isinstance(hit, m.MedicationIn)  # checked when the pack was built
    d = MEDICATIONS.c
    found = code_matches(d.code_system, d.code, hit.value_set)
    if _timing(hit) != _timing(counted_leaf):  # the same row conditions need not be evaluated twice
        found = and_(found, medication_in(hit, ctx))
    others = [predicate(item, ctx) for item in _other_criteria(indicator.population, counted_leaf)]
    in_population = d.patient_id.in_(select(PATIENTS.c.id).where(*patient_terms, *others))
    if counted_leaf.near_condition is not None and broad(counted_leaf.value_set):
        # Joined with the near conditions, a row can appear once per condition: count row ids once.
        joined, terms = near_condition_join(counted_leaf, ctx)
        query = (
            select(func.count(d.id.distinct()), func.count(case((found, d.id), else_=None).distinct()))
            .select_from(joined)
            .where(*terms, in_population)
        )
    else:
        counted = and_(
            code_matches(d.code_system, d.code, counted_leaf.value_set), medication_in(counted_leaf, ctx)
        )
        query = select(func.count(), func.count(case((found, d.id), else_=None))).where(
            counted, in_population
        )
    total, hits = conn.execute(query).one()
    return PrescriptionCounts(int(total), int(hits))


def _timing(leaf: m.MedicationIn) -> tuple[object, ...]:
    """What, besides its code, a prescribing criterion asks of a row."""
    return (leaf.window, leaf.active_for, leaf.near_condition)


def _other_criteria(population: m.Criterion, leaf: m.MedicationIn) -> list[m.Criterion]:
    """The population's criteria other than its prescribing one (those of its top-level ``all``)."""
    if isinstance(population, m.AllOf):
        return [item for item in population.items if item is not leaf]
    return []
