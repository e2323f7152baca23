"""Evidence per hit: the rows that made a criterion hold, or the absence that did ("Ingen HbA1c inden for
12 måneder (seneste 03-06-2024: 52 mmol/mol)").

Set-wise like the criteria: one query per evidence criterion for a chunk of hits, never one per patient.
The loop over rows only formats text. Which criteria give evidence: every criterion of the hit rule
(sex excepted), and the population's criteria that carry an ``evidence`` template in the pack.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy import Connection, func, not_, or_, select

from cockpit.codelists.units import same_unit
from cockpit.indicators import model as m
from cockpit.indicators.active import (
    atc_at_level,
    atc_level_terms,
    condition_active,
    medication_active,
    medication_in,
)
from cockpit.indicators.codematch import code_matches
from cockpit.indicators.criteria import predicate
from cockpit.indicators.dates import age_on, next_midnight
from cockpit.indicators.observations import (
    comparable_value,
    latest_observations,
    repeated_terms,
    target_rule_index,
)
from cockpit.indicators.sqlbase import CONDITIONS, ENCOUNTERS, MEDICATIONS, OBSERVATIONS, PATIENTS, Context
from cockpit.indicators.stays import counted_stays, encounter_terms
from cockpit.indicators.templates import DEFAULTS, MEDICATION_NOT_PRESCRIBED, OBSERVATION_NOT_COMPARED, render
from cockpit.models.danish import dk_date, dk_number
from cockpit.store.idsets import among, chunked

# Hit ids per query: well under the bound-parameter limits (SQLite 32,766, PostgreSQL 65,535), and small
# enough that the planner keeps using the (patient_id, ...) indexes.
CHUNK: Final = 2000
NONE: Final = "–"
MEDICATION_STATUS: Final = {
    "stopped": "stoppet",
    "completed": "afsluttet",
    "on-hold": "pauseret",
    "active": "aktiv",
}
# UCUM codes as a Danish GP reads them.
UNIT_DISPLAY: Final = {
    "mm[Hg]": "mmHg",
    "umol/L": "µmol/L",
    "mL/min/{1.73_m2}": "mL/min/1,73 m²",
    "kg/m2": "kg/m²",
    "10*9/L": "×10⁹/L",
}

Lines = dict[int, list[str]]


Guard = tuple[m.Criterion, bool]


@dataclass(frozen=True, slots=True)
class EvidenceLeaf:
    """A criterion that gives evidence. ``present``: the hit needs it to hold (False: to not hold).

    ``guards`` are the branches of the alternatives above it ("any", or "all" under "not"), each with
    the polarity it needs: the criterion explains a hit only when all of them hold for that patient.
    Without guards every hit has the criterion with this polarity."""

    leaf: m.Leaf
    present: bool
    guards: tuple[Guard, ...] = ()


def evidence_leaves(indicator: m.Indicator) -> list[EvidenceLeaf]:
    found: list[EvidenceLeaf] = []
    _walk(indicator.population, True, (), found, templated_only=True)
    _walk(indicator.hit, True, (), found, templated_only=False)
    return found


def _walk(
    criterion: m.Criterion,
    present: bool,
    guards: tuple[Guard, ...],
    found: list[EvidenceLeaf],
    *,
    templated_only: bool,
) -> None:
    if isinstance(criterion, m.AllOf | m.AnyOf):
        alternatives = isinstance(criterion, m.AnyOf) == present  # not(all(a, b)) = not a or not b
        for item in criterion.items:
            inner = (*guards, (item, present)) if alternatives else guards
            _walk(item, present, inner, found, templated_only=templated_only)
    elif isinstance(criterion, m.Not):
        _walk(criterion.item, not present, guards, found, templated_only=templated_only)
    elif isinstance(criterion, m.Sex | m.Everyone):
        return
    elif not templated_only or getattr(criterion, "evidence", None) is not None:
        found.append(EvidenceLeaf(criterion, present, guards))


def collect(
    conn: Connection, indicator: m.Indicator, ctx: Context, birth_dates: dict[int, date | None]
) -> Lines:
    """Evidence lines for each hit (the keys of ``birth_dates``), in the order of the criteria."""
    lines: Lines = {patient_id: [] for patient_id in birth_dates}
    for chunk in chunked(birth_dates, CHUNK):
        guarded: dict[tuple[Guard, ...], list[int]] = {}  # leaves of one branch share their guards
        for item in evidence_leaves(indicator):
            ids = chunk
            if item.guards:
                if item.guards not in guarded:
                    guarded[item.guards] = _guarded(conn, item.guards, ctx, chunk)
                ids = guarded[item.guards]
            for patient_id, text in _leaf_lines(conn, item, ctx, ids, birth_dates):
                lines[patient_id].append(text)
    return lines


def _guarded(conn: Connection, guards: tuple[Guard, ...], ctx: Context, ids: list[int]) -> list[int]:
    """The patients among ``ids`` for whom every guard holds."""
    terms = [predicate(guard, ctx) if present else not_(predicate(guard, ctx)) for guard, present in guards]
    query = select(PATIENTS.c.id).where(among(conn, PATIENTS.c.id, ids), *terms).order_by(PATIENTS.c.id)
    return [row[0] for row in conn.execute(query)]


def _leaf_lines(
    conn: Connection, item: EvidenceLeaf, ctx: Context, ids: Sequence[int], births: dict[int, date | None]
) -> Iterator[tuple[int, str]]:
    if not ids:
        return
    leaf = item.leaf
    if isinstance(leaf, m.Age):
        template = DEFAULTS[("age", item.present)]
        for patient_id in ids:
            birth = births.get(patient_id)
            yield patient_id, render(template, {"age": str(age_on(birth, ctx.as_of)) if birth else NONE})
    elif isinstance(leaf, m.ActiveCondition):
        yield from _condition_lines(conn, leaf, item.present, ctx, ids)
    elif isinstance(leaf, m.MedicationIn):
        yield from _medication_lines(conn, leaf, item.present, ctx, ids)
    elif isinstance(leaf, m.ObservationIn):
        yield from _observation_lines(conn, leaf, item.present, ctx, ids)
    elif isinstance(leaf, m.EncounterCount):
        yield from _encounter_lines(conn, leaf, item.present, ctx, ids)
    elif isinstance(leaf, m.StayCount):
        yield from _stay_lines(conn, leaf, item.present, ctx, ids)
    elif isinstance(leaf, m.DistinctMedications):
        yield from _distinct_lines(conn, leaf, item.present, ctx, ids)


def _template(leaf: Any, kind: str, present: bool) -> str:
    custom: str | None = leaf.evidence
    return custom if custom is not None else DEFAULTS[(kind, present)]


# --- conditions and medications -------------------------------------------------------------------------


def _condition_lines(
    conn: Connection, leaf: m.ActiveCondition, present: bool, ctx: Context, ids: Sequence[int]
) -> Iterator[tuple[int, str]]:
    template = _template(leaf, "condition", present)
    if not present:
        for patient_id in ids:
            yield patient_id, render(template, {"label": leaf.label, "as_of": dk_date(ctx.as_of)})
        return
    c = CONDITIONS.c
    query = (
        select(c.patient_id, c.code, c.display, c.onset)
        .where(
            among(conn, c.patient_id, ids),
            code_matches(c.code_system, c.code, leaf.value_set),
            condition_active(ctx.as_of),
        )
        .order_by(c.patient_id, c.onset, c.id)
    )
    for patient_id, code, display, onset in conn.execute(query):
        fields = {"label": leaf.label, "code": code, "display": display or code, "onset": dk_date(onset)}
        yield patient_id, render(template, fields)


def _medication_lines(
    conn: Connection, leaf: m.MedicationIn, present: bool, ctx: Context, ids: Sequence[int]
) -> Iterator[tuple[int, str]]:
    template = _template(leaf, "medication", present)
    d = MEDICATIONS.c
    matches = code_matches(d.code_system, d.code, leaf.value_set)
    if present:
        query = (
            select(d.patient_id, d.code, d.drug_name, d.start, d.end)
            .where(among(conn, d.patient_id, ids), matches, medication_in(leaf, ctx))
            .order_by(d.patient_id, d.start, d.id)
        )
        for patient_id, code, drug, start, end in conn.execute(query):
            fields = {
                "label": leaf.label,
                "code": code,
                "drug": drug,
                "start": dk_date(start),
                "end": _day(end),
            }
            yield patient_id, render(template, fields)
        return
    # Absent: name the latest earlier prescription of the kind, if there was one.
    rank = func.row_number().over(partition_by=d.patient_id, order_by=(d.start.desc(), d.id.desc()))
    ranked = (
        select(d.patient_id, d.code, d.drug_name, d.start, d.end, d.status, rank.label("recency"))
        .where(
            among(conn, d.patient_id, ids),
            matches,
            d.start <= ctx.as_of,
            or_(d.status.is_(None), d.status != "entered-in-error"),
        )
        .subquery()
    )
    last = {
        row.patient_id: _last_prescription(row)
        for row in conn.execute(select(ranked).where(ranked.c.recency == 1))
    }
    if leaf.window is not None and leaf.evidence is None:
        template = MEDICATION_NOT_PRESCRIBED
    window = _window_text(leaf.window, ctx) if leaf.window is not None else ""
    for patient_id in ids:
        fields = {
            "label": leaf.label,
            "as_of": dk_date(ctx.as_of),
            "last": last.get(patient_id, "aldrig ordineret"),
            "window": window,
        }
        yield patient_id, render(template, fields)


# --- observations ------------------------------------------------------------------------------------------


def _observation_lines(
    conn: Connection, leaf: m.ObservationIn, present: bool, ctx: Context, ids: Sequence[int]
) -> Iterator[tuple[int, str]]:
    if leaf.repeated is not None:
        yield from _repeated_lines(conn, leaf, present, ctx, ids)
        return
    since, until = ctx.window_bounds(leaf.window)
    comparable = leaf.compares
    in_window = _latest(conn, leaf, ids, comparable=comparable, since=since, until=until)
    window = _window_text(leaf.window, ctx)
    goals = _target_texts(conn, leaf.target, ctx, ids) if leaf.target is not None else {}
    if present:
        template = _template(leaf, "observation", True)
        for patient_id in ids:
            row = in_window.get(patient_id)
            if row is not None:
                fields = {**_observation_fields(leaf, row, comparable), "target": goals.get(patient_id, "")}
                yield patient_id, render(template, fields)
        return
    ever = _latest(conn, leaf, ids, comparable=comparable, since=None, until=next_midnight(ctx.as_of))
    custom = leaf.evidence
    for patient_id in ids:
        row = in_window.get(patient_id)
        last = ever.get(patient_id)
        fields = {
            "label": leaf.label,
            "window": window,
            "since": dk_date(ctx.window_start(leaf.window) + timedelta(days=1)),
            "last": _last_text(leaf, last, comparable) if last else "aldrig målt",
            "target": goals.get(patient_id, ""),
            **_value_fields(leaf, row or last, comparable),
        }
        if custom is not None:
            yield patient_id, render(custom, fields)
        elif row is not None:  # a comparison that the latest value in the window does not meet
            yield patient_id, render(OBSERVATION_NOT_COMPARED, fields)
        else:
            yield patient_id, render(DEFAULTS[("observation", False)], fields)


def _target_texts(conn: Connection, target: m.Target, ctx: Context, ids: Sequence[int]) -> dict[int, str]:
    """Each patient's target and its reason, " (mål < 130: diabetes)", for those who have one."""
    query = select(PATIENTS.c.id, target_rule_index(target, ctx)).where(among(conn, PATIENTS.c.id, ids))
    texts = {}
    for patient_id, index in conn.execute(query):
        if index is not None:
            rule = target.rules[index]
            texts[patient_id] = f" (mål {rule.sign} {dk_number(rule.limit, 2)}: {rule.reason.da})"
    return texts


