"""The first window: find a patient, see their record.

The store is opened in the background (the window appears at once); every query runs on the store
worker; results that arrive after a newer search was typed are dropped.
"""

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cockpit.errors import CockpitError
from cockpit.services.patients import PatientRecord, PatientSummary
from cockpit.views.patient_table import SORT_ROLE, PatientTableModel
from cockpit.views.record_html import render_record
from cockpit.views.tasks import TaskRunner

SEARCH_DELAY_MS = 120
LIST_LIMIT = 1000


class PatientQueries(Protocol):
    def count(self) -> int: ...
    def search(self, text: str = "", limit: int | None = ...) -> list[PatientSummary]: ...
    def record(self, patient_id: int) -> PatientRecord: ...
    def close(self) -> None: ...


class MainWindow(QMainWindow):
    """Signals: ``ready(int)`` with the patient count once the store is open; ``failed(error)`` when it
    cannot be opened (the app decides how to tell the user and exits)."""

    ready = Signal(int)
    failed = Signal(object)
    patients_shown = Signal(int)
    record_shown = Signal(int)

    def __init__(self, open_queries: Callable[[], PatientQueries], title: str = "Patient Cockpit") -> None:
        super().__init__()
        self.setWindowTitle(title)
        self.resize(1280, 800)
        self._open_queries = open_queries
        self._queries: PatientQueries | None = None
        self._tasks = TaskRunner(self)
        self._search_seq = 0
        self._record_seq = 0
        self._build_widgets()
        self._connect_signals()
        self.statusBar().showMessage("Åbner den krypterede database …")

    def _build_widgets(self) -> None:
        self.search = QLineEdit(placeholderText="Søg på navn, CPR-nr. eller fødselsdato  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setEnabled(False)
        self.model = PatientTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.record = QTextBrowser()
        self.record.setOpenLinks(False)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.table)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.record)
        splitter.setSizes([520, 760])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.notice)
        layout.addWidget(splitter)
        self.setCentralWidget(central)

    def _connect_signals(self) -> None:
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._run_search)
        self.search.textEdited.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self._focus_table)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        for keys in (QKeySequence(QKeySequence.StandardKey.Find), QKeySequence("Ctrl+K")):
            QShortcut(keys, self, self._focus_search)
        escape = QShortcut(QKeySequence("Escape"), self.search, self._clear_search)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)

    # -- opening --------------------------------------------------------------------------------------

    def start(self) -> None:
        self._tasks.run(self._open_and_count, self._opened, self._open_failed)

    def _open_and_count(self) -> tuple[PatientQueries, int]:
        queries = self._open_queries()
        return queries, queries.count()

    def _opened(self, result: tuple[PatientQueries, int]) -> None:
        self._queries, count = result
        self.search.setEnabled(True)
        self.search.setFocus()
        self.statusBar().showMessage(f"{count:,} patienter".replace(",", "."))
        self._run_search()
        self.ready.emit(count)

    def _open_failed(self, error: BaseException) -> None:
        message = str(error) if isinstance(error, CockpitError) else f"Uventet fejl ({type(error).__name__})"
        self.statusBar().showMessage("Databasen kunne ikke åbnes")
        self.show_notice(message, error=True)
        self.failed.emit(error)

    def show_notice(self, text: str, error: bool = False) -> None:
        colour = "#fde2e1" if error else "#fff4ce"
        self.notice.setStyleSheet(f"background: {colour}; padding: 8px; border-radius: 4px;")
        self.notice.setText(text)
        self.notice.show()

    # -- search ---------------------------------------------------------------------------------------

    def _run_search(self) -> None:
        queries = self._queries
        if queries is None:
            return
        self._search_seq += 1
        seq, text = self._search_seq, self.search.text()
        self._tasks.run(
            lambda: queries.search(text, limit=LIST_LIMIT),
            lambda rows: self._show_patients(seq, rows),
            self._query_failed,
        )

    def _show_patients(self, seq: int, rows: list[PatientSummary]) -> None:
        if seq != self._search_seq:
            return  # a newer search is on its way
        self.model.set_patients(rows)
        shown = f"{len(rows):,}".replace(",", ".")
        more = f" (de første {LIST_LIMIT:,})".replace(",", ".") if len(rows) == LIST_LIMIT else ""
        self.statusBar().showMessage(f"{shown} patienter fundet{more}")
        if len(rows) == 1:
            self.table.selectRow(0)
        self.patients_shown.emit(len(rows))

    def _query_failed(self, error: BaseException) -> None:
        message = str(error) if isinstance(error, CockpitError) else f"Uventet fejl ({type(error).__name__})"
        self.show_notice(message, error=True)

    # -- the record -----------------------------------------------------------------------------------

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        queries = self._queries
        indexes = selected.indexes()
        if queries is None or not indexes:
            return
        patient = self.model.patient_at(self.proxy.mapToSource(indexes[0]).row())
        self._record_seq += 1
        seq = self._record_seq
        self._tasks.run(
            lambda: queries.record(patient.id),
            lambda record: self._show_record(seq, patient.id, record),
            self._query_failed,
        )

    def _show_record(self, seq: int, patient_id: int, record: PatientRecord) -> None:
        if seq != self._record_seq:
            return
        self.record.setHtml(render_record(record))
        self.record_shown.emit(patient_id)

    # -- keyboard -------------------------------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _clear_search(self) -> None:
        self.search.clear()
        self._run_search()

    def _focus_table(self) -> None:
        self.table.setFocus()
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def closeEvent(self, event: QCloseEvent) -> None:
        queries = self._queries
        if queries is not None:
            self._tasks.run(queries.close, lambda _r: None, lambda _e: None)
        self._tasks.shutdown()
        super().closeEvent(event)
