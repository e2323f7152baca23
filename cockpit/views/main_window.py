"""The main window: find a patient on the left, their overview on the right.

The store is opened in the background (the window appears at once); every query runs on the store
worker; a result that arrives after a newer request (another search typed, another patient chosen) is
dropped, so what is shown always belongs together.
"""

from collections import deque
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Final, Protocol

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cockpit.indicators.engine import Hit
from cockpit.indicators.quality import DataQuality
from cockpit.security.identity import Actor, Permission
from cockpit.services.overview.sections import LabSeries, PatientOverview
from cockpit.services.patients import PatientRecord, PatientSummary
from cockpit.services.risk import RiskSnapshot
from cockpit.services.sync import SyncOutcome
from cockpit.views.access.first_admin import FirstAdminDialog
from cockpit.views.access.idle import DEFAULT_IDLE_MINUTES, IdleWatcher
from cockpit.views.access.lock_page import LockPage
from cockpit.views.admin.audit_page import AuditQueries
from cockpit.views.admin.panel import AdminPanel
from cockpit.views.admin.users_page import UserQueries
from cockpit.views.charts.formatting import format_count
from cockpit.views.messages import error_message
from cockpit.views.overview.panel import OverviewPanel
from cockpit.views.patient_table import PatientTableModel, format_cpr
from cockpit.views.record_html import render_record
from cockpit.views.risk.panel import RiskPanel
from cockpit.views.roles import role_name
from cockpit.views.rows_model import SORT_ROLE
from cockpit.views.sync_status import SyncQueries, SyncStatus
from cockpit.views.tasks import TaskRunner
from cockpit.views.updates import UpdateChecker
from cockpit.views.worklists.page import WorklistPage, WorklistQueries
from cockpit.views.worklists.vocabulary import day_text, status_name
from cockpit.worklists.model import ItemView, ListSummary

SEARCH_DELAY_MS: Final = 120
LIST_LIMIT: Final = 1000
RECENT_MAX: Final = 10

# (what is happening, fraction done 0..1); safe to call from the worker thread.
Report = Callable[[str, float], None]


class AccessQueries(UserQueries, Protocol):
    """Who is signed in, and the practice's users (see cockpit/services/access.py)."""

    @property
    def actor(self) -> Actor: ...
    def has_users(self) -> bool: ...
    def sign_in(self, user: str, password: str) -> Actor: ...
    def create_first_admin(self, name: str, full_name: str, password: str) -> Actor: ...
    def lock(self) -> None: ...


class DataOutQueries(AuditQueries, Protocol):
    def record_data_out(
        self,
        kind: str,
        destination: str,
        patient_count: int,
        what: str,
        *,
        purpose: str | None = None,
        patient_id: int | None = None,
    ) -> int: ...


class PatientWorklistQueries(WorklistQueries, Protocol):
    def open_items_for_patient(self, patient_fhir_id: str) -> list[ItemView]: ...


