"""The audit log for the data controller: who looked at a patient, what a user did, what left the practice.

Reading the log is itself logged (the service records it). The entries name patients only by their
internal and FHIR ids: an administrator sees who looked at a record, not the record.
"""

from datetime import date, datetime
from typing import Final, Protocol

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cockpit.privacy.audit import AuditRecord, ChainReport
from cockpit.views.i18n import QT_TRANSLATE_NOOP
from cockpit.views.messages import error_message
from cockpit.views.rows_model import Column, RowsTableModel, RowStyle
from cockpit.views.tasks import Run


class AuditQueries(Protocol):
    def search(
        self,
        *,
        patient: str | None = None,
        user: str | None = None,
        since: date | None = None,
        until: date | None = None,
        data_out: bool = False,
        purpose: str | None = None,
    ) -> list[AuditRecord]: ...
    def verify(self) -> ChainReport: ...


def _local(at: datetime) -> str:
    return at.astimezone().strftime("%d.%m.%Y %H:%M:%S")


def _patient(entry: AuditRecord) -> str:
    if entry.patient_fhir_id is None and entry.patient_id is None:
        return ""
    return entry.patient_fhir_id or str(entry.patient_id)


AUDIT_COLUMNS: Final[list[Column[AuditRecord]]] = [
    Column(QT_TRANSLATE_NOOP("Column", "Tidspunkt"), lambda e: _local(e.at), sort=lambda e: e.at),
    Column(QT_TRANSLATE_NOOP("Column", "Bruger"), lambda e: e.user),
    Column(QT_TRANSLATE_NOOP("Column", "Arbejdsplads"), lambda e: e.workstation),
    Column(QT_TRANSLATE_NOOP("Column", "Handling"), lambda e: e.action),
    Column(QT_TRANSLATE_NOOP("Column", "Patient"), _patient),
    Column(QT_TRANSLATE_NOOP("Column", "Liste"), lambda e: e.list_ref or ""),
    Column(
        QT_TRANSLATE_NOOP("Column", "Antal"),
        lambda e: "" if e.patient_count is None else str(e.patient_count),
        sort=lambda e: e.patient_count or 0,
        align_right=True,
    ),
    Column(QT_TRANSLATE_NOOP("Column", "Formål"), lambda e: e.purpose or ""),
    Column(QT_TRANSLATE_NOOP("Column", "Modtager"), lambda e: e.destination or ""),
]


def _style(entry: AuditRecord) -> RowStyle | None:
    return RowStyle(bold=True) if entry.destination else None  # data that left the store


class AuditPage(QWidget):
    """Signals ``shown(int)`` with the number of entries listed, ``verified(ChainReport)``."""

    shown = Signal(int)
    verified = Signal(object)

    def __init__(self, run: Run, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run = run
        self._queries: AuditQueries | None = None
        self.patient = QLineEdit(placeholderText=self.tr("Patient: CPR-nr. eller id"))
        self.user = QLineEdit(placeholderText=self.tr("Bruger"))
        self.since = QDateEdit(QDate.currentDate().addMonths(-1))
        self.until = QDateEdit(QDate.currentDate())
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        self.data_out = QCheckBox(self.tr("Kun data ud (eksport, print, kopi)"))
        self.search_button = QPushButton(self.tr("&Søg"))
        self.search_button.setDefault(True)
        self.verify_button = QPushButton(self.tr("&Kontrollér kæden"))
        self.model: RowsTableModel[AuditRecord] = RowsTableModel(AUDIT_COLUMNS, _style)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        filters = QHBoxLayout()
        filters.addWidget(self.patient, 2)
        filters.addWidget(self.user, 1)
        filters.addWidget(QLabel(self.tr("fra")))
        filters.addWidget(self.since)
        filters.addWidget(QLabel(self.tr("til")))
        filters.addWidget(self.until)
        filters.addWidget(self.data_out)
        filters.addWidget(self.search_button)
        filters.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.search_button.clicked.connect(self.search)
        self.patient.returnPressed.connect(self.search)
        self.user.returnPressed.connect(self.search)
        self.verify_button.clicked.connect(self.verify)

    def attach(self, queries: AuditQueries) -> None:
        self._queries = queries

    def search(self) -> None:
        queries = self._queries
        if queries is None:
            return
        patient = self.patient.text().strip() or None
        user = self.user.text().strip() or None
        since = self.since.date().toPython()
        until = self.until.date().toPython()
        data_out = self.data_out.isChecked()
        assert isinstance(since, date) and isinstance(until, date)
        self._run(
            lambda: queries.search(patient=patient, user=user, since=since, until=until, data_out=data_out),
            self._show,
            self._failed,
        )

    def verify(self) -> None:
        queries = self._queries
        if queries is not None:
            self._run(queries.verify, self._verified, self._failed)

    def _show(self, entries: list[AuditRecord]) -> None:
        self.model.set_rows(entries)
        self.message.setText(self.tr("{n} poster").format(n=len(entries)))
        self.shown.emit(len(entries))

    def _verified(self, report: ChainReport) -> None:
        if report.intact:
            self.message.setText(
                self.tr("Kæden er intakt: {n} poster, ingen er ændret, indsat eller slettet.").format(
                    n=report.entries
                )
            )
        else:
            self.message.setText(
                self.tr("⚠ Kæden er brudt ved post {id}: {problem}").format(
                    id=report.bad_entry, problem=report.problem
                )
            )
        self.verified.emit(report)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error_message(error))
