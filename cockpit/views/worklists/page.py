"""The staff view of follow-up worklists, a page of three parts: the practice's lists with their figures
and plan (``ListsPane``, left), the chosen list's items with filters, bulk changes and an item's history
(``ItemsPane``, right), and the call list as CSV or PDF (``WorklistExports``).

The page builds them, binds the buttons to their keys, and passes news between them: a chosen list's
items, the figures again after a change. Every store access goes through the window's task runner; a
result for an older request of its kind is dropped (``views/tasks.py``).
"""

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QSplitter, QVBoxLayout, QWidget

from cockpit.views.tasks import Run
from cockpit.views.worklists.exports import DataOut, WorklistExports
from cockpit.views.worklists.items_pane import ItemQueries, ItemsPane
from cockpit.views.worklists.lists_pane import ListsPane
from cockpit.views.worklists.widgets import MessageLine
from cockpit.worklists.model import (
    Assignee,
    ItemChange,
    ItemFilter,
    ItemSort,
    ItemView,
    ListSummary,
    Plan,
)


class WorklistQueries(ItemQueries, Protocol):
    """The part of ``cockpit.services.worklists.WorklistService`` the window uses (the items' part is the
    items pane's ``ItemQueries``)."""

    def create(
        self,
        indicator_ids: Sequence[str],
        *,
        name: str | None = None,
        follows: bool = False,
        patient_ids: Collection[int] | None = None,
    ) -> ListSummary: ...
    def lists(self) -> list[ListSummary]: ...
    def assignees(self) -> list[Assignee]: ...
    def set_plan(self, list_id: int, plan: Plan) -> None: ...
    def export_csv(self, list_id: int, path: Path, where: ItemFilter | None = None) -> int: ...
    def items_for_print(
        self, list_id: int, where: ItemFilter | None = None, sort: ItemSort | None = None
    ) -> list[ItemView]: ...


