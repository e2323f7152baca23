"""What the window does with the risk lists: read them (after the patient list is up), read a list's
data-quality warnings, save a list's hits as CSV (recorded in the data-out ledger first), and make a
follow-up list of an indicator's hits. Texts keep the translation context "MainWindow" they were written in.
"""

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from cockpit.privacy.identity import Permission
from cockpit.services.risk import RiskSnapshot
from cockpit.views.access.session import Session
from cockpit.views.charts.formatting import format_count
from cockpit.views.queries import PracticeQueries
from cockpit.views.risk.panel import RiskPanel
from cockpit.views.roles import role_name
from cockpit.views.tasks import Run
from cockpit.worklists.model import ListSummary


class RiskActions(QObject):
    """Signals: ``lists_shown(int)`` when the risk lists are on screen; ``exported(int)`` with the number
    of patients saved; ``worklist_created(ListSummary)``; ``message(str)`` for the status bar;
    ``failed(object)`` with an error to tell."""

    lists_shown = Signal(int)
    exported = Signal(int)
    worklist_created = Signal(object)
    message = Signal(str)
    failed = Signal(object)

    def __init__(self, panel: RiskPanel, run: Run, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._panel = panel  # siblings in the window, not the parent
        self._session = session
        self._run = run
        self._queries: PracticeQueries | None = None
        panel.export_requested.connect(self._choose_export_file)
        panel.quality_requested.connect(self._load_data_quality)
        panel.worklist_requested.connect(self.create_worklist)

    def attach(self, queries: PracticeQueries) -> None:
        self._queries = queries

    def detach(self) -> None:
        self._queries = None

    def load_lists(self) -> None:
        """The cluster's indicators over the whole practice, after the list is up (seconds at 50,000
        patients): the risk lists show them, and the attention panel adds them for each patient."""
        queries = self._queries
        if queries is not None:
            self._run(queries.risk_lists, self._lists_loaded, self.failed.emit)

    def _lists_loaded(self, snapshot: RiskSnapshot) -> None:
        self._panel.show_snapshot(snapshot)
        self.lists_shown.emit(len(snapshot.lists))

    def _load_data_quality(self, indicator_id: str, as_of: date) -> None:
        """The chosen list's data-quality warnings, after the list is shown (a few queries)."""
        queries = self._queries
        if queries is None or self._session.locked:
            return
        self._run(
            lambda: queries.data_quality(indicator_id, as_of), self._panel.show_quality, self.failed.emit
        )

    def create_worklist(self) -> None:
        """A follow-up list of all hits of the chosen risk list's indicator, following the indicator."""
        queries, risk = self._queries, self._panel.current_list()
        if queries is None or risk is None or self._session.locked:
            return
        indicator_id = risk.indicator.id

        def created(summary: ListSummary) -> None:
            self.message.emit(
                QCoreApplication.translate(
                    "MainWindow", "Opfølgningslisten {name} er oprettet med {count} patienter"
                ).format(name=summary.name, count=format_count(summary.figures.total))
            )
            self.worklist_created.emit(summary)

        self._run(lambda: queries.worklists.create([indicator_id], follows=True), created, self.failed.emit)

    def _choose_export_file(self) -> None:
        risk, actor = self._panel.current_list(), self._session.actor
        if risk is None or actor is None or self._session.locked:
            return
        if not actor.may(Permission.EXPORT):
            self.message.emit(
                QCoreApplication.translate(
                    "MainWindow", "Din rolle ({role}) må ikke eksportere patientlister."
                ).format(role=role_name(actor.role))
            )
            return
        suggested = Path.home() / f"{risk.indicator.id}-{risk.result.as_of.isoformat()}.csv"
        parent = self.parent()
        name, _filter = QFileDialog.getSaveFileName(
            parent if isinstance(parent, QWidget) else None,
            QCoreApplication.translate("MainWindow", "Gem opkaldsliste"),
            str(suggested),
            QCoreApplication.translate("MainWindow", "CSV-filer (*.csv)"),
        )
        if name:
            self.export(Path(name))

    def export(self, path: Path) -> None:
        """Write the shown hits of the chosen risk list to ``path``; the export goes into the data-out
        ledger (who, when, how many patients, where to) before the file is written."""
        queries, risk = self._queries, self._panel.current_list()
        if queries is None or risk is None:
            return
        hits = self._panel.shown_hits()
        indicator_id = risk.indicator.id

        def done(count: int) -> None:
            self.message.emit(
                QCoreApplication.translate(
                    "MainWindow", "{count} patienter gemt i {file} (eksporten er logget)"
                ).format(count=format_count(count), file=path.name)
            )
            self.exported.emit(count)

        self._run(lambda: queries.export_hits_csv(indicator_id, hits, path), done, self.failed.emit)
