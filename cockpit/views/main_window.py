"""The main window: a thin shell around its panes. Find a patient on the left (``SearchPane``), their
overview on the right (``PatientController`` fills the ``OverviewPanel``); the risk lists
(``RiskActions``), the administration and the follow-up lists on their own pages; who is signed in and
the lock (``Session``); the sync's state in the status bar (``SyncStatus``).

The shell builds the window, opens the store in the background (the window appears at once), shows what
the signed-in role allows, and passes each pane's news on: a sync's changes, the risk lists that the
open patient's attention panel adds. Every query runs on the store worker; a result that arrives after
a newer request is dropped (``views/tasks.py``), so what is shown always belongs together.
"""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cockpit.privacy.identity import Actor, Permission
from cockpit.services.patients import PatientSummary
from cockpit.services.sync import SyncOutcome
from cockpit.views.access.idle import DEFAULT_IDLE_MINUTES
from cockpit.views.access.lock_page import LockPage
from cockpit.views.access.session import Session
from cockpit.views.admin.panel import AdminPanel
from cockpit.views.banners import demo_banner, users_banner
from cockpit.views.charts.formatting import format_count
from cockpit.views.elide import elide_long_texts
from cockpit.views.help.about import AboutDialog
from cockpit.views.help.menu import build_help_menu, show_about, show_help
from cockpit.views.help.page import HelpDialog
from cockpit.views.messages import error_message
from cockpit.views.overview.panel import OverviewPanel
from cockpit.views.patient_controller import PatientController
from cockpit.views.queries import PracticeQueries, Report
from cockpit.views.risk.actions import RiskActions
from cockpit.views.risk.panel import RiskPanel
from cockpit.views.roles import role_name
from cockpit.views.search_pane import SearchPane
from cockpit.views.sync_status import SyncStatus
from cockpit.views.tasks import TaskRunner
from cockpit.views.updates import UpdateChecker
from cockpit.views.window_keys import bind_window_keys
from cockpit.views.worklists.page import WorklistPage
from cockpit.worklists.model import ListSummary

__all__ = ["MainWindow", "PracticeQueries", "Report"]