def _repeated_lines(
    conn: Connection, leaf: m.ObservationIn, present: bool, ctx: Context, ids: Sequence[int]
) -> Iterator[tuple[int, str]]:
    """Every value in the window that satisfies the comparison, oldest first, with its date."""
    repeated = leaf.repeated
    assert repeated is not None
    o = OBSERVATIONS.c
    query = (
        select(o.patient_id, o.effective, comparable_value(leaf.value_set).label("value"))
        .where(
            among(conn, o.patient_id, ids),
            *repeated_terms(OBSERVATIONS, None, leaf, repeated, ctx),
        )
        .order_by(o.patient_id, o.effective, o.id)
    )
    unit = leaf.value_set.units[0]
    shown = UNIT_DISPLAY.get(unit, unit)
    values: dict[int, list[str]] = defaultdict(list)
    for patient_id, effective, value in conn.execute(query):
        values[patient_id].append(f"{dk_number(value)} {shown} den {dk_date(effective)}")
    template = _template(leaf, "observation_repeated", present)
    apart = ctx.whole(repeated.apart.days)
    for patient_id in ids:
        found = values.get(patient_id, [])
        fields = {
            "label": leaf.label,
            "count": str(len(found)),
            "values": ", ".join(found) or "ingen",
            "window": _window_text(leaf.window, ctx),
            "op": repeated.comparison.op,
            "value": dk_number(ctx.number(repeated.comparison.value)),
            "apart": f"{apart} dag" if apart == 1 else f"{apart} dage",
        }
        yield patient_id, render(template, fields)


