"""The right of the staff view: the chosen list's items (filtered: mine, overdue, status, indicator),
fetched a window at a time as the view scrolls and sorted by the store; bulk changes on a selection; the
chosen item's history.

A change someone else made first (a conflict) is shown with its message and the changed items are read
again, so the user sees the other change and nothing is lost. Texts keep the translation context
"WorklistPage" they were written in.
"""

from collections.abc import Callable, Collection, Mapping
from html import escape
from typing import Final, Protocol

from PySide6.QtCore import (
    QCoreApplication,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cockpit.views.charts.formatting import format_date
from cockpit.views.messages import error_message
from cockpit.views.tasks import Latest, Run
from cockpit.views.worklists.dialogs import AssigneeDialog, DueDialog, StatusDialog
from cockpit.views.worklists.items_model import ITEM_COLUMNS, ITEM_SORT_KEYS, ItemsModel, item_style
from cockpit.views.worklists.vocabulary import (
    PRIORITY_NAMES,
    REASON_NAMES,
    STATUS_NAMES,
    name_of,
    status_name,
)
from cockpit.views.worklists.widgets import MessageLine, table_view
from cockpit.worklists.model import (
    Assignee,
    ItemChange,
    ItemEvent,
    ItemFilter,
    ItemPage,
    ItemSort,
    ItemView,
    ListSummary,
)


class ItemQueries(Protocol):
    def page(
        self,
        list_id: int,
        where: ItemFilter | None = None,
        sort: ItemSort | None = None,
        *,
        offset: int = 0,
        limit: int = ...,
    ) -> ItemPage: ...
    def items_by_id(
        self, list_id: int, item_ids: Collection[int], where: ItemFilter | None = None
    ) -> list[ItemView]: ...
    def history(self, item_id: int) -> list[ItemEvent]: ...
    def update_many(self, versions: Mapping[int, int | None], change: ItemChange) -> list[int]: ...


PAGE: Final = 200  # items per window fetched as the view scrolls
LARGEST_RELOAD: Final = 20_000  # a reload after a change keeps what was fetched, up to this many


class ItemsPane(QWidget):
    """Signals: ``patient_requested(int)`` (Enter on an item); ``items_shown(int)``, ``history_shown(int)``
    when each is on screen; ``items_fetched(int)`` when a further window is shown (with the rows now
    shown); ``changed(int)`` after a change of that many items; ``refused(str)`` with the message of a
    change that was refused; ``figures_stale()`` after a change (the lists' figures are read again)."""

    patient_requested = Signal(int)
    items_shown = Signal(int)
    items_fetched = Signal(int)
    history_shown = Signal(int)
    changed = Signal(int)
    refused = Signal(str)
    figures_stale = Signal()

    def __init__(
        self,
        run: Run,
        current_list: Callable[[], ListSummary | None],
        message: MessageLine,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._run = run
        self._current_list = current_list  # the lists pane's, a sibling on the page
        self._message = message
        self._queries: ItemQueries | None = None
        self._reads = Latest(run)
        self._histories = Latest(run)
        self._shown_list: int | None = None
        self.assignees: list[Assignee] = []
        self.page_size = PAGE
        self.items = ItemsModel(ITEM_COLUMNS, ITEM_SORT_KEYS, item_style)
        self.item_view = table_view(self.items, stretch=7)
        self.item_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # The store sorts (the rows fetched so far are not all the rows); -1: its default order.
        self.item_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.item_view.setSortingEnabled(True)
        self.items.more_wanted.connect(self._fetch_more)
        self.items.sort_wanted.connect(self.reload_items)
        # Ctrl+A: every item of the list, also those not fetched yet (see select_all).
        select_all = QShortcut(
            QKeySequence(QKeySequence.StandardKey.SelectAll), self.item_view, self.select_all
        )
        select_all.setContext(Qt.ShortcutContext.WidgetShortcut)
        select_all.setWhatsThis(QCoreApplication.translate("Shortcuts", "Vælg alle punkter på listen"))
        self.history = QTextBrowser()
        self._build_filters()
        # Short labels, the shortcut in the tooltip (the page binds them): the window must still fit a
        # 1024-pixel-wide screen.
        self.status_button = QPushButton(QCoreApplication.translate("WorklistPage", "S&tatus …"))
        self.assign_button = QPushButton(QCoreApplication.translate("WorklistPage", "T&ildel …"))
        self.due_button = QPushButton(QCoreApplication.translate("WorklistPage", "Forfalds&dato …"))
        self.priority_button = QPushButton(QCoreApplication.translate("WorklistPage", "&Prioritet …"))
        self.note_button = QPushButton(QCoreApplication.translate("WorklistPage", "&Notat …"))
        self.csv_button = QPushButton(QCoreApplication.translate("WorklistPage", "CSV …"))
        self.pdf_button = QPushButton(QCoreApplication.translate("WorklistPage", "PDF …"))
        self._layout()
        self.item_view.selectionModel().currentRowChanged.connect(self._item_chosen)
        self.item_view.activated.connect(self._item_activated)

    def _build_filters(self) -> None:
        self.mine = QCheckBox(QCoreApplication.translate("WorklistPage", "&Mine"))
        self.mine.setToolTip(
            QCoreApplication.translate("WorklistPage", "Kun punkter tildelt mig eller min rolle (Alt+M)")
        )
        self.overdue = QCheckBox(QCoreApplication.translate("WorklistPage", "&Forfaldne"))
        self.overdue.setToolTip(
            QCoreApplication.translate("WorklistPage", "Kun åbne punkter over forfaldsdatoen (Alt+F)")
        )
        self.status = QComboBox()
        self.status.addItem(QCoreApplication.translate("WorklistPage", "Åbne"), "open")
        self.status.addItem(QCoreApplication.translate("WorklistPage", "Alle"), "")
        for status, text in STATUS_NAMES.items():
            self.status.addItem(name_of(STATUS_NAMES, status) or text, status)
        self.indicator = QComboBox()
        self.indicator.addItem(QCoreApplication.translate("WorklistPage", "Alle indikatorer"), "")
        for widget in (self.mine, self.overdue):
            widget.toggled.connect(self.reload_items)
        for combo in (self.status, self.indicator):
            combo.currentIndexChanged.connect(self.reload_items)

    def _layout(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.mine)
        filters.addWidget(self.overdue)
        status_label = QLabel(QCoreApplication.translate("WorklistPage", "St&atus:"))
        status_label.setBuddy(self.status)
        filters.addWidget(status_label)
        filters.addWidget(self.status)
        indicator_label = QLabel(QCoreApplication.translate("WorklistPage", "Indi&kator:"))
        indicator_label.setBuddy(self.indicator)
        filters.addWidget(indicator_label)
        filters.addWidget(self.indicator)
        filters.addStretch(1)
        buttons = QHBoxLayout()
        for button in (
            self.status_button,
            self.assign_button,
            self.due_button,
            self.priority_button,
            self.note_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.item_view, 3)
        layout.addLayout(buttons)
        history_label = QLabel(QCoreApplication.translate("WorklistPage", "Hist&orik"))
        history_label.setBuddy(self.history)
        layout.addWidget(history_label)
        layout.addWidget(self.history, 1)

    def attach(self, queries: ItemQueries | None) -> None:
        self._queries = queries
        if queries is None:
            self._reads.drop()
            self._histories.drop()
            self._shown_list = None
            self.assignees = []
            self.items.set_rows([])
            self.history.clear()

    # -- reading --------------------------------------------------------------------------------------

    def show_list(self, summary: ListSummary, reload_items: bool) -> None:
        """``summary`` was chosen: its items (the same list read again, after a sync: stay where you are)."""
        if summary.id == self._shown_list:
            if reload_items:
                self._refresh_items()
            return
        self._shown_list = summary.id
        self.indicator.blockSignals(True)
        self.indicator.clear()
        self.indicator.addItem(QCoreApplication.translate("WorklistPage", "Alle indikatorer"), "")
        for indicator_id in summary.indicator_ids:
            self.indicator.addItem(indicator_id, indicator_id)
        self.indicator.blockSignals(False)
        self.reload_items()

    def show_no_list(self) -> None:
        self.items.set_rows([])

    def current_filter(self) -> ItemFilter:
        status = str(self.status.currentData() or "")
        return ItemFilter(
            mine=self.mine.isChecked(),
            overdue=self.overdue.isChecked(),
            statuses=(status,) if status and status != "open" else (),
            indicator_id=str(self.indicator.currentData() or "") or None,
            open_only=status == "open",
        )

    def filter_and_order(self) -> tuple[ItemFilter, ItemSort]:
        return self.current_filter(), self.items.sort_order

    def reload_items(self) -> None:
        """Show the first window of the chosen list's items, as filtered and sorted now."""
        self._read_items(self.page_size, keep_place=False)

    def _refresh_items(self) -> None:
        """Read again as many items as are shown, keeping the selection and the scroll position."""
        self._read_items(min(max(self.page_size, self.items.rowCount()), LARGEST_RELOAD), keep_place=True)

    def _read_items(self, limit: int, *, keep_place: bool) -> None:
        queries, summary = self._queries, self._current_list()
        if queries is None or summary is None:
            return
        where, sort, list_id = self.current_filter(), self.items.sort_order, summary.id
        self._reads.run(
            lambda: queries.page(list_id, where, sort, offset=0, limit=limit),
            lambda page: self._show_items(page, keep_place=keep_place),
            self._failed,
        )

    def _show_items(self, page: ItemPage, *, keep_place: bool) -> None:
        selected = {item.id for item in self.selected_items()}
        top = max(self.item_view.rowAt(0), 0)
        self.items.show_first(page)
        self._select(selected)
        if keep_place and 0 < top < self.items.rowCount():
            self.item_view.scrollTo(self.items.index(top, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        else:
            self.item_view.scrollToTop()
        self.history.clear()
        self.items_shown.emit(self.items.rowCount())

    def _fetch_more(self, offset: int) -> None:
        """The view scrolled to the last row fetched: read the next window on the worker. A reload
        meanwhile (another list, filter or order) drops it: that reload's windows count."""
        queries, summary = self._queries, self._current_list()
        if queries is None or summary is None:
            self.items.fetch_failed()
            return
        where, sort, list_id, size = self.current_filter(), self.items.sort_order, summary.id, self.page_size
        ticket = self._reads.ticket

        def show(page: ItemPage) -> None:
            self.items.append(page)
            self.items_fetched.emit(self.items.rowCount())

        def failed(error: BaseException) -> None:
            if self._reads.is_current(ticket):
                self.items.fetch_failed()
            self._failed(error)

        self._reads.follow(
            lambda: queries.page(list_id, where, sort, offset=offset, limit=size), show, failed
        )

    def select_all(self) -> None:
        """Select every item of the list as filtered. Rows not fetched yet are read first (on the worker,
        from the top again, so that no window on its way can come in between): a bulk change after
        Ctrl+A then reaches all of them (up to ``LARGEST_RELOAD``), not only the windows scrolled to."""
        total = self.items.total
        if self.items.rowCount() >= total:
            self.item_view.selectAll()
            return
        queries, summary = self._queries, self._current_list()
        if queries is None or summary is None:
            return
        where, sort, list_id = self.current_filter(), self.items.sort_order, summary.id
        limit = min(total, LARGEST_RELOAD)

        def show(page: ItemPage) -> None:
            top = max(self.item_view.rowAt(0), 0)
            self.items.show_first(page)
            self.item_view.selectAll()
            if 0 < top < self.items.rowCount():
                self.item_view.scrollTo(self.items.index(top, 0), QAbstractItemView.ScrollHint.PositionAtTop)
            self.items_shown.emit(self.items.rowCount())

        self._reads.run(lambda: queries.page(list_id, where, sort, offset=0, limit=limit), show, self._failed)

    def selected_items(self) -> list[ItemView]:
        rows = sorted({index.row() for index in self.item_view.selectionModel().selectedRows()})
        return [self.items.row(row) for row in rows]

    def select_items(self, item_ids: Collection[int]) -> None:
        """Select the shown items with these ids (tests, and keeping a selection over a reload)."""
        self.item_view.clearSelection()
        self._select(item_ids)

    def _select(self, item_ids: Collection[int]) -> None:
        if not item_ids:
            return
        selection = QItemSelection()
        for row, item in enumerate(self.items.rows):
            if item.id in item_ids:
                selection.select(self.items.index(row, 0), self.items.index(row, len(ITEM_COLUMNS) - 1))
        self.item_view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.Select)

    def _item_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        queries = self._queries
        if queries is None or not current.isValid():
            return
        item_id = self.items.row(current.row()).id
        self._histories.run(
            lambda: queries.history(item_id), lambda events: self._show_history(item_id, events), self._failed
        )

    def _show_history(self, item_id: int, events: list[ItemEvent]) -> None:
        self.history.setHtml("<br>".join(escape(self._event_text(event)) for event in events))
        self.history_shown.emit(item_id)

    def _event_text(self, event: ItemEvent) -> str:
        at = f"{format_date(event.at)} {event.at:%H:%M}"
        if event.kind == "created":
            what = QCoreApplication.translate("WorklistPage", "oprettet")
        elif event.kind == "note":
            what = QCoreApplication.translate("WorklistPage", "notat: {text}").format(
                text=event.new_value or ""
            )
        elif event.kind == "resolved":
            what = QCoreApplication.translate("WorklistPage", "løst af data: {evidence}").format(
                evidence=event.new_value or ""
            )
        else:
            old, new = event.old_value or "–", event.new_value or "–"
            if event.field == "status":
                old, new = status_name(old), status_name(new)
            elif event.field == "reason":
                old, new = name_of(REASON_NAMES, old), name_of(REASON_NAMES, new)
            what = f"{event.field}: {old} → {new}"
        return f"{at}  {event.user}  {what}"

    def _item_activated(self, index: QModelIndex) -> None:
        patient_id = self.items.row(index.row()).patient_id
        if patient_id is not None:
            self.patient_requested.emit(patient_id)

    # -- changing -------------------------------------------------------------------------------------

    def apply(self, change: ItemChange) -> None:
        """Make ``change`` on the selected items, all or none (each with the version shown)."""
        queries, items = self._queries, self.selected_items()
        if queries is None or not items or change.is_empty():
            return
        versions = {item.id: item.version for item in items}
        self._run(
            lambda: queries.update_many(versions, change),
            lambda new: self._changed(list(versions), new),
            lambda error: self._change_failed(list(versions), error),
        )

    def _changed(self, item_ids: list[int], versions: list[int]) -> None:
        self._message.hide()
        self._reread(item_ids)
        self.changed.emit(len(versions))

    def _change_failed(self, item_ids: list[int], error: BaseException) -> None:
        """Someone else changed an item first (or the change was refused): say so, and show what is there
        now."""
        text = error_message(error)
        self._message.show_error(text)
        self._reread(item_ids)
        self.refused.emit(text)

    def _reread(self, item_ids: list[int]) -> None:
        """The lists' figures, then the changed items in their rows: not the whole list again (after a
        change at the end of 10,000 rows that would be 10,000 rows read and made again)."""
        queries, summary = self._queries, self._current_list()
        if queries is None or summary is None:
            return
        self.figures_stale.emit()  # first: the figures are on screen when the items are
        where, list_id = self.current_filter(), summary.id

        def show(found: list[ItemView]) -> None:
            self.items.replace(set(item_ids), found)
            self.items_shown.emit(self.items.rowCount())

        self._reads.follow(lambda: queries.items_by_id(list_id, item_ids, where), show, self._failed)

    def _failed(self, error: BaseException) -> None:
        self._message.show_error(error_message(error))

    def ask_status(self) -> None:
        if not self.selected_items():
            return
        dialog = StatusDialog(self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        status, reason = dialog.values()
        dialog.deleteLater()
        if accepted:
            self.apply(ItemChange(status=status, reason=reason))

    def ask_assignee(self) -> None:
        """Pick a practice user or a role for the selected items (the one they share is preselected)."""
        items = self.selected_items()
        if not items:
            return
        shared = {item.assignee for item in items}
        current = shared.pop() if len(shared) == 1 else None
        dialog = AssigneeDialog(self.assignees, current, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = dialog.value()
        dialog.deleteLater()
        if accepted:
            self.apply(ItemChange(assignee=chosen))

    def ask_due(self) -> None:
        if not self.selected_items():
            return
        dialog = DueDialog(self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        change = dialog.change()
        dialog.deleteLater()
        if accepted:
            self.apply(change)

    def ask_priority(self) -> None:
        if not self.selected_items():
            return
        names = [name_of(PRIORITY_NAMES, number) for number in PRIORITY_NAMES]
        text, ok = QInputDialog.getItem(
            self,
            QCoreApplication.translate("WorklistPage", "Prioritet"),
            QCoreApplication.translate("WorklistPage", "Prioritet:"),
            names,
            1,
            False,
        )
        if ok and text in names:
            self.apply(ItemChange(priority=list(PRIORITY_NAMES)[names.index(text)]))

    def ask_note(self) -> None:
        if not self.selected_items():
            return
        text, ok = QInputDialog.getMultiLineText(
            self,
            QCoreApplication.translate("WorklistPage", "Notat"),
            QCoreApplication.translate("WorklistPage", "Notat til de valgte punkter:"),
        )
        if ok and text.strip():
            self.apply(ItemChange(note=text.strip()))