class MainWindow(QMainWindow):
    """Signals: ``ready(int)`` with the patient count once the store is open; ``failed(error)`` when it
    cannot be opened (the app decides how to tell the user, and exits); ``overview_shown(int)`` when a
    patient's overview is on screen; ``trend_shown(str)`` when a lab's trend is."""

    ready = Signal(int)
    failed = Signal(object)
    patients_shown = Signal(int)
    overview_shown = Signal(int)
    trend_shown = Signal(str)
    risk_lists_shown = Signal(int)
    locked_changed = Signal(bool)
    sign_in_required = Signal()
    exported = Signal(int)
    worklist_created = Signal(int)
    followups_shown = Signal(int)
    _progress = Signal(str, float)

    def __init__(
        self,
        open_queries: Callable[[Report], PracticeQueries],
        title: str = "Patient Cockpit",
        demo: bool = False,
        idle_minutes: float = DEFAULT_IDLE_MINUTES,
    ) -> None:
        super().__init__()
        self.setWindowTitle(
            self.tr("{title} — DEMOPRAKSIS (fiktive patienter)").format(title=title) if demo else title
        )
        self.resize(1366, 768)
        self._open_queries = open_queries
        self._queries: PracticeQueries | None = None
        self._tasks = TaskRunner(self)
        self._listed = False  # the patient list has been filled since sign-in
        self._build_widgets(demo)
        self.session = Session(self.lock_page, self._tasks.run, max(1, round(idle_minutes * 60_000)), self)
        self._idle = self.session.idle
        self.patients = PatientController(self.panel, self._tasks.run, self.session, self)
        self.risk_actions = RiskActions(self.risk, self._tasks.run, self.session, self)
        self._build_menu()
        self._connect_signals()
        self.statusBar().showMessage(self.tr("Åbner den krypterede database …"))

    @property
    def current_patient(self) -> PatientSummary | None:
        return self.patients.current

    @property
    def actor(self) -> Actor | None:
        """Who is signed in (or the OS user in single-user mode); None before the store is open."""
        return self.session.actor

    @property
    def locked(self) -> bool:
        """True while patient data is hidden behind the sign-in page."""
        return self.session.locked

    # -- building -------------------------------------------------------------------------------------

    def _build_widgets(self, demo: bool) -> None:
        self.search_pane = SearchPane(self._tasks.run)
        pane = self.search_pane
        self.search, self.model, self.proxy, self.table, self.recent = (
            pane.search,
            pane.model,
            pane.proxy,
            pane.table,
            pane.recent,
        )
        self.panel = OverviewPanel()
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.demo_banner = demo_banner()
        self.demo_banner.setVisible(demo)
        self.users_banner, self.create_admin_button = users_banner()
        self._build_status_bar()
        self.risk = RiskPanel()
        splitter = QSplitter()
        splitter.addWidget(pane)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([290, 1070])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 0)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.users_banner)
        layout.addWidget(self.notice)
        self._build_pages(splitter)
        self.no_access = QLabel()
        self.no_access.setWordWrap(True)
        self.no_access.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lock_page = LockPage()
        # The lock page replaces the whole working area, so nothing of a patient shows while locked; the
        # working widgets behind it keep their state.
        self.stack = QStackedWidget()
        self.stack.addWidget(self.pages)
        self.stack.addWidget(self.lock_page)
        self.stack.addWidget(self.no_access)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(240)
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.sync_status = SyncStatus()
        self.sync_status.hide()  # until someone who may sync is signed in
        self.statusBar().addPermanentWidget(self.sync_status)
        self.server_label = QLabel()
        self.server_label.hide()  # shown when the store is the practice server's
        self.statusBar().addPermanentWidget(self.server_label)
        self.user_label = QLabel()
        self.statusBar().addPermanentWidget(self.user_label)

    def _build_pages(self, patients: QWidget) -> None:
        self.pages = QTabWidget()
        self.pages.addTab(patients, self.tr("Patient  (Ctrl+1)"))
        self.pages.addTab(self.risk, self.tr("Risikolister  (Ctrl+2)"))
        self.admin = AdminPanel(self._tasks.run)
        self.pages.addTab(self.admin, self.tr("Administration  (Ctrl+3)"))
        self.pages.setTabVisible(2, False)
        self.worklists = WorklistPage(self._tasks.run)
        self.pages.addTab(self.worklists, self.tr("Opfølgning  (Ctrl+4)"))
        self.pages.setTabVisible(3, False)

    def _build_menu(self) -> None:
        self.update_checker = UpdateChecker(self)
        self.lock_action, self.update_action = build_help_menu(self)
        self.lock_action.triggered.connect(self.lock)
        self.update_action.triggered.connect(self.update_checker.check)
        self.update_action.setVisible(self.update_checker.available)  # only an install that updates itself

    def show_help(self) -> HelpDialog:
        """The help page (F1), with the window's shortcuts as they are now."""
        return show_help(self)

    def show_about(self) -> AboutDialog:
        return show_about(self)

    def _connect_signals(self) -> None:
        self._progress.connect(self._show_progress)
        status = self.statusBar()
        sources: tuple[SearchPane | PatientController | Session | RiskActions, ...] = (
            self.search_pane,
            self.patients,
            self.session,
            self.risk_actions,
        )
        for source in sources:
            source.message.connect(status.showMessage)
            source.failed.connect(self._query_failed)
        self.search_pane.patient_chosen.connect(self.patients.show)
        self.search_pane.patients_shown.connect(self.patients_shown)
        self.patients.remembered.connect(self.search_pane.remember)
        self.patients.overview_shown.connect(self.overview_shown)
        self.patients.trend_shown.connect(self.trend_shown)
        self.patients.followups_shown.connect(self.followups_shown)
        self.session.signed_in.connect(self._signed_in)
        self.session.locked_changed.connect(self._locked_changed)
        self.create_admin_button.clicked.connect(self.session.create_first_admin)
        self.risk.patient_requested.connect(self._open_patient_id)
        self.risk_actions.lists_shown.connect(self._risk_lists_loaded)
        self.risk_actions.exported.connect(self.exported)
        self.risk_actions.worklist_created.connect(self._worklist_created)
        self.worklists.patient_requested.connect(self._open_patient_id)
        self.sync_status.synced.connect(self._data_changed)
        self.sync_status.changed_elsewhere.connect(self._changed_elsewhere)
        self.sync_status.failed.connect(lambda message: self.show_notice(message, error=True))
        bind_window_keys(self)
        elide_long_texts(self)

    # -- opening --------------------------------------------------------------------------------------

    def start(self) -> None:
        self._tasks.run(self._open_and_count, self._opened, self._open_failed)

    def _open_and_count(self) -> tuple[PracticeQueries, int, bool]:
        queries = self._open_queries(self._progress.emit)  # emitted on the worker, delivered queued
        return queries, queries.count(), queries.access.has_users()

    def _show_progress(self, text: str, fraction: float) -> None:
        self.statusBar().showMessage(text)
        self.progress.setValue(round(fraction * 1000))
        self.progress.setVisible(fraction < 1.0)

    def _opened(self, result: tuple[PracticeQueries, int, bool]) -> None:
        self.progress.hide()
        queries, count, has_users = result
        self._queries = queries
        self.search_pane.attach(queries, count)
        self.patients.attach(queries)
        self.risk_actions.attach(queries)
        server = queries.database_server()
        if server is not None:
            self.server_label.setText(self.tr("Praksisserver: {host}").format(host=server))
            self.server_label.setToolTip(
                self.tr("Data og opfølgningslister deles med praksissens andre arbejdspladser.")
            )
        self.server_label.setVisible(server is not None)
        if count == 1:
            self.statusBar().showMessage(self.tr("1 patient"))
        else:
            self.statusBar().showMessage(self.tr("{count} patienter").format(count=format_count(count)))
        self.ready.emit(count)
        self.session.attach(queries.access, has_users=has_users)
        if has_users:
            self.stack.setCurrentWidget(self.lock_page)
            self.sign_in_required.emit()

    def _open_failed(self, error: BaseException) -> None:
        self.statusBar().showMessage(self.tr("Databasen kunne ikke åbnes"))
        self.show_notice(error_message(error), error=True)
        self.failed.emit(error)

    def show_notice(self, text: str, error: bool = False) -> None:
        colour = "#fde2e1; color: #5c0b0b" if error else "#fff4ce; color: #4a3b00"
        self.notice.setStyleSheet(f"background: {colour}; padding: 8px; border-radius: 4px;")
        self.notice.setText(text)
        self.notice.show()

    def _query_failed(self, error: BaseException) -> None:
        self.show_notice(error_message(error), error=True)

    # -- who is signed in -----------------------------------------------------------------------------

    def _signed_in(self, actor: Actor, other_person: bool) -> None:
        """Show what ``actor``'s role allows. A different person than before gets a clean window: the
        last user's patient is not theirs to see."""
        if other_person:
            self.patients.forget()
            self.search_pane.forget()
            self.statusBar().clearMessage()
        self.users_banner.setVisible(actor.single_user)
        if actor.single_user:
            self.user_label.setText(self.tr("Enkeltbruger: {user}").format(user=actor.user))
        else:
            self.user_label.setText(
                self.tr("{user} ({role})").format(user=actor.user, role=role_name(actor.role))
            )
        self._apply_permissions(actor)
        self.sync_status.setVisible(actor.may(Permission.SYNC))
        if self._queries is not None:  # every role's window follows syncs; only some may start one
            self.sync_status.attach(self._queries, may_sync=actor.may(Permission.SYNC))
        if not actor.may(Permission.VIEW_CONTACT):
            return
        self.search.setEnabled(True)
        self.search.setFocus()
        if not self._listed:
            self._listed = True
            self.search_pane.run_search()
            if actor.may(Permission.VIEW_RISK_LISTS):
                self.risk_actions.load_lists()
        self.patients.open_pending()

    def _apply_permissions(self, actor: Actor) -> None:
        clinical = actor.may(Permission.VIEW_CLINICAL)
        self.panel.setEnabled(clinical)
        self.panel.setVisible(clinical)
        self.pages.setTabEnabled(0, actor.may(Permission.VIEW_CONTACT))
        self.pages.setTabEnabled(1, actor.may(Permission.VIEW_RISK_LISTS))
        users = actor.may(Permission.MANAGE_USERS) and not actor.single_user
        audit = actor.may(Permission.READ_AUDIT)
        manages = users or audit
        self.pages.setTabVisible(2, manages)
        if manages and self._queries is not None:
            self.admin.attach(self._queries.access if users else None, self._queries.audit if audit else None)
        works = actor.may(Permission.WORK_LISTS)
        self.pages.setTabVisible(3, works)
        self.risk.worklist_button.setVisible(works)
        queries = self._queries
        if works and queries is not None:
            self.worklists.attach(
                queries.worklists,
                lambda kind, destination, count, what: queries.audit.record_data_out(
                    kind, destination, count, what
                ),
                may_export=actor.may(Permission.EXPORT),
            )
        elif not works:
            self.worklists.detach()
        if actor.may(Permission.VIEW_CONTACT):
            self.stack.setCurrentWidget(self.pages)
            if (self.pages.currentIndex() == 2 and not manages) or (
                self.pages.currentIndex() == 3 and not works
            ):
                self.pages.setCurrentIndex(0)
            return
        if manages:
            self.stack.setCurrentWidget(self.pages)
            self.pages.setCurrentWidget(self.admin)
            return
        self.no_access.setText(
            self.tr(
                "Du er logget ind som {role}. Den rolle giver ikke adgang til patientdata; den "
                "administrerer brugere, indstillinger og adgangsloggen."
            ).format(role=role_name(actor.role))
        )
        self.stack.setCurrentWidget(self.no_access)

    def lock(self) -> None:
        """Hide all patient data until someone signs in again (Ctrl+L, or after the idle time)."""
        self.session.lock()

    def _locked_changed(self, locked: bool) -> None:
        if locked:
            self.panel.header.set_revealed(False)
            self.statusBar().clearMessage()
            self.stack.setCurrentWidget(self.lock_page)
        self.locked_changed.emit(locked)

    # -- patients, lists and data out -----------------------------------------------------------------

    def open_patient(self, ref: str) -> None:
        """Show the patient ``ref`` names (CPR, FHIR id or internal id): from the command line, or from
        the clinic system through a running instance."""
        self.patients.open_ref(ref)

    def _open_patient_id(self, patient_id: int) -> None:
        if self._queries is not None:
            self.pages.setCurrentIndex(0)
            self.patients.open_id(patient_id)

    def _risk_lists_loaded(self, count: int) -> None:
        self.patients.show_again()  # its attention panel now includes the indicators
        self.risk_lists_shown.emit(count)

    def create_worklist_from_risk(self) -> None:
        """A follow-up list of all hits of the chosen risk list's indicator, following the indicator;
        the new list is shown."""
        self.risk_actions.create_worklist()

    def _worklist_created(self, summary: ListSummary) -> None:
        self.worklists.reload_lists(select=summary.id)
        self.show_worklists()
        self.worklist_created.emit(summary.id)

    def export_risk_list(self, path: Path) -> None:
        """Write the shown hits of the chosen risk list to ``path``; the export goes into the data-out
        ledger (who, when, how many patients, where to) before the file is written."""
        self.risk_actions.export(path)

    # -- sync -----------------------------------------------------------------------------------------

    def sync_now(self) -> None:
        if self.session.may(Permission.SYNC):
            self.notice.hide()
            self.sync_status.sync_now()

    def _data_changed(self, outcome: SyncOutcome) -> None:
        """A sync applied changes: the list, the risk lists and (if it changed) the open patient follow."""
        queries, actor = self._queries, self.session.actor
        if queries is None or actor is None:
            return
        self._tasks.run(queries.count, self.search_pane.set_total, self._query_failed)
        if actor.may(Permission.VIEW_CONTACT):
            self.search_pane.run_search()
        if actor.may(Permission.VIEW_RISK_LISTS):
            self.risk_actions.load_lists()
        if actor.may(Permission.WORK_LISTS):
            self.worklists.reload_lists()  # the sync re-evaluated the lists
        current = self.patients.current
        if current is not None and current.id in outcome.changed_patient_ids and not self.session.locked:
            self.patients.show(current)

    def _changed_elsewhere(self) -> None:
        """Another process applied a sync; which patients it changed is not known here, so the open one
        is shown again with the rest."""
        current = self.patients.current
        self._data_changed(SyncOutcome(changed_patient_ids=frozenset({current.id} if current else set())))

    # -- pages and keys -------------------------------------------------------------------------------

    def show_patients_page(self) -> None:
        if self.pages.isTabEnabled(0):
            self.pages.setCurrentIndex(0)

    def show_risk_lists(self) -> None:
        if not self.pages.isTabEnabled(self.pages.indexOf(self.risk)):
            return
        self.pages.setCurrentWidget(self.risk)
        self.risk.list_view.setFocus()

    def show_admin(self) -> None:
        if self.pages.isTabVisible(2) and not self.session.locked:
            self.pages.setCurrentWidget(self.admin)
            self.admin.users.table.setFocus()

    def show_worklists(self) -> None:
        if self.pages.isTabVisible(3) and not self.session.locked:
            self.pages.setCurrentWidget(self.worklists)
            self.worklists.item_view.setFocus()

    def show_tab(self, widget: QWidget) -> None:
        self.panel.tabs.setCurrentWidget(widget)
        widget.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.session.shutdown()
        self.sync_status.shutdown()
        self.update_checker.shutdown()
        queries = self._queries
        self._queries = None
        for pane in (self.search_pane, self.patients, self.risk_actions):
            pane.detach()
        if queries is not None:
            queries.interrupt()  # a long read (the risk lists) must not hold up closing
            self._tasks.run(queries.close, lambda _r: None, lambda _e: None)
        self._tasks.shutdown()
        super().closeEvent(event)