def _latest(
    conn: Connection,
    leaf: m.ObservationIn,
    ids: Sequence[int],
    *,
    comparable: bool,
    since: datetime | None,
    until: datetime,
) -> dict[int, Any]:
    ranked = latest_observations(
        leaf.value_set,
        comparable=comparable,
        since=since,
        until=until,
        code_indexed=True,  # the ids are an IN list: (patient_id, code, effective) is the index
        numeric=leaf.numeric,
    )
    ranked_sub = ranked.where(among(conn, ranked.selected_columns.patient_id, ids)).subquery()
    return {row.patient_id: row for row in conn.execute(select(ranked_sub).where(ranked_sub.c.recency == 1))}


def _value_fields(leaf: m.ObservationIn, row: Any, comparable: bool) -> dict[str, str]:
    if row is None:
        return {"value": NONE, "unit": "", "date": NONE}
    value = row.value if comparable else row.value_num
    unit = leaf.value_set.units[0] if comparable else (row.unit or "")
    return {
        "value": dk_number(value) if value is not None else (row.value_text or NONE),
        "unit": UNIT_DISPLAY.get(unit, unit),
        "date": dk_date(row.effective),
    }


def _observation_fields(leaf: m.ObservationIn, row: Any, comparable: bool) -> dict[str, str]:
    converted = comparable and not any(same_unit(row.unit, unit) for unit in leaf.value_set.units)
    original = (
        f" (målt som {dk_number(row.value_num, 2)} {UNIT_DISPLAY.get(row.unit, row.unit)})"
        if converted
        else ""
    )
    return {
        "label": leaf.label,
        "code": row.code,
        "original": original,
        **_value_fields(leaf, row, comparable),
    }


