"""The items of the chosen list, fetched a window at a time as the view scrolls.

A list may hold 10,000 items or more. The model holds the windows fetched so far; when the view reaches
the last of them it calls ``fetchMore``, and the model asks for the next window with ``more_wanted``
(the page runs the query on the worker thread and hands the result to ``append``): the GUI thread never
waits on disk and never holds more rows than the user has scrolled to. Sorting is the store's
(``sort_wanted``): a sorted window of a list not fully fetched cannot be sorted here. ``ITEM_COLUMNS``
are its columns, ``ITEM_SORT_KEYS`` the store's sort key of each.
"""

from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Final

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

from cockpit.models.cpr import mask_cpr
from cockpit.views.i18n import QT_TRANSLATE_NOOP
from cockpit.views.rows_model import Column, RowsTableModel, RowStyle
from cockpit.views.worklists.vocabulary import (
    PRIORITY_NAMES,
    assignee_text,
    day_text,
    name_of,
    status_name,
)
from cockpit.worklists.model import ItemPage, ItemSort, ItemView

ITEM_COLUMNS: Final[list[Column[ItemView]]] = [
    Column(QT_TRANSLATE_NOOP("Column", "Navn"), lambda i: i.name or ""),
    Column(QT_TRANSLATE_NOOP("Column", "CPR-nr."), lambda i: mask_cpr(i.cpr)),
    Column(QT_TRANSLATE_NOOP("Column", "Indikator"), lambda i: i.indicator_id),
    Column(QT_TRANSLATE_NOOP("Column", "Status"), lambda i: status_name(i.status), sort=lambda i: i.status),
    Column(QT_TRANSLATE_NOOP("Column", "Tildelt"), lambda i: assignee_text(i.assignee)),
    Column(
        QT_TRANSLATE_NOOP("Column", "Forfald"),
        lambda i: day_text(i.due),
        sort=lambda i: i.due or date.max,
    ),
    Column(
        QT_TRANSLATE_NOOP("Column", "Prioritet"),
        lambda i: name_of(PRIORITY_NAMES, i.priority),
        sort=lambda i: i.priority,
    ),
    Column(
        QT_TRANSLATE_NOOP("Column", "Grundlag"),
        lambda i: "; ".join(i.resolved_evidence or i.evidence),
        tooltip=lambda i: "\n".join((*i.evidence, *i.resolved_evidence)),
    ),
]

# The store's sort key of each item column (ITEM_COLUMNS); the evidence is not sorted.
ITEM_SORT_KEYS: Final[list[str | None]] = [
    "name",
    "cpr",
    "indicator",
    "status",
    "assignee",
    "due",
    "priority",
    None,
]


def item_style(item: ItemView) -> RowStyle | None:
    """Overdue items stand out; closed ones step back."""
    if item.overdue:
        return RowStyle(bold=True, colour="#b00020")
    if not item.is_open:
        return RowStyle(italic=True, colour="#6b6b6b")
    return None


class ItemsModel(RowsTableModel[ItemView]):
    """Signals: ``more_wanted(int)`` with the offset of the window wanted next; ``sort_wanted()`` when
    the sort order changed (read it from ``sort_order``)."""

    more_wanted = Signal(int)
    sort_wanted = Signal()

    def __init__(
        self,
        columns: Sequence[Column[ItemView]],
        sort_keys: Sequence[str | None],
        style: Callable[[ItemView], RowStyle | None] | None = None,
    ) -> None:
        super().__init__(columns, style)
        self._sort_keys: Final = list(sort_keys)
        self._ids: set[int] = set()
        self._total = 0
        self._waiting = False
        self.sort_order = ItemSort()

    @property
    def total(self) -> int:
        """How many items match in the store (the rows fetched so far are ``rowCount()``)."""
        return self._total

    def show_first(self, page: ItemPage) -> None:
        """Start again from ``page`` (a new list, filter or order, or a reload after a change)."""
        self.beginResetModel()
        self._rows = list(page.items)
        self._ids = {item.id for item in page.items}
        self._total = page.total
        self._waiting = False
        self.endResetModel()

    def set_rows(self, rows: Sequence[ItemView]) -> None:
        self.show_first(ItemPage(total=len(rows), offset=0, items=tuple(rows)))

    def append(self, page: ItemPage) -> None:
        """Add the window fetched after the rows shown. A window that does not follow them (a reload came
        in between) is dropped; an item already shown (the list changed between two windows) is not
        shown twice."""
        self._waiting = False
        if page.offset != len(self._rows):
            return
        new = [item for item in page.items if item.id not in self._ids]
        # A list that shrank since the first window must not leave the view asking for rows forever.
        self._total = max(page.total, len(self._rows) + len(new)) if new else len(self._rows)
        if not new:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._rows.extend(new)
        self._ids.update(item.id for item in new)
        self.endInsertRows()

    def replace(self, item_ids: Collection[int], found: Sequence[ItemView]) -> None:
        """Show ``found`` (the items of ``item_ids`` as they are now) in their rows; an item of
        ``item_ids`` not among them no longer matches the filter and leaves the view. Rows stay where they
        are until the next reload, even if the order would move them."""
        fresh = {item.id: item for item in found}
        last = len(self._columns) - 1
        for row in reversed(range(len(self._rows))):
            item_id = self._rows[row].id
            if item_id not in item_ids:
                continue
            if item_id in fresh:
                self._rows[row] = fresh[item_id]
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
            else:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self._ids.discard(item_id)
                self._total -= 1
                self.endRemoveRows()

    def fetch_failed(self) -> None:
        """The window could not be read: the next scroll to the end asks again."""
        self._waiting = False

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._waiting and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._waiting = True
            self.more_wanted.emit(len(self._rows))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask the store for the items in this order (a column without a key, or -1, the default)."""
        key = self._sort_keys[column] if 0 <= column < len(self._sort_keys) else None
        wanted = ItemSort(key=key, descending=key is not None and order == Qt.SortOrder.DescendingOrder)
        if wanted != self.sort_order:
            self.sort_order = wanted
            self.sort_wanted.emit()