class WorklistPage(QWidget):
    """Signals: ``patient_requested(int)`` (Enter on an item); ``lists_shown(int)``, ``items_shown(int)``,
    ``history_shown(int)`` when each is on screen; ``changed(int)`` after a change of that many items;
    ``failed(str)`` with the message of a change that was refused (e.g. a conflict); ``exported(int)``;
    ``items_fetched(int)`` when a further window of items is shown (with the rows now shown);
    ``plan_saved(int)`` with the list's id; ``assignees_shown(int)`` when the assignee picker's choices
    are read."""

    patient_requested = Signal(int)
    lists_shown = Signal(int)
    items_shown = Signal(int)
    items_fetched = Signal(int)
    plan_saved = Signal(int)
    assignees_shown = Signal(int)
    history_shown = Signal(int)
    changed = Signal(int)
    failed = Signal(str)
    exported = Signal(int)

    def __init__(self, run: Run, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = MessageLine()
        self.lists_pane = ListsPane(run, self.message)
        self.items_pane = ItemsPane(run, self.lists_pane.current_list, self.message)
        self.exports = WorklistExports(
            run, self.lists_pane.current_list, self.items_pane.filter_and_order, self.message, self
        )
        lists, items = self.lists_pane, self.items_pane
        self.lists, self.list_view, self.plan, self.plan_button = (
            lists.lists,
            lists.list_view,
            lists.plan,
            lists.plan_button,
        )
        self.items, self.item_view, self.history = items.items, items.item_view, items.history
        self.mine, self.overdue, self.status, self.indicator = (
            items.mine,
            items.overdue,
            items.status,
            items.indicator,
        )
        self.status_button, self.assign_button, self.due_button = (
            items.status_button,
            items.assign_button,
            items.due_button,
        )
        self.priority_button, self.note_button = items.priority_button, items.note_button
        self.csv_button, self.pdf_button = items.csv_button, items.pdf_button
        self._bind_actions()
        splitter = QSplitter()
        splitter.addWidget(lists)
        splitter.addWidget(items)
        splitter.setSizes([430, 850])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        lists.list_chosen.connect(items.show_list)
        lists.emptied.connect(items.show_no_list)
        lists.lists_shown.connect(self.lists_shown)
        lists.assignees_read.connect(self._assignees_read)
        lists.plan_saved.connect(self.plan_saved)
        items.figures_stale.connect(lists.reload_figures)
        items.patient_requested.connect(self.patient_requested)
        items.items_shown.connect(self.items_shown)
        items.items_fetched.connect(self.items_fetched)
        items.history_shown.connect(self.history_shown)
        items.changed.connect(self.changed)
        items.refused.connect(self.failed)
        self.exports.exported.connect(self.exported)

    def _bind_actions(self) -> None:
        # The shortcut in the tooltip; the keys work anywhere on the page.
        lists, items, exports = self.lists_pane, self.items_pane, self.exports
        actions: list[tuple[QPushButton, str, Callable[[], None]]] = [
            (self.status_button, "F2", items.ask_status),
            (self.assign_button, "Ctrl+T", items.ask_assignee),
            (self.due_button, "Ctrl+D", items.ask_due),
            (self.priority_button, "Ctrl+P", items.ask_priority),
            (self.note_button, "Ctrl+N", items.ask_note),
            (self.csv_button, "Ctrl+E", exports.choose_csv_file),
            (self.pdf_button, "Ctrl+Shift+P", exports.choose_pdf_file),
            (self.plan_button, "Ctrl+I", lists.edit_plan),
        ]
        for button, keys, action in actions:
            button.setToolTip(f"{button.text().replace('&', '')} ({keys})")
            button.clicked.connect(action)
            shortcut = QShortcut(QKeySequence(keys), self, action)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis(button.text().replace("&", "").removesuffix(" …"))

    def _assignees_read(self, assignees: list[Assignee]) -> None:
        self.items_pane.assignees = assignees
        self.assignees_shown.emit(len(assignees))

    # -- filling --------------------------------------------------------------------------------------

    def attach(self, queries: WorklistQueries, data_out: DataOut, *, may_export: bool) -> None:
        """Work with ``queries`` (the signed-in user's); ``data_out`` records a PDF before it is written."""
        self.lists_pane.attach(queries)
        self.items_pane.attach(queries)
        self.exports.attach(queries, data_out, may_export=may_export)
        self.csv_button.setEnabled(may_export)
        self.pdf_button.setEnabled(may_export)
        self.reload_lists()

    def detach(self) -> None:
        """Forget the lists and items (someone signed in whose role does not work lists)."""
        self.lists_pane.attach(None)
        self.items_pane.attach(None)
        self.exports.attach(None, None, may_export=self.exports.may_export)
        self.message.hide()

    @property
    def may_export(self) -> bool:
        return self.exports.may_export

    @property
    def page_size(self) -> int:
        """Items per window fetched as the view scrolls."""
        return self.items_pane.page_size

    @page_size.setter
    def page_size(self, size: int) -> None:
        self.items_pane.page_size = size

    # -- the parts' own, for the window and the tests --------------------------------------------------

    def reload_lists(self, select: int | None = None, *, items: bool = True) -> None:
        self.lists_pane.reload(select, items=items)

    def current_list(self) -> ListSummary | None:
        return self.lists_pane.current_list()

    def edit_plan(self) -> None:
        self.lists_pane.edit_plan()

    def current_filter(self) -> ItemFilter:
        return self.items_pane.current_filter()

    def reload_items(self) -> None:
        self.items_pane.reload_items()

    def select_all(self) -> None:
        self.items_pane.select_all()

    def selected_items(self) -> list[ItemView]:
        return self.items_pane.selected_items()

    def select_items(self, item_ids: Collection[int]) -> None:
        self.items_pane.select_items(item_ids)

    def apply(self, change: ItemChange) -> None:
        self.items_pane.apply(change)

    def ask_status(self) -> None:
        self.items_pane.ask_status()

    def ask_assignee(self) -> None:
        self.items_pane.ask_assignee()

    def ask_due(self) -> None:
        self.items_pane.ask_due()

    def ask_priority(self) -> None:
        self.items_pane.ask_priority()

    def ask_note(self) -> None:
        self.items_pane.ask_note()

    def export_csv(self, path: Path) -> None:
        self.exports.export_csv(path)

    def export_pdf(self, path: Path) -> None:
        self.exports.export_pdf(path)
