"""The facade the window and the CLI call: the actor and the day are asked on every call, so a sign-in
(or a new day) takes effect at once."""

from datetime import date
from pathlib import Path

import pytest

from cockpit.errors import PermissionDeniedError
from cockpit.privacy.identity import Actor
from cockpit.services.worklists import WorklistService
from cockpit.store import Store
from cockpit.worklists.errors import ConflictError
from cockpit.worklists.model import ItemChange, ItemFilter, Plan
from tests.worklists.conftest import ADMIN, AS_OF, GP, NURSE


def test_the_facade_works_a_list_for_whoever_is_signed_in(practice: Store, tmp_path: Path) -> None:
    who: list[Actor] = [GP]
    day = [AS_OF]
    worklists = WorklistService(practice, lambda: who[0], lambda: day[0])

    created = worklists.create(["DM-HBA1C-12M"], name="Årskontrol", follows=True)
    assert (created.name, created.created_by, created.follows) == ("Årskontrol", "gitte", True)
    items = worklists.items(created.id)
    assert [s.id for s in worklists.lists()] == [created.id]

    versions = worklists.update_many(
        {i.id: i.version for i in items}, ItemChange(assignee="nurse", due=AS_OF)
    )
    assert versions == [2] * len(items)
    who[0] = NURSE  # the nurse signs in on the same window
    mine = worklists.items(created.id, ItemFilter(mine=True))
    assert [i.id for i in mine] == [i.id for i in items]
    assert worklists.update(mine[0].id, mine[0].version, ItemChange(status="contacted")) == 3
    with pytest.raises(ConflictError):
        worklists.update(mine[0].id, 2, ItemChange(status="booked"))
    assert [e.user for e in worklists.history(mine[0].id)] == ["gitte", "gitte", "gitte", "anne"]

    (shown,) = worklists.open_items_for_patient(mine[0].patient_fhir_id)
    assert (shown.id, shown.status) == (mine[0].id, "contacted")

    day[0] = date(2026, 11, 23)  # the next day, the items due on the 22nd are overdue
    assert worklists.get(created.id).figures.overdue == len(items)
    worklists.set_plan(created.id, Plan("Årskontrol", "SMS", "Anne", date(2027, 3, 1)))
    assert worklists.get(created.id).plan is not None
    assert worklists.reevaluate().as_of == date(2026, 11, 23)
    assert worklists.export_csv(created.id, tmp_path / "liste.csv") == len(items)

    who[0] = ADMIN
    with pytest.raises(PermissionDeniedError):
        worklists.lists()
