"""Observation criteria in SQL: units compared by key, the latest comparable value, the patient's target,
repeated values some days apart. Set-wise over the covering (code, effective, ...) index for the whole
population; for a few known patients (``Context.per_patient``) correlated look-ups per patient."""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    and_,
    case,
    false,
    func,
    not_,
    null,
    or_,
    select,
    true,
)

from cockpit.codelists.units import REPLACEMENTS, normalise, spellings
from cockpit.indicators import model as m
from cockpit.indicators.active import age_predicate, condition_patients
from cockpit.indicators.codematch import code_column, code_matches
from cockpit.indicators.sqlbase import (
    OBSERVATION_VOID,
    OBSERVATIONS,
    PATIENTS,
    Context,
    compare,
    where_exists,
)
from cockpit.indicators.sqldays import DayNumber, day_shift


def observation_counts(table: FromClause = OBSERVATIONS) -> ColumnElement[bool]:
    c = table.c
    return or_(c.status.is_(None), c.status.not_in(OBSERVATION_VOID))


def unit_key_sql(unit: ColumnElement[str | None]) -> ColumnElement[str | None]:
    """The stored unit normalised in SQL exactly as ``cockpit.codelists.units.normalise`` does in Python
    (``lower`` and ``replace`` exist in SQLite and PostgreSQL alike)."""
    key: ColumnElement[str | None] = func.lower(unit)
    for old, new in REPLACEMENTS:
        key = func.replace(key, old, new)
    return key


def unit_spellings(units: Iterable[str]) -> tuple[str, ...]:
    """Every normalised spelling of these units, sorted (stable SQL for the statement cache)."""
    return tuple(sorted(set().union(*(spellings(unit) for unit in units))))


def unit_in(unit: ColumnElement[str | None], units: Iterable[str]) -> ColumnElement[bool]:
    """The stored unit is a spelling of one of ``units``. Most rows carry one of them exactly as written
    (or as already normalised), which a plain IN answers; only the others pay for the nine ``replace``
    calls of ``unit_key_sql`` (SQL's OR stops at the first true term)."""
    units = tuple(units)
    wanted = unit_spellings(units)
    # An ASCII unit normalises alike in Python and SQL (SQLite's lower() folds ASCII only).
    verbatim = {u for u in units if u.isascii() and normalise(u) in wanted}
    return or_(unit.in_(sorted({*wanted, *verbatim})), unit_key_sql(unit).in_(wanted))


def comparable_value(value_set: m.ValueSet, table: FromClause = OBSERVATIONS) -> ColumnElement[float | None]:
    """The value in the value set's unit: as recorded (in any spelling of it: "mmol/l" is "mmol/L"), or
    converted from a unit it has a conversion for; NULL for any other unit (a value that cannot be compared
    is not guessed at, and the data-quality figures count it)."""
    o = table.c
    whens: list[tuple[ColumnElement[bool], ColumnElement[float | None]]] = [
        (unit_in(o.unit, value_set.units), o.value_num)
    ]
    for conversion in value_set.conversions:
        converted: ColumnElement[float | None] = o.value_num
        if conversion.add_before:
            converted = converted + conversion.add_before
        if conversion.multiply != 1:
            converted = converted * conversion.multiply
        if conversion.add_after:
            converted = converted + conversion.add_after
        whens.append((unit_in(o.unit, (conversion.from_unit,)), converted))
    return case(*whens, else_=None)


def comparable_units(value_set: m.ValueSet) -> tuple[str, ...]:
    return (*value_set.units, *(c.from_unit for c in value_set.conversions))


def latest_observations(
    value_set: m.ValueSet,
    *,
    comparable: bool,
    since: datetime | None,
    until: datetime,
    code_indexed: bool = True,
    numeric: bool = False,
    lean: bool = False,
) -> Select[Any]:
    """Per patient, the rank of each matching observation (1 = latest), with the row and ``value``
    (the comparable value when ``comparable``, which also leaves out rows that cannot be compared; only
    rows with a numeric value when ``numeric``). ``lean``: only the patient, the rank and the value, all of
    them in the covering (code, effective, ...) index, so that no table row is read.

    Ties on the time are broken by the row id (the later import wins), the same rule everywhere."""
    o = OBSERVATIONS.c
    conditions = [
        code_matches(o.code_system, code_column(o.code, code_indexed), value_set),
        observation_counts(),
        o.effective < until,
    ]
    if since is not None:
        conditions.append(o.effective >= since)
    value: ColumnElement[float | None] = o.value_num
    if comparable:
        conditions += [o.value_num.is_not(None), unit_in(o.unit, comparable_units(value_set))]
        value = comparable_value(value_set)
    elif numeric:
        conditions.append(o.value_num.is_not(None))
    rank = func.row_number().over(partition_by=o.patient_id, order_by=(o.effective.desc(), o.id.desc()))
    columns: tuple[ColumnElement[Any], ...] = (o.patient_id,)
    if not lean:
        # A comparable value is always a number: its text is not read, and the index covers the rest.
        text = null().label("value_text") if comparable else o.value_text
        columns = (o.patient_id, o.id, o.code, o.effective, o.value_num, o.unit, text)
    return select(*columns, rank.label("recency"), value.label("value")).where(*conditions)


