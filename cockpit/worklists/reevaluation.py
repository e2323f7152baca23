"""The closed loop: after new data (an import or a sync) the indicators of all lists are evaluated again;
items whose patient no longer meets the criterion are resolved with the evidence that shows it, and new
hits join the lists that follow their indicator.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import Connection, bindparam, exists, insert, or_, select, update

from cockpit.indicators.engine import IndicatorResult, evaluate_many
from cockpit.indicators.errors import IndicatorNotFoundError
from cockpit.indicators.model import Everyone, Indicator, Not
from cockpit.indicators.service import IndicatorService
from cockpit.models.danish import dk_date
from cockpit.models.worklists import Worklist, WorklistItem, WorklistItemEvent
from cockpit.privacy.identity import Actor, Permission, require
from cockpit.store import Store
from cockpit.store.idsets import chunked
from cockpit.store.transactions import immediate_connection
from cockpit.worklists.installed import installed_indicators
from cockpit.worklists.model import (
    OPEN_STATUSES,
    RESOLVED,
    Reevaluation,
    utc_now,
)
from cockpit.worklists.records import (
    CHUNK,
    SYSTEM_USER,
    DbRow,
    I,
    L,
    P,
    fhir_ids_of,
    history_row,
    insert_items,
    new_item,
)


def reevaluate(
    store: Store,
    today: date,
    *,
    actor: Actor | None = None,
    indicators: IndicatorService | None = None,
) -> Reevaluation:
    """Evaluate the indicators of all lists (one ``evaluate_many``) on ``today``: resolve open items whose
    patient no longer meets the criterion, with the evidence that shows it; record that evidence on items
    staff had closed; add new hits to lists that follow their indicator. Call it after an import or sync.
    An indicator no longer installed is reported and its items left alone."""
    if actor is not None:
        require(actor, Permission.WORK_LISTS)
    outcome = Reevaluation(as_of=today)
    now = utc_now()
    with immediate_connection(store) as conn:
        lists = conn.execute(select(L.id, L.indicator_ids, L.follows)).all()
        wanted = sorted({i for row in lists for i in row.indicator_ids})
        if not wanted:
            return outcome  # no worklists: every import and sync calls this, so read no packs for nothing
        registry, choice = installed_indicators(store, indicators)
        known: list[Indicator] = []
        for indicator_id in wanted:
            try:
                known.append(registry.indicator(indicator_id))
            except IndicatorNotFoundError:
                outcome.missing_indicators.append(indicator_id)
        if not known:
            return outcome
        by_id = {i.id: i for i in known}
        thresholds = {i.id: choice.thresholds_for(i) for i in known}
        results = evaluate_many(conn, known, today, thresholds=thresholds, with_evidence=False)
        fhir_of = fhir_ids_of(conn, {hit.patient_id for r in results for hit in r.hits})
        hits: dict[str, dict[str, int]] = {
            r.indicator_id: {fhir_of[h.patient_id]: h.patient_id for h in r.hits if h.patient_id in fhir_of}
            for r in results
        }
        unresolved = conn.execute(
            select(
                I.id, I.list_id, I.patient_id, I.patient_fhir_id, I.indicator_id, I.status, I.version
            ).where(I.resolved_at.is_(None), I.indicator_id.in_(list(by_id)))
        ).all()
        gone: list[DbRow] = []
        for row in unresolved:
            patient_id = hits[row.indicator_id].get(row.patient_fhir_id)
            if patient_id is None:
                gone.append(row)
        outcome.relinked = _relink(conn)
        reasons, pending, fhir_of = _what_the_store_says(conn, gone, today)
        new = _new_hits(lists, hits, unresolved, gone)
        # One engine call for the evidence of the new hits and the reasons the data gives for the ended
        # items (the indicator with its hit rule negated): both are for a few patients only.
        asks = {(HIT, i): (by_id[i], {w[3] for w in new if w[1] == i}) for i in {w[1] for w in new}}
        asks |= {(NOT_HIT, i): (_negated_hit(by_id[i]), ids) for i, ids in pending.items()}
        found = _evidence(conn, asks, thresholds, today)
        _explained(reasons, pending, fhir_of, found, NOT_HIT)
        if any(pending.values()):  # left the population: the population rule negated says how
            asks = {
                (NOT_POPULATION, i): (_negated_population(by_id[i]), ids) for i, ids in pending.items() if ids
            }
            _explained(reasons, pending, fhir_of, _evidence(conn, asks, thresholds, today), NOT_POPULATION)
        _resolve(conn, actor, gone, reasons, now, outcome)
        _add_new_hits(conn, actor, new, found, now, outcome)
        conn.execute(update(Worklist).values(last_evaluated_at=now))
    return outcome


def _resolve(  # noqa: PLR0917 (the re-evaluation's state, passed on)
    conn: Connection,
    actor: Actor | None,
    gone: Sequence[DbRow],
    reasons: Mapping[tuple[str, str], list[str]],
    now: datetime,
    outcome: Reevaluation,
) -> None:
    """Record on each item of ``gone`` why the data shows it done; an open one is resolved. One statement
    per kind of change (executemany), not two per item: a sync can close hundreds at once."""
    closing: list[dict[str, Any]] = []
    confirming: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for row in gone:
        version = row.version + 1
        values = {
            "item": row.id,
            "seen": row.version,
            "new_version": version,
            "why": reasons[(row.indicator_id, row.patient_fhir_id)],
        }
        if row.status in OPEN_STATUSES:
            closing.append(values)
            events.append(
                history_row(row.id, version, now, actor, "resolved", "status", row.status, RESOLVED)
            )
        else:
            confirming.append(values)
            events.append(history_row(row.id, version, now, actor, "resolved", None, None, None))
    by_id = update(WorklistItem).where(I.id == bindparam("item"), I.version == bindparam("seen"))
    evidence = {
        "resolved_at": now,
        "resolved_evidence": bindparam("why"),
        "version": bindparam("new_version"),
    }
    if closing:
        conn.execute(by_id.values(**evidence, status=RESOLVED, closed_at=now), closing)
    if confirming:
        conn.execute(by_id.values(**evidence), confirming)
    if events:
        conn.execute(insert(WorklistItemEvent), events)
    outcome.resolved += len(closing)
    outcome.confirmed += len(confirming)


def _relink(conn: Connection) -> int:
    """Point every item at its patient's current internal id (a re-import may have given a new one); an
    item whose patient has left the store keeps the last id it had."""
    current = select(P.id).where(P.fhir_id == I.patient_fhir_id)
    moved = exists(current.where(or_(I.patient_id.is_(None), P.id != I.patient_id)))
    return int(
        conn.execute(update(WorklistItem).where(moved).values(patient_id=current.scalar_subquery())).rowcount
    )


NewHit = tuple[int, str, str, int]  # list id, indicator id, patient FHIR id, patient id


def _new_hits(
    lists: Sequence[DbRow],
    hits: dict[str, dict[str, int]],
    unresolved: Sequence[DbRow],
    gone: Sequence[DbRow],
) -> list[NewHit]:
    """Hits of followed indicators that have no item still in force on that list (an item in force: open,
    or closed by staff while the patient still meets the criterion)."""
    ended = {row.id for row in gone}
    in_force = {
        (row.list_id, row.indicator_id, row.patient_fhir_id) for row in unresolved if row.id not in ended
    }
    wanted: list[NewHit] = []
    for row in lists:
        if not row.follows:
            continue
        for indicator_id in row.indicator_ids:
            for fhir_id, patient_id in hits.get(indicator_id, {}).items():
                if (row.id, indicator_id, fhir_id) not in in_force:
                    wanted.append((row.id, indicator_id, fhir_id, patient_id))
    return wanted


def _add_new_hits(  # noqa: PLR0917 (the re-evaluation's state, passed on)
    conn: Connection,
    actor: Actor | None,
    new: Sequence[NewHit],
    found: Mapping[tuple[str, str, int], list[str]],
    now: datetime,
    outcome: Reevaluation,
) -> None:
    """An item for each new hit, with the evidence the engine gave for it."""
    rows = [
        new_item(
            list_id=list_id,
            indicator_id=indicator_id,
            patient_id=patient_id,
            fhir_id=fhir_id,
            evidence=found.get((HIT, indicator_id, patient_id), []),
            now=now,
        )
        for list_id, indicator_id, fhir_id, patient_id in new
    ]
    insert_items(conn, actor or _system_actor(), rows, now)
    outcome.added += len(rows)


def _system_actor() -> Actor:
    return Actor(user=SYSTEM_USER, role=None, workstation="")


def _what_the_store_says(
    conn: Connection, rows: Sequence[DbRow], today: date
) -> tuple[dict[tuple[str, str], list[str]], dict[str, set[int]], dict[int, str]]:
    """Per (indicator, patient FHIR id) of the ended items: why the patient no longer meets the indicator,
    as far as the store says it (left the store, died), else the last resort; the patients (internal ids,
    per indicator) whose data should say it; and their FHIR ids.

    The engine's own evidence then answers for those: the indicator with its hit rule negated names what
    is there now ("Seneste HbA1c 58 mmol/mol den 20-11-2026"); for a patient who left the population, the
    population rule negated ("Ingen aktiv Type 2-diabetes den ...")."""
    reasons = {
        (row.indicator_id, row.patient_fhir_id): [
            f"Opfylder ikke længere {row.indicator_id} den {dk_date(today)}"
        ]
        for row in rows
    }
    pending: dict[str, set[int]] = defaultdict(set)
    if not rows:
        return reasons, pending, {}
    patients = {
        r.fhir_id: r
        for chunk in chunked(rows, CHUNK)
        for r in conn.execute(
            select(P.id, P.fhir_id, P.deceased, P.deceased_date).where(
                P.fhir_id.in_([row.patient_fhir_id for row in chunk])
            )
        )
    }
    for row in rows:
        patient = patients.get(row.patient_fhir_id)
        key = (row.indicator_id, row.patient_fhir_id)
        if patient is None:
            reasons[key] = ["Patienten findes ikke længere i praksisdata"]
        elif patient.deceased or (patient.deceased_date is not None and patient.deceased_date <= today):
            died = f" {dk_date(patient.deceased_date)}" if patient.deceased_date is not None else ""
            reasons[key] = [f"Patienten er død{died}"]
        else:
            pending[row.indicator_id].add(patient.id)
    return reasons, pending, {patient.id: fhir_id for fhir_id, patient in patients.items()}


def _explained(
    reasons: dict[tuple[str, str], list[str]],
    pending: dict[str, set[int]],
    fhir_of: Mapping[int, str],
    found: Mapping[tuple[str, str, int], list[str]],
    kind: str,
) -> None:
    """Take the engine's answers of ``kind`` as the reasons; the patients they explain are done."""
    for (asked, indicator_id, patient_id), lines in found.items():
        if asked == kind and lines and patient_id in pending.get(indicator_id, ()):
            reasons[(indicator_id, fhir_of[patient_id])] = lines
            pending[indicator_id].discard(patient_id)


