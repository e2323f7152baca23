"""The staff view of follow-up worklists: the practice's lists with their figures and plan, the chosen
list's items (filtered: mine, overdue, status, indicator), bulk changes on a selection, an item's history,
the list's implementation plan, and the call list as CSV or PDF.

The items are fetched a window at a time as the view scrolls (``ItemsModel``), sorted by the store when a
column header is clicked. Every store access goes through the window's task runner; each kind of result
carries a sequence number and a result for an older request is dropped. A change someone else made first
(a conflict) is shown with its message and the items are read again, so the user sees the other change and
nothing is lost.
"""

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import Any, Final, Protocol

from PySide6.QtCore import (
    QBuffer,
    QCoreApplication,
    QDate,
    QIODevice,
    QItemSelection,
    QItemSelectionModel,
    QMarginsF,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QPageLayout, QPageSize, QPdfWriter, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cockpit.privacy.data_out import write_private
from cockpit.views.admin.users_page import Run
from cockpit.views.i18n import QT_TRANSLATE_NOOP
from cockpit.views.messages import error_message
from cockpit.views.rows_model import Column, RowsTableModel, RowStyle
from cockpit.views.worklists.dialogs import AssigneeDialog, PlanDialog, StatusDialog
from cockpit.views.worklists.items_model import ItemsModel
from cockpit.views.worklists.vocabulary import (
    PRIORITY_NAMES,
    REASON_NAMES,
    STATUS_NAMES,
    assignee_text,
    day_text,
    masked_cpr,
    name_of,
    status_name,
)
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
)


class WorklistQueries(Protocol):
    """The part of ``cockpit.services.worklists.WorklistService`` the window uses."""

    def create(
        self,
        indicator_ids: Sequence[str],
        *,
        name: str | None = None,
        follows: bool = False,
        patient_ids: Collection[int] | None = None,
    ) -> ListSummary: ...
    def lists(self) -> list[ListSummary]: ...
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
    def assignees(self) -> list[Assignee]: ...
    def history(self, item_id: int) -> list[ItemEvent]: ...
    def update_many(self, versions: Mapping[int, int | None], change: ItemChange) -> list[int]: ...
    def set_plan(self, list_id: int, plan: Plan) -> None: ...
    def export_csv(self, list_id: int, path: Path, where: ItemFilter | None = None) -> int: ...
    def items_for_print(
        self, list_id: int, where: ItemFilter | None = None, sort: ItemSort | None = None
    ) -> list[ItemView]: ...


# (kind, destination, patient count, what): the data-out ledger, called before anything is written.
DataOut = Callable[[str, str, int, str], Any]


def _median(summary: ListSummary) -> str:
    days = summary.figures.median_days_to_close
    return "–" if days is None else f"{days:.1f}"


def _count(get: Callable[[ListSummary], int], header: str) -> Column[ListSummary]:
    return Column(header, lambda s: str(get(s)), sort=get, align_right=True)


LIST_COLUMNS: Final[list[Column[ListSummary]]] = [
    Column(
        QT_TRANSLATE_NOOP("Column", "Liste"), lambda s: s.name, tooltip=lambda s: ", ".join(s.indicator_ids)
    ),
    _count(lambda s: s.figures.open, QT_TRANSLATE_NOOP("Column", "Åbne")),
    _count(lambda s: s.figures.overdue, QT_TRANSLATE_NOOP("Column", "Forfaldne")),
    _count(lambda s: s.figures.done, QT_TRANSLATE_NOOP("Column", "Udført")),
    _count(lambda s: s.figures.auto_resolved, QT_TRANSLATE_NOOP("Column", "Løst af data")),
    Column(
        QT_TRANSLATE_NOOP("Column", "Median dage"),
        _median,
        sort=lambda s: s.figures.median_days_to_close or 0.0,
        align_right=True,
    ),
]

