"""Follow-up worklists for the window and the CLI (see cockpit.worklists and docs/worklists.md): the
operations of cockpit.worklists (``lists``, ``queries``, ``changes``, ``reevaluation``), asked as the user
signed in and on the window's day. The types they take and give (``ItemView``, ``Plan``...) have one
home, cockpit.worklists.model; import them there.

``actor`` is asked on every call, so that a sign-in takes effect at once; ``today`` likewise (the
window's clock, or a fixed day in tests).
"""

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from pathlib import Path

from cockpit.privacy.identity import Actor
from cockpit.store import Store
from cockpit.worklists import changes, exports, lists, queries, reevaluation
from cockpit.worklists.model import (
    Assignee,
    ItemChange,
    ItemEvent,
    ItemFilter,
    ItemPage,
    ItemSort,
    ItemView,
    ListSummary,
    Plan,
    Reevaluation,
)


def close_the_loop(store: Store, today: date) -> Reevaluation:
    """New data closes the loop: worklist items the data shows as done are resolved, new hits join the
    lists that follow their indicator (a no-op without worklists). The one path after new data, whoever
    brought it: a sync in the window, ``cockpit sync``, ``cockpit import``."""
    return reevaluation.reevaluate(store, today)


class WorklistService:
    def __init__(
        self, store: Store, actor: Callable[[], Actor], today: Callable[[], date] = date.today
    ) -> None:
        self._store = store
        self._actor = actor
        self._today = today

    def create(
        self,
        indicator_ids: Sequence[str],
        *,
        name: str | None = None,
        follows: bool = False,
        patient_ids: Collection[int] | None = None,
    ) -> ListSummary:
        """A list of the indicators' hits today (or of the selected ``patient_ids`` among them)."""
        list_id = lists.create_list(
            self._store,
            self._actor(),
            indicator_ids,
            self._today(),
            name=name,
            follows=follows,
            patient_ids=patient_ids,
        )
        return self.get(list_id)

    def lists(self) -> list[ListSummary]:
        return lists.list_lists(self._store, self._actor(), self._today())

    def get(self, list_id: int) -> ListSummary:
        return lists.get_list(self._store, self._actor(), list_id, self._today())

    def items(self, list_id: int, where: ItemFilter | None = None) -> list[ItemView]:
        """The list's items (audited as ``list.show``)."""
        return queries.list_items(self._store, self._actor(), list_id, self._today(), where)

    def page(
        self,
        list_id: int,
        where: ItemFilter | None = None,
        sort: ItemSort | None = None,
        *,
        offset: int = 0,
        limit: int = queries.PAGE,
    ) -> ItemPage:
        """A window of the list's items and how many match (each window audited as ``list.show``)."""
        return queries.page_items(
            self._store, self._actor(), list_id, self._today(), where, sort, offset=offset, limit=limit
        )

    def items_by_id(
        self, list_id: int, item_ids: Collection[int], where: ItemFilter | None = None
    ) -> list[ItemView]:
        """These items as they are now, those the filter still shows (audited as ``list.show``)."""
        return queries.items_by_id(self._store, self._actor(), list_id, self._today(), item_ids, where)

    def assignees(self) -> list[Assignee]:
        """The enabled practice users, then the roles that work lists."""
        return queries.assignees(self._store, self._actor())

    def item(self, item_id: int) -> ItemView:
        return queries.item(self._store, self._actor(), item_id, self._today())

    def open_items_for_patient(self, patient_fhir_id: str) -> list[ItemView]:
        """The patient's open follow-up items (the attention panel of an opened patient)."""
        return queries.open_items_for_patient(self._store, self._actor(), patient_fhir_id, self._today())

    def history(self, item_id: int) -> list[ItemEvent]:
        return queries.history(self._store, self._actor(), item_id)

    def update(self, item_id: int, version: int | None, change: ItemChange) -> int:
        """Change one item; ``version`` is the one the caller saw (ConflictError if it is stale)."""
        (new_version,) = changes.update_items(self._store, self._actor(), {item_id: version}, change)
        return new_version

    def update_many(self, versions: Mapping[int, int | None], change: ItemChange) -> list[int]:
        """The same change on a selection (item id -> version seen); all or nothing."""
        return changes.update_items(self._store, self._actor(), versions, change)

    def set_plan(self, list_id: int, plan: Plan) -> None:
        lists.set_plan(self._store, self._actor(), list_id, plan)

    def reevaluate(self) -> Reevaluation:
        """Close the loop (after an import or a sync)."""
        return reevaluation.reevaluate(self._store, self._today(), actor=self._actor())

    def items_for_print(
        self, list_id: int, where: ItemFilter | None = None, sort: ItemSort | None = None
    ) -> list[ItemView]:
        """Every item of a printed call list (needs the export permission); the caller records it in the
        data-out ledger before anything is written."""
        return queries.items_for_data_out(self._store, self._actor(), list_id, self._today(), where, sort)

    def export_csv(self, list_id: int, path: Path, where: ItemFilter | None = None) -> int:
        """The call list as CSV, recorded in the data-out ledger before the file is written."""
        return exports.export_items_csv(self._store, self._actor(), list_id, path, self._today(), where=where)