HIT: Final = "hit"
NOT_HIT: Final = "not-hit"
NOT_POPULATION: Final = "not-population"


def _negated_hit(indicator: Indicator) -> Indicator:
    return replace(indicator, hit=Not(indicator.hit))


def _negated_population(indicator: Indicator) -> Indicator:
    return replace(indicator, population=Everyone(), hit=Not(indicator.population))


def _evidence(
    conn: Connection,
    asks: Mapping[tuple[str, str], tuple[Indicator, set[int]]],
    thresholds: dict[str, dict[str, float]],
    today: date,
) -> dict[tuple[str, str, int], list[str]]:
    """The evidence of each hit of each asked (kind, indicator id) -> (indicator as evaluated, patients),
    among its own patients: one evaluation for all (the engine shares the work of populations), the
    indicators told apart by a kind-qualified id."""
    asks = {key: ask for key, ask in asks.items() if ask[1]}
    if not asks:
        return {}
    named = {f"{kind}:{indicator_id}": (kind, indicator_id) for kind, indicator_id in asks}
    results: list[IndicatorResult] = evaluate_many(
        conn,
        [replace(asks[key][0], id=name) for name, key in named.items()],
        today,
        thresholds={name: thresholds[indicator_id] for name, (_kind, indicator_id) in named.items()},
        patient_ids=set().union(*(ids for _indicator, ids in asks.values())),
    )
    found: dict[tuple[str, str, int], list[str]] = {}
    for result in results:
        kind, indicator_id = named[result.indicator_id]
        wanted = asks[(kind, indicator_id)][1]
        for hit in result.hits:
            if hit.patient_id in wanted:
                found[(kind, indicator_id, hit.patient_id)] = list(hit.evidence)
    return found


__all__ = ["reevaluate"]
