"""The staff view of follow-up worklists: the practice's lists with their figures and plan, the chosen
list's items (filtered: mine, overdue, status, indicator), bulk changes on a selection, an item's history,
and the call list as CSV or PDF.

Every store access goes through the window's task runner; each kind of result carries a sequence number
and a result for an older request is dropped. A change someone else made first (a conflict) is shown with
its message and the items are read again, so the user sees the other change and nothing is lost.
"""

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import Any, Final, Protocol

from PySide6.QtCore import QBuffer, QCoreApplication, QDate, QIODevice, QMarginsF, QModelIndex, Qt, Signal
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
from cockpit.services.worklists import ItemChange, ItemEvent, ItemFilter, ItemView, ListSummary
from cockpit.views.admin.users_page import Run
from cockpit.views.i18n import QT_TRANSLATE_NOOP
from cockpit.views.messages import error_message
from cockpit.views.rows_model import Column, RowsTableModel, RowStyle
from cockpit.views.worklists.dialogs import StatusDialog
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
    def items(self, list_id: int, where: ItemFilter | None = None) -> list[ItemView]: ...
    def history(self, item_id: int) -> list[ItemEvent]: ...
    def update_many(self, versions: Mapping[int, int | None], change: ItemChange) -> list[int]: ...
    def export_csv(self, list_id: int, path: Path, where: ItemFilter | None = None) -> int: ...


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
    ``failed(str)`` with the message of a change that was refused (e.g. a conflict); ``exported(int)``."""

    patient_requested = Signal(int)
    lists_shown = Signal(int)
    items_shown = Signal(int)
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
        self.may_export = False
        self.lists: RowsTableModel[ListSummary] = RowsTableModel(LIST_COLUMNS)
        self.list_view = self._table(self.lists, stretch=0)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items: RowsTableModel[ItemView] = RowsTableModel(ITEM_COLUMNS, item_style)
        self.item_view = self._table(self.items, stretch=7)
        self.item_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
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
        actions: list[tuple[QPushButton, str, Callable[[], None]]] = [
            (self.status_button, "F2", self.ask_status),
            (self.assign_button, "Ctrl+T", self.ask_assignee),
            (self.due_button, "Ctrl+D", self.ask_due),
            (self.priority_button, "Ctrl+P", self.ask_priority),
            (self.note_button, "Ctrl+N", self.ask_note),
            (self.csv_button, "Ctrl+E", self._choose_csv_file),
            (self.pdf_button, "Ctrl+Shift+P", self._choose_pdf_file),
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
        self.lists.set_rows([])
        self.items.set_rows([])
        self.plan.clear()
        self.history.clear()
        self.message.hide()

    def reload_lists(self, select: int | None = None) -> None:
        """Read the lists and their figures again; ``select`` a list by id (else keep the chosen one)."""
        queries = self._queries
        if queries is None:
            return
        current = self.current_list()
        self._select_list = select if select is not None else (current.id if current else None)
        self._lists_seq += 1
        seq = self._lists_seq
        self._run(queries.lists, lambda lists: self._show_lists(seq, lists), self._failed)

    def _show_lists(self, seq: int, lists: list[ListSummary]) -> None:
        if seq != self._lists_seq:
            return
        wanted = self._select_list
        self.lists.set_rows(lists)
        row = next((n for n, s in enumerate(lists) if s.id == wanted), 0 if lists else None)
        if row is not None:
            self.list_view.selectRow(row)
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
        summary = self.lists.row(current.row())
        self._show_plan(summary)
        if summary.id != self._shown_list:
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
        queries, summary = self._queries, self.current_list()
        if queries is None or summary is None:
            return
        self._items_seq += 1
        seq, where, list_id = self._items_seq, self.current_filter(), summary.id
        self._run(
            lambda: queries.items(list_id, where), lambda rows: self._show_items(seq, rows), self._failed
        )

    def _show_items(self, seq: int, rows: list[ItemView]) -> None:
        if seq != self._items_seq:
            return
        selected = {item.id for item in self.selected_items()}
        self.items.set_rows(rows)
        selection = self.item_view.selectionModel()
        for row, item in enumerate(rows):
            if item.id in selected:
                selection.select(
                    self.items.index(row, 0),
                    selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                )
        self.history.clear()
        self.items_shown.emit(len(rows))

    def selected_items(self) -> list[ItemView]:
        rows = sorted({index.row() for index in self.item_view.selectionModel().selectedRows()})
        return [self.items.row(row) for row in rows]

    def select_items(self, item_ids: Collection[int]) -> None:
        """Select the shown items with these ids (tests, and keeping a selection over a reload)."""
        self.item_view.clearSelection()
        selection = self.item_view.selectionModel()
        for row, item in enumerate(self.items.rows):
            if item.id in item_ids:
                selection.select(
                    self.items.index(row, 0), selection.SelectionFlag.Select | selection.SelectionFlag.Rows
                )

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
        self._run(lambda: queries.update_many(versions, change), self._changed, self._change_failed)

    def _changed(self, versions: list[int]) -> None:
        self.message.hide()
        self.reload_lists()
        self.changed.emit(len(versions))

    def _change_failed(self, error: BaseException) -> None:
        """Someone else changed an item first (or the change was refused): say so, and show what is there
        now."""
        text = error_message(error)
        self._show_message(text)
        self.reload_lists()
        self.failed.emit(text)

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
        if not self.selected_items():
            return
        text, ok = QInputDialog.getText(
            self,
            self.tr("Tildel"),
            self.tr("Brugernavn eller rolle (f.eks. nurse); tomt fjerner tildelingen:"),
        )
        if ok:
            self.apply(ItemChange(assignee=text.strip()))

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
        """The shown items as a printable call list: recorded in the data-out ledger, then written."""
        data_out, summary = self._data_out, self.current_list()
        if data_out is None or summary is None or not self.may_export:
            return
        items = self.items.rows
        what = f"worklist:{summary.id}"
        self._run(
            lambda: data_out("pdf", path.name, len(items), what),
            lambda _entry: self._write_pdf(path, summary, items),
            self._failed,
        )

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