def _last_text(leaf: m.ObservationIn, row: Any, comparable: bool) -> str:
    fields = _value_fields(leaf, row, comparable)
    value = f"{fields['value']} {fields['unit']}".strip()
    return f"seneste {fields['date']}: {value}"


# --- encounters and medication counts -------------------------------------------------------------------


def _encounter_lines(
    conn: Connection, leaf: m.EncounterCount, present: bool, ctx: Context, ids: Sequence[int]
) -> Iterator[tuple[int, str]]:
    e = ENCOUNTERS.c
    since, until = ctx.window_bounds(leaf.window)
    query = (
        select(e.patient_id, e.start)
        .where(among(conn, e.patient_id, ids), *encounter_terms(leaf, since, until))
        .order_by(e.patient_id, e.start, e.id)
    )
    starts: dict[int, list[str]] = defaultdict(list)
    for patient_id, start in conn.execute(query):
        starts[patient_id].append(dk_date(start))
    yield from _dated_count_lines(
        _template(leaf, "encounters", present), leaf.label, _window_text(leaf.window, ctx), ids, starts
    )


def _dated_count_lines(
    template: str, label: str, window: str, ids: Sequence[int], dates: dict[int, list[str]]
) -> Iterator[tuple[int, str]]:
    """Encounters and stays: how many, and their dates, per patient."""
    for patient_id in ids:
        found = dates.get(patient_id, [])
        fields = {
            "label": label,
            "count": str(len(found)),
            "dates": ", ".join(found) or NONE,
            "window": window,
        }
        yield patient_id, render(template, fields)