ITEM_COLUMNS: Final[list[Column[ItemView]]] = [
    Column(QT_TRANSLATE_NOOP("Column", "Navn"), lambda i: i.name or ""),
    Column(QT_TRANSLATE_NOOP("Column", "CPR-nr."), masked_cpr),
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
PAGE: Final = 200  # items per window fetched as the view scrolls
LARGEST_RELOAD: Final = 20_000  # a reload after a change keeps what was fetched, up to this many


def item_style(item: ItemView) -> RowStyle | None:
    """Overdue items stand out; closed ones step back."""
    if item.overdue:
        return RowStyle(bold=True, colour="#b00020")
    if not item.is_open:
        return RowStyle(italic=True, colour="#6b6b6b")
    return None


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
        self._run = run
        self._queries: WorklistQueries | None = None
        self._data_out: DataOut | None = None
        self._lists_seq = 0
        self._items_seq = 0
        self._history_seq = 0
        self._select_list: int | None = None
        self._shown_list: int | None = None
        self._assignees: list[Assignee] = []
        self._lists_chosen = 0  # how often a list was chosen (shown), to show it once per reload
        self._lists_reload_items = True
        self.may_export = False
        self.page_size = PAGE
        self.lists: RowsTableModel[ListSummary] = RowsTableModel(LIST_COLUMNS)
        self.list_view = self._table(self.lists, stretch=0)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items = ItemsModel(ITEM_COLUMNS, ITEM_SORT_KEYS, item_style)
        self.item_view = self._table(self.items, stretch=7)
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
        self.plan = QLabel()
        self.plan.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.history = QTextBrowser()
        self._build_filters()
        self._build_actions()
        self._layout()
        self.list_view.selectionModel().currentRowChanged.connect(self._list_chosen)
        self.item_view.selectionModel().currentRowChanged.connect(self._item_chosen)
        self.item_view.activated.connect(self._item_activated)

    # -- building -------------------------------------------------------------------------------------

    def _table(self, model: RowsTableModel[Any], stretch: int) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
        view.setWordWrap(False)
        header = view.horizontalHeader()
        # Widths from the rows on screen, not from every row fetched (a window arriving while scrolling
        # would measure a thousand rows each time).
        header.setResizeContentsPrecision(0)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return view

    def _build_filters(self) -> None:
        self.mine = QCheckBox(self.tr("&Mine"))
        self.mine.setToolTip(self.tr("Kun punkter tildelt mig eller min rolle (Alt+M)"))
        self.overdue = QCheckBox(self.tr("&Forfaldne"))
        self.overdue.setToolTip(self.tr("Kun åbne punkter over forfaldsdatoen (Alt+F)"))
        self.status = QComboBox()
        self.status.addItem(self.tr("Åbne"), "open")
        self.status.addItem(self.tr("Alle"), "")
        for status, text in STATUS_NAMES.items():
            self.status.addItem(name_of(STATUS_NAMES, status) or text, status)
        self.indicator = QComboBox()
        self.indicator.addItem(self.tr("Alle indikatorer"), "")
        for widget in (self.mine, self.overdue):
            widget.toggled.connect(self.reload_items)
        for combo in (self.status, self.indicator):
            combo.currentIndexChanged.connect(self.reload_items)

    def _build_actions(self) -> None:
        # Short labels, the shortcut in the tooltip: the window must still fit a 1024-pixel-wide screen.
        self.status_button = QPushButton(self.tr("S&tatus …"))
        self.assign_button = QPushButton(self.tr("T&ildel …"))
        self.due_button = QPushButton(self.tr("Forfalds&dato …"))
        self.priority_button = QPushButton(self.tr("&Prioritet …"))
        self.note_button = QPushButton(self.tr("&Notat …"))
        self.csv_button = QPushButton(self.tr("CSV …"))
        self.pdf_button = QPushButton(self.tr("PDF …"))
        self.plan_button = QPushButton(self.tr("&Rediger plan …"))
        actions: list[tuple[QPushButton, str, Callable[[], None]]] = [
            (self.status_button, "F2", self.ask_status),
            (self.assign_button, "Ctrl+T", self.ask_assignee),
            (self.due_button, "Ctrl+D", self.ask_due),
            (self.priority_button, "Ctrl+P", self.ask_priority),
            (self.note_button, "Ctrl+N", self.ask_note),
            (self.csv_button, "Ctrl+E", self._choose_csv_file),
            (self.pdf_button, "Ctrl+Shift+P", self._choose_pdf_file),
            (self.plan_button, "Ctrl+I", self.edit_plan),
        ]
        for button, keys, action in actions:
            button.setToolTip(f"{button.text().replace('&', '')} ({keys})")
            button.clicked.connect(action)
            shortcut = QShortcut(QKeySequence(keys), self, action)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        lists_label = QLabel(self.tr("&Lister"))
        lists_label.setBuddy(self.list_view)
        left_layout.addWidget(lists_label)
        left_layout.addWidget(self.list_view, 1)
        left_layout.addWidget(self.plan)
        plan_buttons = QHBoxLayout()
        plan_buttons.addWidget(self.plan_button)
        plan_buttons.addStretch(1)
        left_layout.addLayout(plan_buttons)
        filters = QHBoxLayout()
        filters.addWidget(self.mine)
        filters.addWidget(self.overdue)
        status_label = QLabel(self.tr("St&atus:"))
        status_label.setBuddy(self.status)
        filters.addWidget(status_label)
        filters.addWidget(self.status)
        indicator_label = QLabel(self.tr("Indi&kator:"))
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
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(filters)
        right_layout.addWidget(self.item_view, 3)
        right_layout.addLayout(buttons)
        history_label = QLabel(self.tr("Hist&orik"))
        history_label.setBuddy(self.history)
        right_layout.addWidget(history_label)
        right_layout.addWidget(self.history, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([430, 850])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

    # -- filling --------------------------------------------------------------------------------------

    def attach(self, queries: WorklistQueries, data_out: DataOut, *, may_export: bool) -> None:
        """Work with ``queries`` (the signed-in user's); ``data_out`` records a PDF before it is written."""
        self._queries = queries
        self._data_out = data_out
        self.may_export = may_export
        self.csv_button.setEnabled(may_export)
        self.pdf_button.setEnabled(may_export)
        self.reload_lists()

    def detach(self) -> None:
        """Forget the lists and items (someone signed in whose role does not work lists)."""
        self._queries = None
        self._data_out = None
        self._lists_seq += 1
        self._items_seq += 1
        self._history_seq += 1
        self._shown_list = None
        self._assignees = []
        self.lists.set_rows([])
        self.items.set_rows([])
        self.plan.clear()
        self.history.clear()
        self.message.hide()

    def reload_lists(self, select: int | None = None, *, items: bool = True) -> None:
        """Read the lists and their figures again; ``select`` a list by id (else keep the chosen one).
        ``items``: read the chosen list's items again too (as many as are shown)."""
        queries = self._queries
        if queries is None:
            return
        current = self.current_list()
        self._select_list = select if select is not None else (current.id if current else None)
        self._lists_reload_items = items
        self._lists_seq += 1
        seq = self._lists_seq
        self._run(queries.lists, lambda lists: self._show_lists(seq, lists), self._failed)
        self._run(queries.assignees, lambda found: self._show_assignees(seq, found), self._failed)

    def _show_assignees(self, seq: int, assignees: list[Assignee]) -> None:
        if seq == self._lists_seq:
            self._assignees = assignees
            self.assignees_shown.emit(len(assignees))

    def _show_lists(self, seq: int, lists: list[ListSummary]) -> None:
        if seq != self._lists_seq:
            return
        wanted = self._select_list
        self.lists.set_rows(lists)
        row = next((n for n, s in enumerate(lists) if s.id == wanted), 0 if lists else None)
        if row is not None:
            chosen = self._lists_chosen
            self.list_view.selectRow(row)
            if self._lists_chosen == chosen:  # the current row did not change, so no signal came
                self._list_chosen(self.lists.index(row, 0), QModelIndex())
        else:
            self.items.set_rows([])
            self.plan.clear()
        self.lists_shown.emit(len(lists))

    def current_list(self) -> ListSummary | None:
        index = self.list_view.selectionModel().currentIndex()
        return self.lists.row(index.row()) if index.isValid() else None

    def _list_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        self._lists_chosen += 1
        summary = self.lists.row(current.row())
        self._show_plan(summary)
        if summary.id == self._shown_list:
            if self._lists_reload_items:
                self._refresh_items()  # the same list read again (after a sync): stay where you are
            return
        self._shown_list = summary.id
        self.indicator.blockSignals(True)
        self.indicator.clear()
        self.indicator.addItem(self.tr("Alle indikatorer"), "")
        for indicator_id in summary.indicator_ids:
            self.indicator.addItem(indicator_id, indicator_id)
        self.indicator.blockSignals(False)
        self.reload_items()

    def _show_plan(self, summary: ListSummary) -> None:
        plan = summary.plan
        follows = self.tr("følger indikatoren") if summary.follows else self.tr("fast udvalg")
        head = self.tr("<b>{name}</b> ({indicators}; {follows}), oprettet af {user}").format(
            name=escape(summary.name),
            indicators=escape(", ".join(summary.indicator_ids)),
            follows=follows,
            user=escape(summary.created_by),
        )
        if plan is None:
            none = self.tr("Ingen implementeringsplan endnu.")
            self.plan.setText(f"{head}<br>{none}")
            return
        lines = [
            (self.tr("Hvad"), plan.what),
            (self.tr("Hvordan"), plan.how),
            (self.tr("Hvem"), plan.who),
            (self.tr("Senest"), day_text(plan.by)),
            (self.tr("Mål"), plan.target or ""),
            (self.tr("Opfølgning"), day_text(plan.review)),
        ]
        body = "<br>".join(f"{escape(label)}: {escape(value)}" for label, value in lines if value)
        title = self.tr("Implementeringsplan")
        self.plan.setText(f"{head}<br><b>{escape(title)}</b><br>{body}")

    def current_filter(self) -> ItemFilter:
        status = str(self.status.currentData() or "")
        return ItemFilter(
            mine=self.mine.isChecked(),
            overdue=self.overdue.isChecked(),
            statuses=(status,) if status and status != "open" else (),
            indicator_id=str(self.indicator.currentData() or "") or None,
            open_only=status == "open",
        )

    def reload_items(self) -> None:
        """Show the first window of the chosen list's items, as filtered and sorted now."""
        self._read_items(self.page_size, keep_place=False)

    def _refresh_items(self) -> None:
        """Read again as many items as are shown, keeping the selection and the scroll position."""
        self._read_items(min(max(self.page_size, self.items.rowCount()), LARGEST_RELOAD), keep_place=True)

    def _read_items(self, limit: int, *, keep_place: bool) -> None:
        queries, summary = self._queries, self.current_list()
        if queries is None or summary is None:
            return
        self._items_seq += 1
        seq, where, sort, list_id = self._items_seq, self.current_filter(), self.items.sort_order, summary.id
        self._run(
            lambda: queries.page(list_id, where, sort, offset=0, limit=limit),
            lambda page: self._show_items(seq, page, keep_place=keep_place),
            self._failed,
        )

    def _show_items(self, seq: int, page: ItemPage, *, keep_place: bool = False) -> None:
        if seq != self._items_seq:
            return
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
        """The view scrolled to the last row fetched: read the next window on the worker."""
        queries, summary = self._queries, self.current_list()
        if queries is None or summary is None:
            self.items.fetch_failed()
            return
        seq, where, sort, list_id = self._items_seq, self.current_filter(), self.items.sort_order, summary.id
        size = self.page_size

        def show(page: ItemPage) -> None:
            if seq != self._items_seq:
                return  # the items were read again meanwhile; that reload's windows count
            self.items.append(page)
            self.items_fetched.emit(self.items.rowCount())

        def failed(error: BaseException) -> None:
            if seq == self._items_seq:
                self.items.fetch_failed()
            self._failed(error)

        self._run(lambda: queries.page(list_id, where, sort, offset=offset, limit=size), show, failed)

    def select_all(self) -> None:
        """Select every item of the list as filtered. Rows not fetched yet are read first (on the worker,
        from the top again, so that no window on its way can come in between): a bulk change after
        Ctrl+A then reaches all of them (up to ``LARGEST_RELOAD``), not only the windows scrolled to."""
        total = self.items.total
        if self.items.rowCount() >= total:
            self.item_view.selectAll()
            return
        queries, summary = self._queries, self.current_list()
        if queries is None or summary is None:
            return
        self._items_seq += 1
        seq, where, sort, list_id = self._items_seq, self.current_filter(), self.items.sort_order, summary.id
        limit = min(total, LARGEST_RELOAD)

        def show(page: ItemPage) -> None:
            if seq != self._items_seq:
                return  # read again meanwhile (another list, filter or order): nothing to select
            top = max(self.item_view.rowAt(0), 0)
            self.items.show_first(page)
            self.item_view.selectAll()
            if 0 < top < self.items.rowCount():
                self.item_view.scrollTo(self.items.index(top, 0), QAbstractItemView.ScrollHint.PositionAtTop)
            self.items_shown.emit(self.items.rowCount())

        self._run(lambda: queries.page(list_id, where, sort, offset=0, limit=limit), show, self._failed)

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
        self._history_seq += 1
        seq = self._history_seq
        self._run(
            lambda: queries.history(item_id),
            lambda events: self._show_history(seq, item_id, events),
            self._failed,
        )

    def _show_history(self, seq: int, item_id: int, events: list[ItemEvent]) -> None:
        if seq != self._history_seq:
            return
        self.history.setHtml("<br>".join(escape(self._event_text(event)) for event in events))
        self.history_shown.emit(item_id)

    def _event_text(self, event: ItemEvent) -> str:
        at = event.at.strftime("%d-%m-%Y %H:%M")
        if event.kind == "created":
            what = self.tr("oprettet")
        elif event.kind == "note":
            what = self.tr("notat: {text}").format(text=event.new_value or "")
        elif event.kind == "resolved":
            what = self.tr("løst af data: {evidence}").format(evidence=event.new_value or "")
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
        self.message.hide()
        self._reread(item_ids)
        self.changed.emit(len(versions))

    def _change_failed(self, item_ids: list[int], error: BaseException) -> None:
        """Someone else changed an item first (or the change was refused): say so, and show what is there
        now."""
        text = error_message(error)
        self._show_message(text)
        self._reread(item_ids)
        self.failed.emit(text)

    def _reread(self, item_ids: list[int]) -> None:
        """The lists' figures, then the changed items in their rows: not the whole list again (after a
        change at the end of 10,000 rows that would be 10,000 rows read and made again)."""
        queries, summary = self._queries, self.current_list()
        if queries is None or summary is None:
            return
        self.reload_lists(items=False)  # first: the figures are on screen when the items are
        seq, where, list_id = self._items_seq, self.current_filter(), summary.id

        def show(found: list[ItemView]) -> None:
            if seq != self._items_seq:
                return  # the items were read again meanwhile
            self.items.replace(set(item_ids), found)
            self.items_shown.emit(self.items.rowCount())

        self._run(lambda: queries.items_by_id(list_id, item_ids, where), show, self._failed)

    def _failed(self, error: BaseException) -> None:
        self._show_message(error_message(error))

    def _show_message(self, text: str) -> None:
        self.message.setStyleSheet("background: #fde2e1; color: #5c0b0b; padding: 6px; border-radius: 4px;")
        self.message.setText(text)
        self.message.show()

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
        dialog = AssigneeDialog(self._assignees, current, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = dialog.value()
        dialog.deleteLater()
        if accepted:
            self.apply(ItemChange(assignee=chosen))

    def edit_plan(self) -> None:
        """Write the chosen list's implementation plan (what, how, who, by when, target, review)."""
        queries, summary = self._queries, self.current_list()
        if queries is None or summary is None:
            return
        dialog = PlanDialog(summary.plan, date.today(), self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        plan = dialog.value()
        dialog.deleteLater()
        if not accepted:
            return
        list_id = summary.id

        def saved(_none: None) -> None:
            self.message.hide()
            self.reload_lists(select=list_id)
            self.plan_saved.emit(list_id)

        self._run(lambda: queries.set_plan(list_id, plan), saved, self._failed)

    def ask_due(self) -> None:
        if not self.selected_items():
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Forfaldsdato"))
        edit = QDateEdit(QDate.currentDate().addDays(14))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd-MM-yyyy")
        clear = QCheckBox(self.tr("Ingen forfaldsdato"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form = QFormLayout(dialog)
        form.addRow(self.tr("&Forfald"), edit)
        form.addRow(clear)
        form.addRow(buttons)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = edit.date()
        clear_due = clear.isChecked()
        dialog.deleteLater()
        if accepted:
            if clear_due:
                self.apply(ItemChange(clear_due=True))
            else:
                self.apply(ItemChange(due=date(chosen.year(), chosen.month(), chosen.day())))

    def ask_priority(self) -> None:
        if not self.selected_items():
            return
        names = [name_of(PRIORITY_NAMES, number) for number in PRIORITY_NAMES]
        text, ok = QInputDialog.getItem(self, self.tr("Prioritet"), self.tr("Prioritet:"), names, 1, False)
        if ok and text in names:
            self.apply(ItemChange(priority=list(PRIORITY_NAMES)[names.index(text)]))

    def ask_note(self) -> None:
        if not self.selected_items():
            return
        text, ok = QInputDialog.getMultiLineText(
            self, self.tr("Notat"), self.tr("Notat til de valgte punkter:")
        )
        if ok and text.strip():
            self.apply(ItemChange(note=text.strip()))

    # -- data out -------------------------------------------------------------------------------------

    def _choose_csv_file(self) -> None:
        summary = self.current_list()
        if summary is None or not self.may_export:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Gem opkaldsliste"),
            str(Path.home() / f"opfoelgning-{summary.id}.csv"),
            self.tr("CSV-filer (*.csv)"),
        )
        if name:
            self.export_csv(Path(name))

    def _choose_pdf_file(self) -> None:
        summary = self.current_list()
        if summary is None or not self.may_export:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Gem opkaldsliste som PDF"),
            str(Path.home() / f"opfoelgning-{summary.id}.pdf"),
            self.tr("PDF-filer (*.pdf)"),
        )
        if name:
            self.export_pdf(Path(name))

    def export_csv(self, path: Path) -> None:
        """The chosen list's items, as filtered, as CSV (the service records the export first)."""
        queries, summary = self._queries, self.current_list()
        if queries is None or summary is None:
            return
        list_id, where = summary.id, self.current_filter()
        self._run(lambda: queries.export_csv(list_id, path, where), self._exported, self._failed)

    def export_pdf(self, path: Path) -> None:
        """The chosen list's items, as filtered and sorted (all of them, not only the rows fetched so far),
        as a printable call list: read and recorded in the data-out ledger, then written."""
        queries, data_out, summary = self._queries, self._data_out, self.current_list()
        if queries is None or data_out is None or summary is None or not self.may_export:
            return
        list_id, where, sort = summary.id, self.current_filter(), self.items.sort_order
        what = f"worklist:{summary.id}"

        def read_and_record() -> list[ItemView]:
            items = queries.items_for_print(list_id, where, sort)
            data_out("pdf", path.name, len(items), what)
            return items

        self._run(read_and_record, lambda items: self._write_pdf(path, summary, items), self._failed)

    def _write_pdf(self, path: Path, summary: ListSummary, items: list[ItemView]) -> None:
        """Render the PDF in memory (Qt's painting belongs to this thread), then write it on the worker like
        every data-out file: private from its first byte, whole or not at all."""
        document = QTextDocument()
        document.setHtml(call_list_html(summary, items))
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buffer)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageOrientation(QPageLayout.Orientation.Landscape)
        writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
        writer.setTitle(summary.name)
        document.print_(writer)
        del writer  # finishes the document
        data = bytes(buffer.data().data())
        self._run(lambda: write_private(path, data), lambda _none: self._exported(len(items)), self._failed)

    def _exported(self, count: int) -> None:
        self.message.hide()
        self.exported.emit(count)


def call_list_html(summary: ListSummary, items: Sequence[ItemView]) -> str:
    """Only what a call list needs: name, CPR number, indicator, status, due date, assignee, and room
    for a note."""
    headers = [
        QCoreApplication.translate("Worklist", "Navn"),
        QCoreApplication.translate("Worklist", "CPR-nr."),
        QCoreApplication.translate("Worklist", "Indikator"),
        QCoreApplication.translate("Worklist", "Status"),
        QCoreApplication.translate("Worklist", "Forfald"),
        QCoreApplication.translate("Worklist", "Tildelt"),
        QCoreApplication.translate("Worklist", "Notat"),
    ]
    head = "".join(f"<th align='left'>{escape(h)}</th>" for h in headers)
    rows = []
    for item in items:
        cpr = item.cpr or ""
        cells = [
            item.name or "",
            f"{cpr[:6]}-{cpr[6:]}" if len(cpr) == 10 else cpr,
            item.indicator_id,
            status_name(item.status),
            day_text(item.due),
            assignee_text(item.assignee),
            "",
        ]
        rows.append("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in cells) + "</tr>")
    title = escape(summary.name)
    count = QCoreApplication.translate("Worklist", "{count} patienter").format(count=len(items))
    return (
        f"<h2>{title}</h2><p>{escape(count)} · {escape(day_text(date.today()))}</p>"
        "<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
        f"<tr>{head}</tr>{''.join(rows)}</table>"
    )
