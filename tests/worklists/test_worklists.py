"""Worklists on a real encrypted store with a generated practice: lists from indicator hits, the item
workflow with its history, bulk changes, the filters, optimistic locking between two workstations, the
closed loop and the figures."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, update

from cockpit.errors import InputError, PermissionDeniedError
from cockpit.fhir.importer import import_path
from cockpit.indicators.errors import IndicatorNotFoundError
from cockpit.indicators.service import IndicatorService
from cockpit.models.audit import AuditEntry
from cockpit.models.clinical import Observation, Patient
from cockpit.models.users import PracticeUser
from cockpit.models.worklists import WorklistItem
from cockpit.security.keys import KeyStore
from cockpit.store import Store, open_store
from cockpit.worklists import changes, lists, queries, reevaluation
from cockpit.worklists.errors import ConflictError
from cockpit.worklists.model import ItemChange, ItemFilter, Plan, utc_now
from tests.worklists.conftest import ADMIN, AS_OF, GP, NURSE, SECRETARY, hba1c, new_diabetic, write_ndjson

DM = "DM-HBA1C-12M"


def _audit(store: Store) -> list[tuple[str, str | None, int | None, str | None]]:
    with store.session() as session:
        rows = session.execute(
            select(
                AuditEntry.action, AuditEntry.list_ref, AuditEntry.patient_count, AuditEntry.user
            ).order_by(AuditEntry.id)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_a_list_from_an_indicator_holds_each_hit_with_its_evidence(practice: Store) -> None:
    expected = IndicatorService(practice).evaluate(DM, AS_OF)
    assert len(expected.hits) >= 2, "the demo practice has diabetics without a recent HbA1c"

    list_id = lists.create_list(practice, GP, [DM], AS_OF)
    items = queries.list_items(practice, GP, list_id, AS_OF)

    assert [(i.patient_id, i.cpr, i.name) for i in items] == [
        (h.patient_id, h.cpr, h.name) for h in expected.hits
    ]
    assert [list(i.evidence) for i in items] == [h.evidence for h in expected.hits]
    assert all(i.status == "new" and i.version == 1 and i.indicator_id == DM for i in items)
    # Checked by hand against the data: no HbA1c (NPU27300) within 12 months for any listed patient, and
    # the evidence says so, naming the latest earlier value.
    since = datetime(2025, 11, 23)
    with practice.session() as session:
        for item in items:
            recent = session.execute(
                select(Observation.id).where(
                    Observation.patient_id == item.patient_id,
                    Observation.code == "NPU27300",
                    Observation.effective >= since,
                )
            ).first()
            assert recent is None
            fhir_id = session.execute(select(Patient.fhir_id).where(Patient.id == item.patient_id)).scalar()
            assert item.patient_fhir_id == fhir_id
        assert all(i.evidence[0].startswith("Ingen HbA1c inden for 12 måneder") for i in items)

    summary = lists.get_list(practice, GP, list_id, AS_OF)
    assert summary.name == DM and summary.indicator_ids == (DM,) and not summary.follows
    assert (summary.figures.total, summary.figures.open, summary.figures.done) == (len(items), len(items), 0)
    # Showing the items (patients named) is in the audit log with their count; the figures are not.
    assert _audit(practice)[-1] == ("list.show", f"worklist:{list_id}", len(items), "gitte")
    lists.list_lists(practice, GP, AS_OF)
    assert len(_audit(practice)) == 1


def test_a_list_from_a_selection_and_from_several_indicators(practice: Store) -> None:
    hits = IndicatorService(practice).evaluate(DM, AS_OF).hits
    chosen = lists.create_list(practice, GP, [DM], AS_OF, patient_ids=[hits[1].patient_id], name="Udvalgte")
    assert [i.patient_id for i in queries.list_items(practice, GP, chosen, AS_OF)] == [hits[1].patient_id]
    with pytest.raises(InputError, match="cannot follow"):
        lists.create_list(practice, GP, [DM], AS_OF, patient_ids=[hits[1].patient_id], follows=True)

    both = lists.create_list(practice, GP, [DM, "POLY-65-5"], AS_OF)
    poly = IndicatorService(practice).evaluate("POLY-65-5", AS_OF).hits
    items = queries.list_items(practice, GP, both, AS_OF)
    assert len(items) == len(hits) + len(poly)
    assert queries.list_items(practice, GP, both, AS_OF, ItemFilter(indicator_id="poly-65-5")) == [
        i for i in items if i.indicator_id == "POLY-65-5"
    ]
    with pytest.raises(IndicatorNotFoundError, match="no indicator NO-SUCH"):
        lists.create_list(practice, GP, ["NO-SUCH"], AS_OF)


def test_the_item_workflow_keeps_a_full_history(practice: Store) -> None:
    list_id = lists.create_list(practice, GP, [DM], AS_OF)
    first = queries.list_items(practice, GP, list_id, AS_OF)[0]

    assert changes.update_items(
        practice,
        NURSE,
        {first.id: 1},
        ItemChange(status="contacted", assignee="anne", due=date(2026, 12, 1), note="Ringet, lagt besked"),
    ) == [2]
    assert changes.update_items(practice, NURSE, {first.id: 2}, ItemChange(status="booked", priority=1)) == [
        3
    ]
    assert changes.update_items(practice, GP, {first.id: 3}, ItemChange(status="done")) == [4]

    done = queries.item(practice, GP, first.id, AS_OF)
    assert (done.status, done.assignee, done.due, done.priority, done.version) == (
        "done",
        "anne",
        date(2026, 12, 1),
        1,
        4,
    )
    assert done.closed_at is not None and not done.is_open
    events = [
        (e.version, e.user, e.kind, e.field, e.old_value, e.new_value)
        for e in queries.history(practice, GP, first.id)
    ]
    assert events == [
        (1, "gitte", "created", None, None, "new"),
        (2, "anne", "change", "status", "new", "contacted"),
        (2, "anne", "change", "assignee", None, "anne"),
        (2, "anne", "change", "due", None, "2026-12-01"),
        (2, "anne", "note", "note", None, "Ringet, lagt besked"),
        (3, "anne", "change", "status", "contacted", "booked"),
        (3, "anne", "change", "priority", "normal", "high"),
        (4, "gitte", "change", "status", "booked", "done"),
    ]

    # Closing without the work done needs a reason code; only the data resolves an item.
    with pytest.raises(InputError, match="needs a reason"):
        changes.update_items(practice, GP, {first.id: 4}, ItemChange(status="declined"))
    with pytest.raises(InputError, match="Only the data resolves"):
        changes.update_items(practice, GP, {first.id: 4}, ItemChange(status="resolved"))
    assert changes.update_items(
        practice, GP, {first.id: 4}, ItemChange(status="declined", reason="patient_declined")
    ) == [5]
    assert queries.item(practice, GP, first.id, AS_OF).reason == "patient_declined"
    # Reopening clears the reason and the closing time.
    changes.update_items(practice, GP, {first.id: 5}, ItemChange(status="contacted"))
    reopened = queries.item(practice, GP, first.id, AS_OF)
    assert (reopened.status, reopened.reason, reopened.closed_at) == ("contacted", None, None)


def test_bulk_changes_and_the_mine_and_overdue_filters(practice: Store) -> None:
    list_id = lists.create_list(practice, GP, [DM, "POLY-65-5"], AS_OF)
    items = queries.list_items(practice, GP, list_id, AS_OF)
    assert len(items) >= 6
    to_role, to_anne, to_gitte = items[:3], items[3:4], items[4:5]
    changes.update_items(
        practice,
        GP,
        {i.id: i.version for i in to_role},
        ItemChange(assignee="role:nurse", due=AS_OF - timedelta(days=1)),
    )
    changes.update_items(practice, GP, {i.id: None for i in to_anne}, ItemChange(assignee="Anne", due=AS_OF))
    changes.update_items(practice, GP, {i.id: None for i in to_gitte}, ItemChange(assignee="gitte"))

    mine = queries.list_items(practice, NURSE, list_id, AS_OF, ItemFilter(mine=True))
    assert {i.id for i in mine} == {i.id for i in to_role + to_anne}
    assert [i.id for i in queries.list_items(practice, GP, list_id, AS_OF, ItemFilter(mine=True))] == [
        to_gitte[0].id
    ]
    overdue = queries.list_items(practice, GP, list_id, AS_OF, ItemFilter(overdue=True))
    assert {i.id for i in overdue} == {i.id for i in to_role}  # due yesterday; anne's is due today
    assert all(i.overdue for i in overdue)
    assert lists.get_list(practice, GP, list_id, AS_OF).figures.overdue == 3
    # A closed item is no longer overdue.
    changes.update_items(practice, NURSE, {to_role[0].id: None}, ItemChange(status="done"))
    assert lists.get_list(practice, GP, list_id, AS_OF).figures.overdue == 2
    assert [
        i.id for i in queries.list_items(practice, GP, list_id, AS_OF, ItemFilter(statuses=("done",)))
    ] == [to_role[0].id]

    # Bulk is all or nothing: one stale version and none of the selection changes.
    current = {i.id: i.version for i in queries.list_items(practice, GP, list_id, AS_OF)}
    selection = {i.id: current[i.id] for i in items[5:]} | {to_role[1].id: 1}  # its version is 2 now
    with pytest.raises(ConflictError, match=f"item {to_role[1].id} was changed by gitte"):
        changes.update_items(practice, NURSE, selection, ItemChange(priority=3))
    assert all(i.priority == 2 for i in queries.list_items(practice, GP, list_id, AS_OF))


def test_two_workstations_edit_one_item_one_wins_and_nothing_is_lost(practice: Store, keys: KeyStore) -> None:
    list_id = lists.create_list(practice, GP, [DM], AS_OF)
    reception = open_store(practice.paths.home, keys)  # a second client on the same store
    try:
        seen_here = queries.list_items(practice, NURSE, list_id, AS_OF)[0]
        seen_there = queries.list_items(reception, GP, list_id, AS_OF)[0]
        assert seen_here.id == seen_there.id and seen_here.version == seen_there.version == 1

        changes.update_items(
            practice, NURSE, {seen_here.id: 1}, ItemChange(status="contacted", note="Booket tid")
        )
        with pytest.raises(ConflictError) as conflict:
            changes.update_items(
                reception, GP, {seen_there.id: 1}, ItemChange(status="not_relevant", reason="other")
            )
        message = str(conflict.value)
        assert f"item {seen_here.id} was changed by anne" in message
        assert "status new → contacted" in message and "added a note" in message
        assert "you had version 1, it is now 2" in message
        assert "Booket tid" not in message  # the note's text may be clinical
        assert (seen_here.cpr or "?") not in message and (seen_here.name or "?") not in message
        assert conflict.value.item_ids == (seen_here.id,)

        # The first change stays whole; the stale one left no trace.
        after = queries.item(reception, GP, seen_here.id, AS_OF)
        assert (after.status, after.reason, after.version) == ("contacted", None, 2)
        assert [e.user for e in queries.history(practice, GP, seen_here.id)] == ["gitte", "anne", "anne"]
        # Reloaded, the second writer's change goes through on top of the first.
        assert changes.update_items(
            reception, GP, {after.id: after.version}, ItemChange(assignee="gitte")
        ) == [3]
        final = queries.item(practice, NURSE, after.id, AS_OF)
        assert (final.status, final.assignee) == ("contacted", "gitte")
    finally:
        reception.close()


def test_the_closed_loop_resolves_with_the_data_and_follows_new_hits(practice: Store, tmp_path: Path) -> None:
    following = lists.create_list(practice, GP, [DM], AS_OF, follows=True, name="Årskontrol")
    fixed = lists.create_list(practice, GP, [DM], AS_OF)
    items = queries.list_items(practice, GP, following, AS_OF)
    listed, closed_by_staff = items[0], items[1]
    changes.update_items(practice, NURSE, {closed_by_staff.id: 1}, ItemChange(status="done"))

    # The practice's system sends an HbA1c for two listed diabetics and a newly diagnosed diabetic.
    write_ndjson(
        tmp_path / "news.ndjson",
        [
            hba1c("wl-o1", listed.patient_fhir_id, 58, "2026-11-20T09:30:00+01:00"),
            hba1c("wl-o2", closed_by_staff.patient_fhir_id, 49, "2026-11-21T10:00:00+01:00"),
            *new_diabetic("wl-new", "0204581234"),
        ],
    )
    assert import_path(practice, tmp_path / "news.ndjson").quarantined == 0

    outcome = reevaluation.reevaluate(practice, AS_OF, actor=GP)
    # Resolved: the first patient on both lists, the second on the list where nobody closed it (3); on the
    # following list the second was already done, which the data now confirms (1); one new hit added.
    assert (outcome.resolved, outcome.confirmed, outcome.added) == (3, 1, 1)

    resolved = queries.item(practice, GP, listed.id, AS_OF)
    assert resolved.status == "resolved" and resolved.version == 2
    assert resolved.resolved_evidence == ("Seneste HbA1c 58 mmol/mol den 20-11-2026",)
    assert resolved.evidence == listed.evidence  # what put the patient there is kept
    assert resolved.closed_at is not None and resolved.resolved_at is not None
    last = queries.history(practice, GP, listed.id)[-1]
    assert (last.kind, last.field, last.old_value, last.new_value, last.user) == (
        "resolved",
        "status",
        "new",
        "resolved",
        "gitte",
    )
    staff = queries.item(practice, GP, closed_by_staff.id, AS_OF)
    assert staff.status == "done"  # staff's verdict stays; the data confirms it
    assert staff.resolved_evidence == ("Seneste HbA1c 49 mmol/mol den 21-11-2026",)

    new = [i for i in queries.list_items(practice, GP, following, AS_OF) if i.patient_fhir_id == "wl-new"]
    assert [(i.status, i.cpr, i.evidence) for i in new] == [
        ("new", "0204581234", ("Ingen HbA1c inden for 12 måneder (aldrig målt)",))
    ]
    assert not [i for i in queries.list_items(practice, GP, fixed, AS_OF) if i.patient_fhir_id == "wl-new"]

    figures = lists.get_list(practice, GP, following, AS_OF).figures
    assert (figures.total, figures.auto_resolved, figures.done) == (len(items) + 1, 1, 1)
    assert figures.open == len(items) - 1
    # Re-evaluating again changes nothing: the loop is idempotent.
    again = reevaluation.reevaluate(practice, AS_OF)
    assert (again.resolved, again.confirmed, again.added) == (0, 0, 0)


def test_a_patient_who_left_the_population_died_or_left_the_store_is_resolved_with_the_reason(
    practice: Store, demo_files: Path
) -> None:
    list_id = lists.create_list(practice, GP, [DM, "POLY-65-5"], AS_OF)
    younger = queries.list_items(practice, GP, list_id, AS_OF, ItemFilter(indicator_id=DM))[0]
    died, left = queries.list_items(practice, GP, list_id, AS_OF, ItemFilter(indicator_id="POLY-65-5"))[:2]
    with practice.session() as session:
        # Checked by hand: born 2010-01-01, the patient is 16 on the as-of day, below the population's 18.
        session.execute(
            update(Patient).where(Patient.id == younger.patient_id).values(birth_date=date(2010, 1, 1))
        )
        session.execute(
            update(Patient)
            .where(Patient.id == died.patient_id)
            .values(deceased=True, deceased_date=date(2026, 11, 10))
        )
        session.execute(delete(Patient).where(Patient.id == left.patient_id))
    assert reevaluation.reevaluate(practice, AS_OF).resolved == 3
    reasons = {i.id: i.resolved_evidence for i in queries.list_items(practice, GP, list_id, AS_OF)}
    assert reasons[younger.id] == ("Alder 16 år",)
    assert reasons[died.id] == ("Patienten er død 10-11-2026",)
    assert reasons[left.id] == ("Patienten findes ikke længere i praksisdata",)
    # The item and its history outlive the patient's row.
    gone = queries.item(practice, GP, left.id, AS_OF)
    assert (gone.name, gone.cpr, gone.patient_fhir_id) == (None, None, left.patient_fhir_id)
    assert [e.kind for e in queries.history(practice, GP, left.id)] == ["created", "resolved"]

    # The patient comes back (a full re-import gives them a new internal id): the old item is re-linked by
    # the FHIR id and stays resolved; a following list would get a new item (an episode), this one does not.
    import_path(practice, demo_files)
    outcome = reevaluation.reevaluate(practice, AS_OF)
    assert (outcome.relinked, outcome.added) == (1, 0)
    back = queries.item(practice, GP, left.id, AS_OF)
    assert back.status == "resolved" and back.name == left.name and back.patient_id != left.patient_id


def test_figures_and_the_median_time_to_close(practice: Store) -> None:
    list_id = lists.create_list(practice, GP, [DM, "POLY-65-5"], AS_OF)
    items = queries.list_items(practice, GP, list_id, AS_OF)[:4]
    now = utc_now()
    with practice.session() as session:  # created 10, 4 and 2 days ago
        for item, days in zip(items, (10, 4, 2, 1), strict=True):
            session.execute(
                update(WorklistItem)
                .where(WorklistItem.id == item.id)
                .values(created_at=now - timedelta(days=days))
            )
    changes.update_items(practice, NURSE, {items[0].id: 1}, ItemChange(status="done"))
    changes.update_items(practice, NURSE, {items[1].id: 1}, ItemChange(status="done"))
    changes.update_items(
        practice, NURSE, {items[2].id: 1}, ItemChange(status="moved_away", reason="changed_gp")
    )
    changes.update_items(practice, NURSE, {items[3].id: 1}, ItemChange(due=AS_OF - timedelta(days=3)))

    figures = lists.get_list(practice, GP, list_id, AS_OF).figures
    total = len(queries.list_items(practice, GP, list_id, AS_OF))
    assert (figures.total, figures.open, figures.overdue, figures.done, figures.closed_other) == (
        total,
        total - 3,
        1,
        2,
        1,
    )
    assert figures.median_days_to_close == 4.0  # of 10, 4 and 2 days


def test_the_plan_is_kept_with_the_list(practice: Store) -> None:
    list_id = lists.create_list(practice, GP, [DM], AS_OF)
    plan = Plan(
        what="Alle med type 2-diabetes får årskontrol",
        how="SMS-indkaldelse og blodprøve før kontrol",
        who="Sygeplejerske Anne",
        by=date(2027, 3, 1),
        target="90 % med HbA1c inden for 12 måneder",
        review=date(2027, 4, 1),
    )
    lists.set_plan(practice, GP, list_id, plan)
    assert lists.get_list(practice, NURSE, list_id, AS_OF).plan == plan
    with pytest.raises(InputError, match="review date"):
        lists.set_plan(practice, GP, list_id, Plan("a", "b", "c", date(2027, 3, 1), review=date(2027, 1, 1)))


def test_roles_see_and_do_what_they_may(practice: Store) -> None:
    list_id = lists.create_list(practice, SECRETARY, [DM], AS_OF)  # worklists: the practice organises
    shown = queries.list_items(practice, SECRETARY, list_id, AS_OF)
    assert shown and all(i.cpr and i.name for i in shown)
    assert all(i.evidence == () for i in shown)  # the clinical reason is not for a secretary
    assert all(i.evidence for i in queries.list_items(practice, NURSE, list_id, AS_OF))
    changes.update_items(practice, SECRETARY, {shown[0].id: 1}, ItemChange(status="booked"))
    for call in (
        lambda: lists.list_lists(practice, ADMIN, AS_OF),
        lambda: queries.list_items(practice, ADMIN, list_id, AS_OF),
        lambda: lists.create_list(practice, ADMIN, [DM], AS_OF),
        lambda: reevaluation.reevaluate(practice, AS_OF, actor=ADMIN),
    ):
        with pytest.raises(PermissionDeniedError, match="your role \\(admin\\) may not use worklists"):
            call()


def test_an_unknown_user_cannot_be_assigned_once_the_practice_has_users(practice: Store) -> None:
    list_id = lists.create_list(practice, GP, [DM], AS_OF)
    item = queries.list_items(practice, GP, list_id, AS_OF)[0]
    with practice.session() as session:
        session.execute(
            insert(PracticeUser).values(
                name="anne",
                full_name="Anne",
                role="nurse",
                password_hash="x",
                disabled=False,
                created_at=datetime(2026, 1, 1),
                changed_at=datetime(2026, 1, 1),
            )
        )
    with pytest.raises(InputError, match="no practice user 'bo'"):
        changes.update_items(practice, GP, {item.id: 1}, ItemChange(assignee="bo"))
    with pytest.raises(InputError, match="no role 'doctor'"):
        changes.update_items(practice, GP, {item.id: 1}, ItemChange(assignee="role:doctor"))
    assert changes.update_items(practice, GP, {item.id: 1}, ItemChange(assignee="ANNE")) == [2]
    assert queries.item(practice, GP, item.id, AS_OF).assignee == "anne"
