"""Criteria to SQLAlchemy Core: each criterion becomes a boolean expression over ``patients``, each leaf a
``patients.id IN (subquery)`` that the database evaluates once for the whole population.

Only portable SQL: comparisons, IN, LIKE, GROUP BY/HAVING, COUNT(DISTINCT), ``row_number()`` and
``max()`` windows, CASE and ``length``/``substr``. Dates and date arithmetic are computed here in Python
and bound as values, so SQLite and PostgreSQL see the same query. The one exception is ``DayNumber``
(hospital stays compare one row's dates with another's): a calendar day as a number, written in each
dialect's own words. Prefix matches are range comparisons (which use the
code indexes) plus a LIKE (which keeps them exact under any collation), always on the same code system.

The building blocks live beside it: ``sqlbase`` (tables, statuses, ``Context``), ``codematch``,
``active``, ``observations``, ``stays`` and ``sqldays``; this module puts a criterion together from them."""

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    func,
    not_,
    or_,
    select,
    true,
)

from cockpit.indicators import model as m
from cockpit.indicators.active import (
    age_predicate,
    atc_at_level,
    atc_level_terms,
    broad,
    condition_patients,
    medication_active,
    medication_in,
    near_condition_join,
)
from cockpit.indicators.codematch import code_matches
from cockpit.indicators.observations import observation_predicate
from cockpit.indicators.sqlbase import ENCOUNTERS, MEDICATIONS, PATIENTS, Context
from cockpit.indicators.stays import counted_stays, encounter_terms


def predicate(criterion: m.Criterion, ctx: Context) -> ColumnElement[bool]:
    """A boolean expression over ``patients`` that holds for the patients meeting ``criterion``."""
    if isinstance(criterion, m.AllOf):
        return and_(*(predicate(item, ctx) for item in criterion.items))
    if isinstance(criterion, m.AnyOf):
        return or_(*(predicate(item, ctx) for item in criterion.items))
    if isinstance(criterion, m.Not):
        return not_(predicate(criterion.item, ctx))
    if isinstance(criterion, m.Age):
        return age_predicate(criterion, ctx)
    if isinstance(criterion, m.Sex):
        return PATIENTS.c.sex == criterion.sex
    if isinstance(criterion, m.Everyone):
        return true()
    if isinstance(criterion, m.ObservationIn):
        return observation_predicate(criterion, ctx)
    return PATIENTS.c.id.in_(matching_patients(criterion, ctx))


def matching_patients(leaf: m.Leaf, ctx: Context) -> Select[tuple[int]]:
    """The ids of the patients for whom a leaf that reads clinical rows holds."""
    if isinstance(leaf, m.ActiveCondition):
        return condition_patients(leaf.value_set, ctx.as_of)
    if isinstance(leaf, m.MedicationIn):
        d = MEDICATIONS.c
        if leaf.near_condition is not None and broad(leaf.value_set):
            joined, terms = near_condition_join(leaf, ctx)
            return select(d.patient_id).select_from(joined).where(*terms)
        return select(d.patient_id).where(
            code_matches(d.code_system, d.code, leaf.value_set), medication_in(leaf, ctx)
        )
    if isinstance(leaf, m.DistinctMedications):
        d = MEDICATIONS.c
        distinct_code = atc_at_level(leaf.level)
        return (
            select(d.patient_id)
            .where(*atc_level_terms(leaf.level), medication_active(ctx.as_of))
            .group_by(d.patient_id)
            .having(func.count(distinct_code.distinct()) >= ctx.whole(leaf.min))
        )
    if isinstance(leaf, m.EncounterCount):
        e = ENCOUNTERS.c
        since, until = ctx.window_bounds(leaf.window)
        return (
            select(e.patient_id)
            .where(*encounter_terms(leaf, since, until))
            .group_by(e.patient_id)
            .having(func.count() >= ctx.whole(leaf.min))
        )
    if isinstance(leaf, m.StayCount):
        stays = counted_stays(leaf, ctx).subquery("counted")
        return (
            select(stays.c.patient_id)
            .group_by(stays.c.patient_id)
            .having(func.count() >= ctx.whole(leaf.min))
        )
    raise TypeError(f"no SQL for {type(leaf).__name__}")
