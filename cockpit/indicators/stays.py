"""Encounters and hospital stays in SQL: contacts counted in a window, and stays built from contacts that
follow each other within a few days (gaps and islands in one window pass), readmissions among them."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    func,
    or_,
    select,
)

from cockpit.indicators import model as m
from cockpit.indicators.sqlbase import (
    ENCOUNTER_VOID,
    ENCOUNTERS,
    NOT_ACUTE_PRIORITIES,
    Context,
    PatientFilter,
)
from cockpit.indicators.sqldays import DayNumber


def stay_starts(leaf: m.StayCount, ctx: Context, patients: PatientFilter | None = None) -> Select[Any]:
    """One row per stay of the leaf's kind that began on or before the as-of date: the encounter that
    begins it (it starts more than ``merge_days`` days after the last day of every earlier one), its
    ``start``, and ``gap``, the days from the last day of the stays before it (NULL for the first).

    Gaps and islands in one window pass: ordered by start, each row carries the latest end day of the
    rows before it. All earlier encounters count (a stay that began before the window is still one stay),
    so only ``start < end of as_of`` bounds the rows. An encounter without an end ends on its start day."""
    e = ENCOUNTERS.c
    since, until = ctx.window_bounds(leaf.window)
    terms = [
        *_stay_terms(leaf, ENCOUNTERS, e.encounter_class.concat("")),
        e.start.is_not(None),
        e.start < until,
    ]
    if patients is not None:  # known patients (a chunk of hits): restricted before the window, not after
        terms.append(patients(e.patient_id))
    else:
        # Only patients with at least ``min`` such encounters starting within the window can have ``min``
        # stays starting within it: found through the (class, start) index, and only their histories are
        # read (through the (patient_id, start) index, hence the class compared as ``class || ''``).
        recent = ENCOUNTERS.alias("recent")
        in_window = [recent.c.start >= since, recent.c.start < until]
        candidates = (
            select(recent.c.patient_id)
            .where(*_stay_terms(leaf, recent, recent.c.encounter_class), *in_window)
            .group_by(recent.c.patient_id)
            .having(func.count() >= ctx.whole(leaf.min))
        )
        terms.append(e.patient_id.in_(candidates))
    start_day = DayNumber(e.start)
    end_day = DayNumber(func.coalesce(e.end, e.start))
    before = func.max(end_day).over(partition_by=e.patient_id, order_by=(e.start, e.id), rows=(None, -1))
    rows = (
        select(e.patient_id, e.id, e.start, start_day.label("start_day"), before.label("ended_before"))
        .where(*terms)
        .subquery("stay_rows")
    )
    r = rows.c
    gap = r.start_day - r.ended_before
    new_stay = or_(r.ended_before.is_(None), gap > ctx.whole(leaf.merge_days))
    return select(r.patient_id, r.id, r.start, gap.label("gap")).where(new_stay)


def _stay_terms(
    leaf: m.StayCount, table: FromClause, encounter_class: ColumnElement[str]
) -> list[ColumnElement[bool]]:
    c = table.c
    terms = [
        encounter_class.in_(leaf.classes),
        or_(c.status.is_(None), c.status.not_in(ENCOUNTER_VOID)),
    ]
    if leaf.acute:
        terms.append(or_(c.priority.is_(None), c.priority.not_in(NOT_ACUTE_PRIORITIES)))
    return terms


def counted_stays(leaf: m.StayCount, ctx: Context, patients: PatientFilter | None = None) -> Select[Any]:
    """The stays the leaf counts: those starting within its window (and, for readmissions, at most
    ``readmission_days`` days after the end of the previous stay); ``patients`` restricts the rows."""
    starts = stay_starts(leaf, ctx, patients).subquery("stays")
    since, _ = ctx.window_bounds(leaf.window)
    terms = [starts.c.start >= since]
    if leaf.readmission_days is not None:
        terms.append(starts.c.gap <= ctx.whole(leaf.readmission_days))
    return select(starts.c.patient_id, starts.c.id, starts.c.start, starts.c.gap).where(*terms)


def encounter_terms(leaf: m.EncounterCount, since: datetime, until: datetime) -> list[ColumnElement[bool]]:
    e = ENCOUNTERS.c
    return [
        e.encounter_class.in_(leaf.classes),
        e.start >= since,
        e.start < until,
        or_(e.status.is_(None), e.status.not_in(ENCOUNTER_VOID)),
    ]
