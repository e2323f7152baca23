"""The open patient: their overview, open follow-up items, a lab's trend and the raw record, each read on
the store worker. A result for a patient the user has already left is dropped (``Latest``), so what is
shown always belongs to the patient named in the header. Texts keep the translation context
"MainWindow" they were written in.
"""

from PySide6.QtCore import QCoreApplication, QObject, Signal

from cockpit.privacy.identity import Permission
from cockpit.services.overview.sections import LabSeries, PatientOverview
from cockpit.services.patients import PatientRecord, PatientSummary
from cockpit.views.access.session import Session
from cockpit.views.overview.panel import OverviewPanel
from cockpit.views.queries import PracticeQueries
from cockpit.views.record_html import render_record
from cockpit.views.roles import role_name
from cockpit.views.tasks import Latest, Run
from cockpit.views.worklists.vocabulary import day_text, status_name
from cockpit.worklists.model import ItemView


class PatientController(QObject):
    """Fills the overview panel. Signals: ``overview_shown(int)`` (the patient's id), ``trend_shown(str)``,
    ``followups_shown(int)``, ``remembered(PatientSummary)`` when an overview is on screen (for the
    recent list), ``message(str)`` for the status bar, ``failed(object)`` with an error to tell."""

    overview_shown = Signal(int)
    trend_shown = Signal(str)
    followups_shown = Signal(int)
    remembered = Signal(object)
    message = Signal(str)
    failed = Signal(object)

    def __init__(
        self, panel: OverviewPanel, run: Run, session: Session, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._panel = panel  # siblings in the window, not the parent
        self._session = session
        self._run = run
        self._patient = Latest(run)
        self._queries: PracticeQueries | None = None
        self._current: PatientSummary | None = None
        self._pending: str | None = None
        panel.lab_requested.connect(self._load_trend)
        panel.tabs.currentChanged.connect(self._tab_changed)

    @property
    def current(self) -> PatientSummary | None:
        return self._current

    def attach(self, queries: PracticeQueries) -> None:
        self._queries = queries

    def detach(self) -> None:
        self._queries = None

    def open_ref(self, ref: str) -> None:
        """Show the patient ``ref`` names (CPR, FHIR id or internal id); until the store is open and
        someone signed in it waits (``open_pending``)."""
        queries = self._queries
        if queries is None or self._session.locked:
            self._pending = ref
            return
        self._pending = None
        self._run(lambda: queries.summary(queries.resolve(ref)), self.show, self.failed.emit)

    def open_pending(self) -> None:
        if self._pending is not None:
            self.open_ref(self._pending)

    def open_id(self, patient_id: int) -> None:
        queries = self._queries
        if queries is not None:
            self._run(lambda: queries.summary(patient_id), self.show, self.failed.emit)

    def show(self, patient: PatientSummary) -> None:
        """Read and show ``patient``'s overview (if the role may see clinical data)."""
        queries, actor = self._queries, self._session.actor
        if queries is None or self._session.locked:
            return
        if actor is not None and not actor.may(Permission.VIEW_CLINICAL):
            self.message.emit(
                QCoreApplication.translate(
                    "MainWindow", "Din rolle ({role}) giver ikke adgang til journaloplysninger."
                ).format(role=role_name(actor.role))
            )
            return
        self._current = patient
        self._panel.show_loading(patient.name)
        self._patient.run(
            lambda: queries.patient_overview(patient.id),
            lambda overview: self._show_overview(patient, overview),
            self.failed.emit,
        )

    def show_again(self) -> None:
        """Read the open patient again (new data, or the risk lists their attention panel adds)."""
        if self._current is not None:
            self.show(self._current)

    def forget(self) -> None:
        """No patient open; results on their way are dropped."""
        self._patient.drop()
        self._current = None
        self._panel.show_loading("")

    def _show_overview(self, patient: PatientSummary, overview: PatientOverview) -> None:
        self._panel.show_overview(overview)
        self.remembered.emit(patient)
        if self._panel.tabs.currentWidget() is self._panel.raw:
            self._load_raw()
        self.overview_shown.emit(patient.id)
        self._load_followups(patient)

    def _load_followups(self, patient: PatientSummary) -> None:
        """The patient's open follow-up items, under the attention panel."""
        queries, actor = self._queries, self._session.actor
        if queries is None or actor is None or not actor.may(Permission.WORK_LISTS):
            return

        def show(items: list[ItemView]) -> None:
            lines = [
                " ".join(
                    part
                    for part in (
                        item.indicator_id,
                        status_name(item.status),
                        QCoreApplication.translate("MainWindow", "forfald {day}").format(
                            day=day_text(item.due)
                        )
                        if item.due
                        else "",
                    )
                    if part
                )
                for item in items
            ]
            self._panel.show_followups(lines)
            self.followups_shown.emit(len(items))

        self._patient.follow(
            lambda: queries.worklists.open_items_for_patient(patient.fhir_id), show, self.failed.emit
        )

    def _load_trend(self, lab: str) -> None:
        queries, patient = self._queries, self._current
        if queries is None or patient is None:
            return
        self._patient.follow(lambda: queries.lab_series(patient.id, lab), self._show_trend, self.failed.emit)

    def _show_trend(self, series: LabSeries) -> None:
        self._panel.show_trend(series)
        self.trend_shown.emit(series.key)

    def _tab_changed(self, _index: int) -> None:
        panel = self._panel
        if panel.tabs.currentWidget() is panel.raw:
            self._load_raw()
        elif panel.tabs.currentWidget() is panel.trend:
            row = panel.labs.selected_row()
            if row is not None:
                self._load_trend(row.key)

    def _load_raw(self) -> None:
        queries, patient = self._queries, self._current
        if queries is None or patient is None:
            return

        def show(record: PatientRecord) -> None:
            self._panel.show_raw(render_record(record))

        self._patient.follow(lambda: queries.record(patient.id), show, self.failed.emit)
