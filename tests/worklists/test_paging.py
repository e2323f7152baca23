"""Windows of a list's items (what the staff view fetches as it scrolls), their order, the audit entry of
each window, and whom items can be assigned to."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert, select

from cockpit.errors import InputError, PermissionDeniedError
from cockpit.models.audit import AuditEntry
from cockpit.models.users import PracticeUser
from cockpit.privacy.identity import Actor
from cockpit.store import Store
from cockpit.worklists import changes, lists, queries
from cockpit.worklists.errors import WorklistNotFoundError
from cockpit.worklists.model import Assignee, ItemChange, ItemFilter, ItemSort
from tests.worklists.conftest import ADMIN, AS_OF, GP, NURSE

INDICATORS = ["HT-BP-ABOVE-TARGET", "POLY-65-5", "DM-LIPID"]


def _shows(store: Store) -> list[tuple[str | None, int | None]]:
    with store.session() as session:
        rows = session.execute(
            select(AuditEntry.list_ref, AuditEntry.patient_count)
            .where(AuditEntry.action == "list.show")
            .order_by(AuditEntry.id)
        ).all()
    return [(row[0], row[1]) for row in rows]


def test_windows_of_a_list_are_its_items_in_order_each_window_recorded(practice: Store) -> None:
    list_id = lists.create_list(practice, GP, INDICATORS, AS_OF)
    everything = queries.list_items(practice, GP, list_id, AS_OF)
    assert len(everything) >= 20, "the demo practice has enough hits of these indicators"
    before = len(_shows(practice))

    windows = []
    offset = 0
    while True:
        page = queries.page_items(practice, GP, list_id, AS_OF, offset=offset, limit=3)
        assert page.total == len(everything) and page.offset == offset
        if not page.items:
            break
        windows.append(page)
        offset = page.end

    assert [len(w.items) for w in windows[:-1]] == [3] * (len(windows) - 1)
    assert [i.id for w in windows for i in w.items] == [i.id for i in everything]
    assert [i.evidence for w in windows for i in w.items] == [i.evidence for i in everything]
    # One list.show per window with the patients it named; the empty window past the end names none.
    assert _shows(practice)[before:] == [(f"worklist:{list_id}", len(w.items)) for w in windows]


def test_a_window_is_filtered_like_the_list(practice: Store) -> None:
    list_id = lists.create_list(practice, GP, INDICATORS, AS_OF)
    items = queries.list_items(practice, GP, list_id, AS_OF)
    changes.update_items(practice, NURSE, {items[1].id: 1, items[4].id: 1}, ItemChange(assignee="nurse"))
    where = ItemFilter(mine=True)
    page = queries.page_items(practice, NURSE, list_id, AS_OF, where, offset=0, limit=1)
    assert page.total == 2 and [i.id for i in page.items] == [items[1].id]
    page = queries.page_items(practice, NURSE, list_id, AS_OF, where, offset=1, limit=1)
    assert [i.id for i in page.items] == [items[4].id]
    dm = queries.page_items(practice, GP, list_id, AS_OF, ItemFilter(indicator_id="dm-lipid"), limit=500)
    assert dm.total == len(dm.items) == sum(i.indicator_id == "DM-LIPID" for i in items)


def test_sorted_by_a_column_with_missing_values_last_both_ways(practice: Store) -> None:
    list_id = lists.create_list(practice, GP, INDICATORS, AS_OF)
    items = queries.list_items(practice, GP, list_id, AS_OF)
    # Due dates on three items, set by hand: the third-added soonest, the first-added latest.
    days = {items[0].id: 30, items[2].id: 10, items[5].id: 20}
    for item_id, in_days in days.items():
        changes.update_items(practice, GP, {item_id: 1}, ItemChange(due=AS_OF + timedelta(days=in_days)))

    def order(key: str, descending: bool) -> list[int]:
        sort = ItemSort(key=key, descending=descending)
        return [i.id for i in queries.page_items(practice, GP, list_id, AS_OF, None, sort, limit=500).items]

    rest = [i.id for i in items if i.id not in days]
    assert order("due", False) == [items[2].id, items[5].id, items[0].id, *rest]
    assert order("due", True) == [items[0].id, items[5].id, items[2].id, *reversed(rest)]
    by_name = [i.id for i in sorted(items, key=lambda i: (i.name or "", i.id))]
    assert order("name", False) == by_name
    assert order("name", True) == [
        i.id for i in sorted(items, key=lambda i: (i.name or "", i.id), reverse=True)
    ]
    # The default order: priority, due date (none last), then as added.
    default = queries.page_items(practice, GP, list_id, AS_OF, None, ItemSort(), limit=500).items
    assert [i.id for i in default] == [items[2].id, items[5].id, items[0].id, *rest]
    # The call list (print) reads the same order.
    service_print = queries.items_for_data_out(
        practice, GP, list_id, AS_OF, ItemFilter(), ItemSort("due", True)
    )
    assert [i.id for i in service_print] == order("due", True)


def test_items_by_id_are_those_the_filter_still_shows(practice: Store) -> None:
    list_id = lists.create_list(practice, GP, INDICATORS, AS_OF)
    items = queries.list_items(practice, GP, list_id, AS_OF)
    first, second, third = items[:3]
    changes.update_items(practice, NURSE, {first.id: 1}, ItemChange(status="done"))
    changes.update_items(practice, NURSE, {second.id: 1}, ItemChange(status="contacted"))
    before = len(_shows(practice))
    found = queries.items_by_id(
        practice, GP, list_id, AS_OF, [first.id, second.id, third.id], ItemFilter(open_only=True)
    )
    # The done one no longer shows under "open"; the others as they are now; one entry for the two.
    assert [(i.id, i.status, i.version) for i in found] == [(second.id, "contacted", 2), (third.id, "new", 1)]
    assert _shows(practice)[before:] == [(f"worklist:{list_id}", 2)]
    assert queries.items_by_id(practice, GP, list_id, AS_OF, [], None) == []
    with pytest.raises(WorklistNotFoundError):
        queries.items_by_id(practice, GP, list_id + 1, AS_OF, [first.id])


def test_bad_windows_and_sort_keys_are_refused(practice: Store) -> None:
    list_id = lists.create_list(practice, GP, INDICATORS, AS_OF)
    with pytest.raises(InputError, match="sorted by 'evidence'"):
        queries.page_items(practice, GP, list_id, AS_OF, None, ItemSort(key="evidence"))
    with pytest.raises(InputError, match="Ask for 1 to"):
        queries.page_items(practice, GP, list_id, AS_OF, limit=0)
    with pytest.raises(InputError, match="Ask for 1 to"):
        queries.page_items(practice, GP, list_id, AS_OF, offset=-1)
    with pytest.raises(WorklistNotFoundError):
        queries.page_items(practice, GP, list_id + 1, AS_OF)
    with pytest.raises(PermissionDeniedError):
        queries.page_items(practice, ADMIN, list_id, AS_OF)


def _user(store: Store, name: str, full_name: str, role: str, *, disabled: bool = False) -> None:
    with store.session() as session:
        session.execute(
            insert(PracticeUser).values(
                name=name,
                full_name=full_name,
                role=role,
                password_hash="x",
                disabled=disabled,
                created_at=datetime(2026, 1, 1),
                changed_at=datetime(2026, 1, 1),
            )
        )


def test_assignees_are_the_enabled_users_who_work_lists_then_their_roles(practice: Store) -> None:
    roles = [
        Assignee("role:gp", "", "gp"),
        Assignee("role:nurse", "", "nurse"),
        Assignee("role:secretary", "", "secretary"),
    ]
    # Single-user mode: no practice users yet, so the one person is whoever is signed in.
    me = Actor(user="Jens", role=None, workstation="laptop", single_user=True)
    assert queries.assignees(practice, me) == [Assignee("jens", "", ""), *roles]

    _user(practice, "sofie", "Sofie Sekretær", "secretary")
    _user(practice, "anne", "Anne Andersen", "nurse")
    _user(practice, "bo", "Bo Berg", "gp", disabled=True)
    _user(practice, "ada", "Ada Admin", "admin")
    assert queries.assignees(practice, NURSE) == [  # not the disabled GP, nor the administrator
        Assignee("anne", "Anne Andersen", "nurse"),
        Assignee("sofie", "Sofie Sekretær", "secretary"),
        *roles,
    ]
    with pytest.raises(PermissionDeniedError):
        queries.assignees(practice, ADMIN)
