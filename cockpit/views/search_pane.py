"""The left of the patient page: the search field, the patients that match, and the recent ones.

Nothing opens by itself while the user types: every opened record is a look-up in someone's journal. A
patient is chosen by selecting a row, by Enter in the field (the first match of what was typed), or from
the recent list. The texts keep the translation context of the window they were written for
("MainWindow"), so the catalogue did not change when the pane moved out of it.
"""

from collections import deque
from typing import Final, Protocol

from PySide6.QtCore import QCoreApplication, QItemSelection, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cockpit.models.cpr import mask_cpr
from cockpit.services.patients import PatientSummary
from cockpit.views.charts.formatting import format_count
from cockpit.views.patient_table import PatientTableModel
from cockpit.views.rows_model import SORT_ROLE
from cockpit.views.tasks import Latest, Run

SEARCH_DELAY_MS: Final = 120
LIST_LIMIT: Final = 1000
RECENT_MAX: Final = 10


class SearchQueries(Protocol):
    def search(self, text: str = "", limit: int | None = ...) -> list[PatientSummary]: ...


class SearchPane(QWidget):
    """Signals: ``patient_chosen(PatientSummary)``; ``patients_shown(int)`` when a search's patients are
    listed; ``message(str)`` for the status bar; ``failed(object)`` with an error to tell."""

    patient_chosen = Signal(object)
    patients_shown = Signal(int)
    message = Signal(str)
    failed = Signal(object)

    def __init__(self, run: Run, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._queries: SearchQueries | None = None
        self._searches = Latest(run)
        self._total = 0
        self._open_first_of: int | None = None
        self._recent: deque[PatientSummary] = deque(maxlen=RECENT_MAX)
        self.search = QLineEdit(
            placeholderText=QCoreApplication.translate(
                "MainWindow", "Søg: navn, CPR-nr. eller fødselsdato  (Ctrl+F)"
            )
        )
        self.search.setClearButtonEnabled(True)
        self.search.setEnabled(False)
        self.model = PatientTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = self._build_table()
        self.recent = QListWidget()
        self.recent.setMaximumHeight(150)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        recent_label = QLabel(QCoreApplication.translate("MainWindow", "S&eneste patienter"))
        recent_label.setBuddy(self.recent)
        layout.addWidget(recent_label)
        layout.addWidget(self.recent)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.run_search)
        self.search.textEdited.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self._search_entered)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.recent.itemActivated.connect(self._recent_activated)
        escape = QShortcut(QKeySequence("Escape"), self.search, self.clear_search)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.setWhatsThis(QCoreApplication.translate("Shortcuts", "Ryd søgefeltet"))

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.setWordWrap(False)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order: by family name
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3, 4):
            table.hideColumn(
                column
            )  # born, sex, GP: in the CPR and the overview header; the list stays narrow
        return table

    def attach(self, queries: SearchQueries, total: int) -> None:
        self._queries = queries
        self._total = total

    def detach(self) -> None:
        self._queries = None

    def set_total(self, count: int) -> None:
        """How many patients the practice has (the status text when the list is cut off)."""
        self._total = count

    # -- searching ------------------------------------------------------------------------------------

    def run_search(self) -> None:
        queries = self._queries
        if queries is None:
            return
        text = self.search.text()
        self._searches.run(
            lambda: queries.search(text, limit=LIST_LIMIT), self._show_patients, self.failed.emit
        )

    def _show_patients(self, rows: list[PatientSummary]) -> None:
        self.model.set_patients(rows)
        shown = format_count(len(rows))
        if len(rows) == LIST_LIMIT:
            message = QCoreApplication.translate(
                "MainWindow", "Viser de første {limit} af {total} patienter; søg for at finde andre"
            ).format(limit=format_count(LIST_LIMIT), total=format_count(self._total))
        elif len(rows) == 1:
            message = QCoreApplication.translate("MainWindow", "1 patient fundet")
        else:
            message = QCoreApplication.translate("MainWindow", "{count} patienter fundet").format(count=shown)
        self.message.emit(message)
        if self._open_first_of == self._searches.ticket:
            # Enter was pressed for this search. Nothing opens by itself while the user types: every
            # opened record is a look-up in someone's journal.
            self._open_first_of = None
            self.focus_table()
        self.patients_shown.emit(len(rows))

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def clear_search(self) -> None:
        self.search.clear()
        self.run_search()

    def _search_entered(self) -> None:
        """Enter in the search field opens the first match of what was typed, even if the search for
        the last keystrokes is still on its way."""
        if self._debounce.isActive() or self._searches.in_flight:
            self._debounce.stop()
            self.run_search()
            self._open_first_of = self._searches.ticket
        else:
            self.focus_table()

    def focus_table(self) -> None:
        self.table.setFocus()
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    # -- choosing -------------------------------------------------------------------------------------

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self.patient_chosen.emit(self.model.patient_at(self.proxy.mapToSource(indexes[0]).row()))

    def _recent_activated(self, item: QListWidgetItem) -> None:
        patient = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(patient, PatientSummary):
            self.patient_chosen.emit(patient)

    def remember(self, patient: PatientSummary) -> None:
        """``patient``'s overview is on screen: first in the recent list."""
        for known in list(self._recent):
            if known.id == patient.id:
                self._recent.remove(known)
        self._recent.appendleft(patient)
        self.recent.clear()
        for entry in self._recent:
            cpr = mask_cpr(entry.cpr)
            item = QListWidgetItem(f"{entry.name}  ·  {cpr}" if cpr else entry.name)
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.recent.addItem(item)

    def forget(self) -> None:
        """Someone else signed in: the last user's patients are not theirs to see."""
        self._recent.clear()
        self.recent.clear()