def observation_predicate(leaf: m.ObservationIn, ctx: Context) -> ColumnElement[bool]:
    """Set-wise like the other leaves: the patients whose rows of the leaf's codes in its window meet it,
    read once from the covering (code, effective, ...) index. For a few known patients
    (``ctx.per_patient``) a correlated look-up per patient in the (patient_id, code, effective) index."""
    if ctx.per_patient:
        return observation_per_patient(leaf, ctx)
    o = OBSERVATIONS.c
    if leaf.repeated is not None:
        return PATIENTS.c.id.in_(repeated_patients(leaf, leaf.repeated, ctx))
    if not leaf.compares:
        return PATIENTS.c.id.in_(
            select(o.patient_id).where(*_observation_terms(OBSERVATIONS, None, leaf, ctx))
        )
    since, until = ctx.window_bounds(leaf.window)
    # A CTE: a target's rules each test the latest value, and the database ranks the rows once for all.
    ranked = latest_observations(leaf.value_set, comparable=True, since=since, until=until, lean=True).cte()

    def latest_is(test: ColumnElement[bool]) -> ColumnElement[bool]:
        return PATIENTS.c.id.in_(select(ranked.c.patient_id).where(ranked.c.recency == 1, test))

    if leaf.target is not None:
        return misses_target(latest_is, ranked.c.value, leaf.target, ctx)
    assert leaf.comparison is not None
    return latest_is(compare(ranked.c.value, leaf.comparison.op, ctx.number(leaf.comparison.value)))


def observation_per_patient(leaf: m.ObservationIn, ctx: Context) -> ColumnElement[bool]:
    """Correlated EXISTS per candidate patient: the (patient_id, code, effective) index finds that
    patient's few rows.

    "The latest comparable value satisfies X" is written as: some comparable row in the window satisfies
    X and no comparable row in the window is later (by time, then id). An ORDER BY ... LIMIT 1 or a
    max() subquery would say the same, but without statistics SQLite answers those by walking the
    (code, effective) index across all patients, for every patient."""
    if leaf.repeated is not None:
        return repeated_predicate(leaf, leaf.repeated, ctx)
    row = OBSERVATIONS.alias("obs")
    if not leaf.compares:
        return where_exists(*_observation_terms(row, PATIENTS.c.id, leaf, ctx))
    later = OBSERVATIONS.alias("later_obs")
    superseded = where_exists(
        *_observation_terms(later, row.c.patient_id, leaf, ctx, comparable=True, code_indexed=False),
        later.c.effective >= row.c.effective,
        or_(later.c.effective > row.c.effective, later.c.id > row.c.id),
    )
    value = comparable_value(leaf.value_set, row)

    def latest_is(test: ColumnElement[bool]) -> ColumnElement[bool]:
        return where_exists(
            *_observation_terms(row, PATIENTS.c.id, leaf, ctx, comparable=True), test, not_(superseded)
        )

    if leaf.target is not None:
        return misses_target(latest_is, value, leaf.target, ctx)
    assert leaf.comparison is not None
    return latest_is(compare(value, leaf.comparison.op, ctx.number(leaf.comparison.value)))


def repeated_patients(leaf: m.ObservationIn, repeated: m.Repeated, ctx: Context) -> Select[tuple[int]]:
    """The patients with a qualifying value that has another one at least ``apart`` calendar days later
    (and at least ``min`` qualifying values when ``min`` is above 2). Some pair is that far apart exactly
    when the first and the last qualifying day are, so one grouped pass over the rows answers it."""
    o = OBSERVATIONS.c
    day = DayNumber(o.effective)
    having = [func.max(day) - func.min(day) >= ctx.whole(repeated.apart.days)]
    minimum = ctx.whole(repeated.min)
    if minimum > 2:
        having.append(func.count() >= minimum)
    return (
        select(o.patient_id)
        .where(*repeated_terms(OBSERVATIONS, None, leaf, repeated, ctx))
        .group_by(o.patient_id)
        .having(*having)
    )