class PracticeQueries(SyncQueries, Protocol):
    @property
    def access(self) -> AccessQueries: ...
    @property
    def audit(self) -> DataOutQueries: ...
    @property
    def worklists(self) -> PatientWorklistQueries: ...
    def count(self) -> int: ...
    def search(self, text: str = "", limit: int | None = ...) -> list[PatientSummary]: ...
    def resolve(self, ref: str) -> int: ...
    def summary(self, patient_id: int) -> PatientSummary: ...
    def record(self, patient_id: int) -> PatientRecord: ...
    def patient_overview(self, patient_id: int) -> PatientOverview: ...
    def lab_series(self, patient_id: int, lab: str) -> LabSeries: ...
    def risk_lists(self) -> RiskSnapshot: ...
    def data_quality(self, indicator_id: str, as_of: date) -> DataQuality: ...
    def export_hits_csv(self, indicator_id: str, hits: Sequence[Hit], path: Path) -> int: ...
    def database_server(self) -> str | None: ...
    def interrupt(self) -> None: ...
    def close(self) -> None: ...


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
        self._search_seq = 0
        self._search_shown = 0
        self._total = 0
        self._open_first_of: int | None = None
        self._patient_seq = 0
        self._current: PatientSummary | None = None
        self._pending_patient: str | None = None
        self._recent: deque[PatientSummary] = deque(maxlen=RECENT_MAX)
        self._actor: Actor | None = None
        self._locked = False
        self._listed = False  # the patient list has been filled since sign-in
        self._idle = IdleWatcher(max(1, round(idle_minutes * 60_000)), self)
        self._build_widgets(demo)
        self._build_menu()
        self._connect_signals()
        self.statusBar().showMessage(self.tr("Åbner den krypterede database …"))

    @property
    def current_patient(self) -> PatientSummary | None:
        return self._current

    @property
    def actor(self) -> Actor | None:
        """Who is signed in (or the OS user in single-user mode); None before the store is open."""
        return self._actor

    @property
    def locked(self) -> bool:
        """True while patient data is hidden behind the sign-in page."""
        return self._locked

    # -- building -------------------------------------------------------------------------------------

    def _build_widgets(self, demo: bool) -> None:
        left = self._build_patient_list()
        self.panel = OverviewPanel()
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.demo_banner = QLabel(
            self.tr(
                "<b>Demopraksis</b> – alle patienter her er fiktive og genereret af Patient Cockpit. "
                "Brug den til at prøve programmet; læg aldrig rigtige patientdata her."
            )
        )
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setStyleSheet(
            "background: #fff4ce; color: #4a3b00; padding: 4px; border-radius: 4px;"
        )
        self.demo_banner.setVisible(demo)
        self.users_banner = self._build_users_banner()
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
        self.risk = RiskPanel()
        splitter = QSplitter()
        splitter.addWidget(left)
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
        help_menu = self.menuBar().addMenu(self.tr("&Hjælp"))
        self.lock_action = QAction(self.tr("&Lås nu"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.update_action = QAction(self.tr("Søg efter &opdateringer …"), self)
        self.update_action.triggered.connect(self.update_checker.check)
        self.update_action.setVisible(self.update_checker.available)  # only an install that updates itself
        about = QAction(self.tr("&Om Patient Cockpit"), self)
        about.triggered.connect(self._about)
        for action in (self.lock_action, self.update_action):
            help_menu.addAction(action)
        help_menu.addSeparator()
        help_menu.addAction(about)

    def _about(self) -> None:
        from cockpit import __version__  # noqa: PLC0415

        QMessageBox.about(
            self,
            self.tr("Om Patient Cockpit"),
            self.tr(
                "<b>Patient Cockpit</b> {version}<br>Patientoverblik og risikolister til almen praksis. "
                "Data ligger krypteret på denne computer; hvert opslag logges."
            ).format(version=__version__),
        )

    def _build_users_banner(self) -> QWidget:
        banner = QWidget()
        banner.setObjectName("users-banner")
        banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # Only the banner itself: its button keeps the platform's look.
        banner.setStyleSheet(
            "#users-banner { background: #e8f1fb; border-radius: 4px; } QLabel { color: #0b2e59; }"
        )
        row = QHBoxLayout(banner)
        row.setContentsMargins(6, 2, 6, 2)
        text = QLabel(
            self.tr(
                "<b>Ingen brugere endnu</b> – alle opslag logges som computerens bruger. Opret en "
                "administrator, så alle skal logge ind, og hvert opslag logges med den rette person."
            )
        )
        text.setWordWrap(True)
        self.create_admin_button = QPushButton(self.tr("Opret administrator …"))
        self.create_admin_button.clicked.connect(self._create_first_admin)
        row.addWidget(text, 1)
        row.addWidget(self.create_admin_button)
        banner.hide()
        return banner

    def _build_patient_list(self) -> QWidget:
        self.search = QLineEdit(placeholderText=self.tr("Søg: navn, CPR-nr. eller fødselsdato  (Ctrl+F)"))
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
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setWordWrap(False)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order: by family name
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3, 4):
            self.table.hideColumn(
                column
            )  # born, sex, GP: in the CPR and the overview header; the list stays narrow
        self.recent = QListWidget()
        self.recent.setMaximumHeight(150)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.table, 1)
        recent_label = QLabel(self.tr("S&eneste patienter"))
        recent_label.setBuddy(self.recent)
        left_layout.addWidget(recent_label)
        left_layout.addWidget(self.recent)
        return left

    def _connect_signals(self) -> None:
        self._progress.connect(self._show_progress)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._run_search)
        self.search.textEdited.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self._search_entered)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.recent.itemActivated.connect(self._recent_activated)
        self.panel.lab_requested.connect(self._load_trend)
        self.risk.patient_requested.connect(self._open_patient_id)
        self.risk.export_requested.connect(self._choose_export_file)
        self.risk.quality_requested.connect(self._load_data_quality)
        self.risk.worklist_requested.connect(self.create_worklist_from_risk)
        self.worklists.patient_requested.connect(self._open_patient_id)
        self.lock_page.sign_in_requested.connect(self._sign_in)
        self.lock_page.unlock_requested.connect(self._unlock_single_user)
        self._idle.idle.connect(self.lock)
        self._shortcut(QKeySequence("F5"), self._sync_now)
        self.sync_status.synced.connect(self._data_changed)
        self.sync_status.changed_elsewhere.connect(self._changed_elsewhere)
        self.sync_status.failed.connect(lambda message: self.show_notice(message, error=True))
        self._shortcut(QKeySequence("Ctrl+1"), self._show_patients_page)
        self._shortcut(QKeySequence("Ctrl+2"), self._show_risk_lists)
        self._shortcut(QKeySequence("Ctrl+3"), self._show_admin)
        self._shortcut(QKeySequence("Ctrl+4"), self._show_worklists)
        self.panel.tabs.currentChanged.connect(self._tab_changed)
        self._shortcut(QKeySequence(QKeySequence.StandardKey.Find), self._focus_search)
        self._shortcut(QKeySequence("Ctrl+K"), self._focus_search)
        self._shortcut(QKeySequence("Ctrl+Shift+C"), lambda: self.panel.header.set_revealed(True))
        escape = QShortcut(QKeySequence("Escape"), self.search, self._clear_search)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        sections: list[tuple[str, Callable[[], None]]] = [
            ("Alt+1", lambda: self.panel.attention.table.setFocus()),
            ("Alt+2", lambda: self.panel.diagnoses.table.setFocus()),
            ("Alt+3", lambda: self.panel.medications.table.setFocus()),
            ("Alt+4", lambda: self.panel.labs.table.setFocus()),
            ("Alt+5", lambda: self._show_tab(self.panel.timeline)),
            ("Alt+6", lambda: self._show_tab(self.panel.home_care)),
            ("Alt+0", lambda: self.table.setFocus()),
        ]
        for keys, action in sections:
            self._shortcut(QKeySequence(keys), action)

    def _shortcut(self, keys: QKeySequence, action: Callable[[], None]) -> None:
        QShortcut(keys, self, action)

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
        self._queries, count, has_users = result
        self._total = count
        server = self._queries.database_server()
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
        if has_users:
            self._locked = True
            self.stack.setCurrentWidget(self.lock_page)
            self.lock_page.show_sign_in(locked=False)
            self.sign_in_required.emit()
            return
        self._signed_in(self._queries.access.actor)

    # -- who is signed in -----------------------------------------------------------------------------

    def _signed_in(self, actor: Actor) -> None:
        """Show what ``actor``'s role allows; start the idle lock. A different person than before gets a
        clean window: the last user's patient is not theirs to see."""
        if self._actor is not None and self._actor.user != actor.user:
            self._forget_patient()
        self._actor = actor
        self._locked = False
        self.users_banner.setVisible(actor.single_user)
        if actor.single_user:
            self.user_label.setText(self.tr("Enkeltbruger: {user}").format(user=actor.user))
        else:
            self.user_label.setText(
                self.tr("{user} ({role})").format(user=actor.user, role=role_name(actor.role))
            )
        self._apply_permissions(actor)
        self._idle.start()
        self.sync_status.setVisible(actor.may(Permission.SYNC))
        if self._queries is not None:  # every role's window follows syncs; only some may start one
            self.sync_status.attach(self._queries, may_sync=actor.may(Permission.SYNC))
        if not actor.may(Permission.VIEW_CONTACT):
            return
        self.search.setEnabled(True)
        self.search.setFocus()
        if not self._listed:
            self._listed = True
            self._run_search()
            if actor.may(Permission.VIEW_RISK_LISTS):
                self._load_risk_lists()
        if self._pending_patient is not None:
            self.open_patient(self._pending_patient)

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
        queries = self._queries
        if queries is None or self._locked or self._actor is None:
            return
        self._locked = True
        self._idle.stop()
        self.panel.header.set_revealed(False)
        self.statusBar().clearMessage()
        self.stack.setCurrentWidget(self.lock_page)
        if self._actor.single_user:
            self.lock_page.show_single_user_lock()
        else:
            self.lock_page.show_sign_in(locked=True, user=self._actor.user)
            self._tasks.run(queries.access.lock, lambda _r: None, self._query_failed)
        self.locked_changed.emit(True)

    def _sign_in(self, user: str, password: str) -> None:
        queries = self._queries
        if queries is None:
            return
        self._tasks.run(
            lambda: queries.access.sign_in(user, password),
            self._sign_in_succeeded,
            self.lock_page.show_sign_in_error,
        )

    def _sign_in_succeeded(self, actor: Actor) -> None:
        self.lock_page.set_busy(False)
        self._signed_in(actor)
        self.locked_changed.emit(False)

    def _unlock_single_user(self) -> None:
        queries = self._queries
        if queries is not None:
            self._signed_in(queries.access.actor)
            self.locked_changed.emit(False)

    def _create_first_admin(self) -> None:
        queries = self._queries
        if queries is None:
            return
        dialog = FirstAdminDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name, full_name, password = dialog.values()
        self._tasks.run(
            lambda: queries.access.create_first_admin(name, full_name, password),
            self._first_admin_created,
            self._query_failed,
        )

    def _first_admin_created(self, actor: Actor) -> None:
        self.users_banner.hide()
        self.statusBar().showMessage(
            self.tr("Administratoren {user} er oprettet; fremover skal alle logge ind.").format(
                user=actor.user
            )
        )
        self._signed_in(actor)

    # -- sync -----------------------------------------------------------------------------------------

    def _sync_now(self) -> None:
        if not self._locked and self._actor is not None and self._actor.may(Permission.SYNC):
            self.notice.hide()
            self.sync_status.sync_now()

    def _data_changed(self, outcome: SyncOutcome) -> None:
        """A sync applied changes: the list, the risk lists and (if it changed) the open patient follow."""
        if self._queries is None or self._actor is None:
            return
        self._tasks.run(self._queries.count, self._count_changed, self._query_failed)
        if self._actor.may(Permission.VIEW_CONTACT):
            self._run_search()
        if self._actor.may(Permission.VIEW_RISK_LISTS):
            self._load_risk_lists()
        if self._actor.may(Permission.WORK_LISTS):
            self.worklists.reload_lists()  # the sync re-evaluated the lists
        current = self._current
        if current is not None and current.id in outcome.changed_patient_ids and not self._locked:
            self._show_patient(current)

    def _changed_elsewhere(self) -> None:
        """Another process applied a sync; which patients it changed is not known here, so the open one
        is shown again with the rest."""
        current = self._current
        self._data_changed(SyncOutcome(changed_patient_ids=frozenset({current.id} if current else set())))

    def _count_changed(self, count: int) -> None:
        self._total = count

    def _forget_patient(self) -> None:
        self._patient_seq += 1
        self._current = None
        self._recent.clear()
        self.recent.clear()
        self.statusBar().clearMessage()
        self.panel.show_loading("")

    def _open_failed(self, error: BaseException) -> None:
        self.statusBar().showMessage(self.tr("Databasen kunne ikke åbnes"))
        self.show_notice(error_message(error), error=True)
        self.failed.emit(error)

    def show_notice(self, text: str, error: bool = False) -> None:
        colour = "#fde2e1; color: #5c0b0b" if error else "#fff4ce; color: #4a3b00"
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
        self._search_shown = seq
        self.model.set_patients(rows)
        shown = format_count(len(rows))
        if len(rows) == LIST_LIMIT:
            message = self.tr("Viser de første {limit} af {total} patienter; søg for at finde andre").format(
                limit=format_count(LIST_LIMIT), total=format_count(self._total)
            )
        elif len(rows) == 1:
            message = self.tr("1 patient fundet")
        else:
            message = self.tr("{count} patienter fundet").format(count=shown)
        self.statusBar().showMessage(message)
        if self._open_first_of == seq:
            # Enter was pressed for this search. Nothing opens by itself while the user types: every
            # opened record is a look-up in someone's journal.
            self._open_first_of = None
            self._focus_table()
        self.patients_shown.emit(len(rows))

    def _query_failed(self, error: BaseException) -> None:
        self.show_notice(error_message(error), error=True)

    # -- the patient ----------------------------------------------------------------------------------

    def open_patient(self, ref: str) -> None:
        """Show the patient ``ref`` names (CPR, FHIR id or internal id): from the command line, or from
        the clinic system through a running instance."""
        queries = self._queries
        if queries is None or self._locked:
            self._pending_patient = ref  # opened as soon as the store is open and someone signed in
            return
        self._pending_patient = None
        self._tasks.run(lambda: queries.summary(queries.resolve(ref)), self._show_patient, self._query_failed)

    def _open_patient_id(self, patient_id: int) -> None:
        queries = self._queries
        if queries is None:
            return
        self.pages.setCurrentIndex(0)
        self._tasks.run(lambda: queries.summary(patient_id), self._show_patient, self._query_failed)

    def _show_worklists(self) -> None:
        if self.pages.isTabVisible(3) and not self._locked:
            self.pages.setCurrentWidget(self.worklists)
            self.worklists.item_view.setFocus()

    def create_worklist_from_risk(self) -> None:
        """A follow-up list of all hits of the chosen risk list's indicator, following the indicator;
        the new list is shown."""
        queries, risk = self._queries, self.risk.current_list()
        if queries is None or risk is None or self._locked:
            return
        indicator_id = risk.indicator.id

        def created(summary: ListSummary) -> None:
            self.statusBar().showMessage(
                self.tr("Opfølgningslisten {name} er oprettet med {count} patienter").format(
                    name=summary.name, count=format_count(summary.figures.total)
                )
            )
            self.worklists.reload_lists(select=summary.id)
            self._show_worklists()
            self.worklist_created.emit(summary.id)

        self._tasks.run(
            lambda: queries.worklists.create([indicator_id], follows=True), created, self._query_failed
        )

    def _show_risk_lists(self) -> None:
        if not self.pages.isTabEnabled(self.pages.indexOf(self.risk)):
            return
        self.pages.setCurrentWidget(self.risk)
        self.risk.list_view.setFocus()

    # -- data out -------------------------------------------------------------------------------------

    def _choose_export_file(self) -> None:
        risk = self.risk.current_list()
        if risk is None or self._actor is None or self._locked:
            return
        if not self._actor.may(Permission.EXPORT):
            self.statusBar().showMessage(
                self.tr("Din rolle ({role}) må ikke eksportere patientlister.").format(
                    role=role_name(self._actor.role)
                )
            )
            return
        suggested = Path.home() / f"{risk.indicator.id}-{risk.result.as_of.isoformat()}.csv"
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Gem opkaldsliste"),
            str(suggested),
            self.tr("CSV-filer (*.csv)"),
        )
        if name:
            self.export_risk_list(Path(name))

    def export_risk_list(self, path: Path) -> None:
        """Write the shown hits of the chosen risk list to ``path``; the export goes into the data-out
        ledger (who, when, how many patients, where to) before the file is written."""
        queries, risk = self._queries, self.risk.current_list()
        if queries is None or risk is None:
            return
        hits = self.risk.shown_hits()
        indicator_id = risk.indicator.id

        def done(count: int) -> None:
            self.statusBar().showMessage(
                self.tr("{count} patienter gemt i {file} (eksporten er logget)").format(
                    count=format_count(count), file=path.name
                )
            )
            self.exported.emit(count)

        self._tasks.run(lambda: queries.export_hits_csv(indicator_id, hits, path), done, self._query_failed)

    def _show_patients_page(self) -> None:
        if self.pages.isTabEnabled(0):
            self.pages.setCurrentIndex(0)

    def _show_admin(self) -> None:
        if self.pages.isTabVisible(2) and not self._locked:
            self.pages.setCurrentWidget(self.admin)
            self.admin.users.table.setFocus()

    def _load_risk_lists(self) -> None:
        """The cluster's indicators over the whole practice, after the list is up (seconds at 50,000
        patients): the risk lists show them, and the attention panel adds them for each patient."""
        queries = self._queries
        if queries is None:
            return
        self._tasks.run(queries.risk_lists, self._risk_lists_loaded, self._query_failed)

    def _load_data_quality(self, indicator_id: str, as_of: date) -> None:
        """The chosen list's data-quality warnings, after the list is shown (a few queries)."""
        queries = self._queries
        if queries is None or self._locked:
            return
        self._tasks.run(
            lambda: queries.data_quality(indicator_id, as_of),
            self.risk.show_quality,
            self._query_failed,
        )

    def _risk_lists_loaded(self, snapshot: RiskSnapshot) -> None:
        self.risk.show_snapshot(snapshot)
        if self._current is not None:
            self._show_patient(self._current)  # its attention panel now includes the indicators
        self.risk_lists_shown.emit(len(snapshot.lists))

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self._show_patient(self.model.patient_at(self.proxy.mapToSource(indexes[0]).row()))

    def _recent_activated(self, item: QListWidgetItem) -> None:
        patient = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(patient, PatientSummary):
            self._show_patient(patient)

    def _show_patient(self, patient: PatientSummary) -> None:
        queries = self._queries
        if queries is None or self._locked:
            return
        if self._actor is not None and not self._actor.may(Permission.VIEW_CLINICAL):
            self.statusBar().showMessage(
                self.tr("Din rolle ({role}) giver ikke adgang til journaloplysninger.").format(
                    role=role_name(self._actor.role)
                )
            )
            return
        self._patient_seq += 1
        seq = self._patient_seq
        self._current = patient
        self.panel.show_loading(patient.name)
        self._tasks.run(
            lambda: queries.patient_overview(patient.id),
            lambda overview: self._show_overview(seq, patient, overview),
            self._query_failed,
        )

    def _show_overview(self, seq: int, patient: PatientSummary, overview: PatientOverview) -> None:
        if seq != self._patient_seq:
            return  # the user has moved on to another patient
        self.panel.show_overview(overview)
        self._remember(patient)
        if self.panel.tabs.currentWidget() is self.panel.raw:
            self._load_raw()
        self.overview_shown.emit(patient.id)
        self._load_followups(seq, patient)

    def _load_followups(self, seq: int, patient: PatientSummary) -> None:
        """The patient's open follow-up items, under the attention panel."""
        queries = self._queries
        if queries is None or self._actor is None or not self._actor.may(Permission.WORK_LISTS):
            return

        def show(items: list[ItemView]) -> None:
            if seq != self._patient_seq:
                return
            lines = [
                " ".join(
                    part
                    for part in (
                        item.indicator_id,
                        status_name(item.status),
                        self.tr("forfald {day}").format(day=day_text(item.due)) if item.due else "",
                    )
                    if part
                )
                for item in items
            ]
            self.panel.show_followups(lines)
            self.followups_shown.emit(len(items))

        self._tasks.run(
            lambda: queries.worklists.open_items_for_patient(patient.fhir_id), show, self._query_failed
        )

    def _remember(self, patient: PatientSummary) -> None:
        for known in list(self._recent):
            if known.id == patient.id:
                self._recent.remove(known)
        self._recent.appendleft(patient)
        self.recent.clear()
        for entry in self._recent:
            item = QListWidgetItem(f"{entry.name}  ·  {format_cpr(entry.cpr)[:7]}xxxx")
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.recent.addItem(item)

    def _load_trend(self, lab: str) -> None:
        queries, patient = self._queries, self._current
        if queries is None or patient is None:
            return
        seq = self._patient_seq
        self._tasks.run(
            lambda: queries.lab_series(patient.id, lab),
            lambda series: self._show_trend(seq, series),
            self._query_failed,
        )

    def _show_trend(self, seq: int, series: LabSeries) -> None:
        if seq != self._patient_seq:
            return
        self.panel.show_trend(series)
        self.trend_shown.emit(series.key)

    def _tab_changed(self, _index: int) -> None:
        if self.panel.tabs.currentWidget() is self.panel.raw:
            self._load_raw()
        elif self.panel.tabs.currentWidget() is self.panel.trend:
            row = self.panel.labs.selected_row()
            if row is not None:
                self._load_trend(row.key)

    def _load_raw(self) -> None:
        queries, patient = self._queries, self._current
        if queries is None or patient is None:
            return
        seq = self._patient_seq

        def show(record: PatientRecord) -> None:
            if seq == self._patient_seq:
                self.panel.show_raw(render_record(record))

        self._tasks.run(lambda: queries.record(patient.id), show, self._query_failed)

    # -- keyboard -------------------------------------------------------------------------------------

    def _show_tab(self, widget: QWidget) -> None:
        self.panel.tabs.setCurrentWidget(widget)
        widget.setFocus()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _clear_search(self) -> None:
        self.search.clear()
        self._run_search()

    def _search_entered(self) -> None:
        """Enter in the search field opens the first match of what was typed, even if the search for
        the last keystrokes is still on its way."""
        if self._debounce.isActive() or self._search_in_flight():
            self._debounce.stop()
            self._run_search()
            self._open_first_of = self._search_seq
        else:
            self._focus_table()

    def _search_in_flight(self) -> bool:
        return self._search_seq != self._search_shown

    def _focus_table(self) -> None:
        self.table.setFocus()
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._idle.stop()
        self.sync_status.shutdown()
        self.update_checker.shutdown()
        queries = self._queries
        self._queries = None
        if queries is not None:
            queries.interrupt()  # a long read (the risk lists) must not hold up closing
            self._tasks.run(queries.close, lambda _r: None, lambda _e: None)
        self._tasks.shutdown()
        super().closeEvent(event)