def _stay_lines(
    conn: Connection, leaf: m.StayCount, present: bool, ctx: Context, ids: Sequence[int]
) -> Iterator[tuple[int, str]]:
    """The start day of each counted stay; for a readmission also how long after which discharge."""
    stays = counted_stays(leaf, ctx, lambda patient_id: among(conn, patient_id, ids)).subquery("counted")
    query = select(stays.c.patient_id, stays.c.start, stays.c.gap).order_by(
        stays.c.patient_id, stays.c.start, stays.c.id
    )
    starts: dict[int, list[str]] = defaultdict(list)
    for patient_id, start, gap in conn.execute(query):
        text = dk_date(start)
        if leaf.readmission_days is not None:
            after = "dagen" if gap == 1 else f"{gap} dage"
            text += f" ({after} efter udskrivelse {dk_date(start.date() - timedelta(days=gap))})"
        starts[patient_id].append(text)
    yield from _dated_count_lines(
        _template(leaf, "stays", present), leaf.label, _window_text(leaf.window, ctx), ids, starts
    )


def _distinct_lines(
    conn: Connection, leaf: m.DistinctMedications, present: bool, ctx: Context, ids: Sequence[int]
) -> Iterator[tuple[int, str]]:
    d = MEDICATIONS.c
    code = atc_at_level(leaf.level)
    query = (
        select(d.patient_id, code)
        .where(among(conn, d.patient_id, ids), *atc_level_terms(leaf.level), medication_active(ctx.as_of))
        .distinct()
    )
    codes: dict[int, set[str]] = defaultdict(set)
    for patient_id, atc in conn.execute(query):
        codes[patient_id].add(atc)
    template = _template(leaf, "distinct_medications", present)
    for patient_id in ids:
        found = sorted(codes.get(patient_id, ()))
        fields = {
            "label": leaf.label,
            "count": str(len(found)),
            "codes": ", ".join(found) or NONE,
            "level": str(leaf.level),
        }
        yield patient_id, render(template, fields)


def _window_text(window: m.Window, ctx: Context) -> str:
    if window.months is not None:
        months = ctx.whole(window.months)
        return f"{months} måned" if months == 1 else f"{months} måneder"
    days = ctx.whole(window.days)
    return f"{days} dag" if days == 1 else f"{days} dage"


def _last_prescription(row: Any) -> str:
    drug = f"seneste: {row.drug_name} ({row.code})"
    if row.end is not None:
        return f"{drug} {dk_date(row.start)} til {dk_date(row.end)}"
    status = MEDICATION_STATUS.get(row.status, row.status or "uden slutdato")
    return f"{drug} fra {dk_date(row.start)}, {status}"


def _day(day: date | None) -> str:
    return dk_date(day) if day is not None else "uden slutdato"