def target_applies(rule: m.TargetRule, ctx: Context) -> ColumnElement[bool]:
    """The rule's condition, over ``patients``: the age band and any active condition of its codelists."""
    terms: list[ColumnElement[bool]] = []
    if rule.min_age is not None or rule.max_age is not None:
        low = float(rule.min_age) if rule.min_age is not None else None
        high = float(rule.max_age) if rule.max_age is not None else None
        terms.append(age_predicate(m.Age(low, high), ctx))  # an unknown age meets no age band
    if rule.conditions:
        terms.append(
            or_(
                *(
                    PATIENTS.c.id.in_(condition_patients(value_set, ctx.as_of))
                    for value_set in rule.conditions
                )
            )
        )
    return and_(*terms) if terms else true()


def misses_target(
    latest_is: Callable[[ColumnElement[bool]], ColumnElement[bool]],
    value: ColumnElement[float | None],
    target: m.Target,
    ctx: Context,
) -> ColumnElement[bool]:
    """The latest value does not meet the patient's target: rule i decides when its condition holds and
    no earlier rule's does (the targets file's order), which is what ``CASE WHEN c1 THEN … WHEN c2 THEN …``
    says; no rule applying means no target, never a miss (``ELSE false``, so never NULL). The conditions
    are about the patient, so they stand outside the observation ``EXISTS`` (``latest_is``): per patient
    only the applying rule's ``EXISTS`` runs, and each condition's subquery is written once (measured on
    20,000 demo patients: 400 ms with the rules as an OR of ANDs that repeat the earlier conditions,
    see docs/indicators.md "Performance")."""
    whens = [
        (
            target_applies(rule, ctx),
            latest_is(value >= rule.limit if rule.strict else value > rule.limit),
        )
        for rule in target.rules
    ]
    return cast(ColumnElement[bool], case(*whens, else_=false()))


def target_rule_index(target: m.Target, ctx: Context) -> ColumnElement[int | None]:
    """Over ``patients``: the position of the patient's rule in ``target.rules`` (NULL: none applies)."""
    return case(*((target_applies(rule, ctx), index) for index, rule in enumerate(target.rules)), else_=None)


def repeated_terms(
    table: FromClause,
    patient_id: ColumnElement[int] | None,
    leaf: m.ObservationIn,
    repeated: m.Repeated,
    ctx: Context,
    *,
    code_indexed: bool = True,
) -> list[ColumnElement[bool]]:
    """A comparable value of the leaf's value set in its window that satisfies the repeated comparison."""
    threshold = ctx.number(repeated.comparison.value)
    return [
        *_observation_terms(table, patient_id, leaf, ctx, comparable=True, code_indexed=code_indexed),
        compare(comparable_value(leaf.value_set, table), repeated.comparison.op, threshold),
    ]


def repeated_predicate(leaf: m.ObservationIn, repeated: m.Repeated, ctx: Context) -> ColumnElement[bool]:
    """Some qualifying value has another qualifying value at least ``apart`` calendar days later (and,
    for ``min`` above 2, there are at least ``min`` qualifying values). Correlated, like the other
    observation criteria: per candidate patient the (patient_id, code, effective) index finds the rows."""
    first = OBSERVATIONS.alias("first_obs")
    second = OBSERVATIONS.alias("second_obs")
    apart = ctx.whole(repeated.apart.days)
    later = where_exists(
        *repeated_terms(second, first.c.patient_id, leaf, repeated, ctx, code_indexed=False),
        second.c.effective >= day_shift(first.c.effective, apart),
    )
    holds = where_exists(*repeated_terms(first, PATIENTS.c.id, leaf, repeated, ctx), later)
    minimum = ctx.whole(repeated.min)
    if minimum <= 2:
        return holds
    counted = OBSERVATIONS.alias("counted_obs")
    count = (
        select(func.count())
        .select_from(counted)
        .where(*repeated_terms(counted, PATIENTS.c.id, leaf, repeated, ctx))
        .scalar_subquery()
    )
    return and_(holds, count >= minimum)


def _observation_terms(
    table: FromClause,
    patient_id: ColumnElement[int] | None,
    leaf: m.ObservationIn,
    ctx: Context,
    *,
    comparable: bool = False,
    code_indexed: bool = True,
) -> list[ColumnElement[bool]]:
    o = table.c
    since, until = ctx.window_bounds(leaf.window)
    terms = [
        code_matches(o.code_system, code_column(o.code, code_indexed), leaf.value_set),
        observation_counts(table),
        o.effective >= since,
        o.effective < until,
    ]
    if patient_id is not None:  # correlated with the patient; else every patient's rows
        terms.insert(0, o.patient_id == patient_id)
    if comparable:
        terms += [o.value_num.is_not(None), unit_in(o.unit, comparable_units(leaf.value_set))]
    elif leaf.numeric:
        terms.append(o.value_num.is_not(None))
    return terms
