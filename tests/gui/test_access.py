"""Who may see what in the window: single-user mode, sign-in, the lock (Ctrl+L and idle) and the roles,
through the real window on a real encrypted store with real practice users."""

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from cockpit.fhir.importer import import_path
from cockpit.privacy.identity import Role, os_actor
from cockpit.privacy.users import UserDirectory
from cockpit.services.practice import Practice
from cockpit.store import Store
from cockpit.views.access.first_admin import FirstAdminDialog
from cockpit.views.admin.user_dialog import ROLES, UserDialog
from cockpit.views.main_window import MainWindow
from tests.conftest import DK_EXAMPLES

pytestmark = pytest.mark.gui
TODAY = date(2026, 11, 22)
PATIENT = "Meyerhofen"  # the DK example patient's family name
PASSWORD = "correct horse battery"


def visible_text(root: QWidget) -> str:
    """Every piece of text a user could read in the window right now: visible labels, and the cells of
    visible tables (what a screenshot would show, as text)."""
    parts: list[str] = [root.windowTitle()]
    for label in root.findChildren(QLabel):
        if label.isVisibleTo(root) and label.isVisible():
            parts.append(label.text())
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if view.isVisible() and model is not None:
            root_index = QModelIndex()
            try:
                columns = model.columnCount(root_index)
            except TypeError:  # a list model hides columnCount in the binding: it has one column
                columns = 1
            for row in range(model.rowCount(root_index)):
                for column in range(columns):
                    parts.append(str(model.index(row, column).data() or ""))
    return "\n".join(parts)


def open_window(qtbot: QtBot, store: Store, idle_minutes: float = 5) -> MainWindow:
    win = MainWindow(lambda _report: Practice(store, today=lambda: TODAY), idle_minutes=idle_minutes)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.ready, timeout=10_000):
        win.show()
        win.start()
    return win


def open_first_patient(qtbot: QtBot, win: MainWindow) -> None:
    with qtbot.waitSignal(win.overview_shown, timeout=10_000):
        qtbot.keyClicks(win.search, "meyerhofen")
        qtbot.keyClick(win.search, Qt.Key.Key_Return)


@pytest.fixture
def practice_store(store: Store) -> Iterator[Store]:
    import_path(store, DK_EXAMPLES)
    yield store


@pytest.fixture
def with_users(practice_store: Store) -> Store:
    users = UserDirectory(practice_store)
    admin = users.add(os_actor(), "admin", "Ada Admin", Role.ADMIN, PASSWORD)
    assert admin is not None
    signed_admin = users.authenticate("admin", PASSWORD)
    users.add(signed_admin, "laege", "Lis Læge", Role.GP, PASSWORD)
    users.add(signed_admin, "sekretaer", "Sofie Sekretær", Role.SECRETARY, PASSWORD)
    return practice_store


def sign_in(win: MainWindow, user: str, password: str) -> None:
    page = win.lock_page
    page.user.setText(user)
    page.password.setText(password)
    page.button.click()


def test_without_users_the_window_runs_as_the_os_user_and_asks_for_users(
    qtbot: QtBot, practice_store: Store
) -> None:
    win = open_window(qtbot, practice_store)
    qtbot.waitUntil(lambda: win.model.rowCount() == 2, timeout=10_000)
    assert win.actor is not None and win.actor.single_user
    assert win.users_banner.isVisible()
    assert win.user_label.text().startswith("Enkeltbruger")


def test_ctrl_l_hides_the_patient_until_unlocked_and_keeps_the_work(
    qtbot: QtBot, practice_store: Store
) -> None:
    win = open_window(qtbot, practice_store)
    open_first_patient(qtbot, win)
    assert PATIENT in visible_text(win)
    with qtbot.waitSignal(win.locked_changed, timeout=2_000):
        qtbot.keyClick(win, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert win.locked
    assert PATIENT not in visible_text(win)
    assert "1112640001" not in visible_text(win) and "111264" not in visible_text(win)
    with qtbot.waitSignal(win.locked_changed, timeout=2_000):
        win.lock_page.button.click()  # single-user mode: no password to ask for
    assert PATIENT in visible_text(win)
    assert win.current_patient is not None and PATIENT in win.current_patient.name


def test_with_users_nothing_is_listed_before_sign_in_and_a_wrong_password_is_refused(
    qtbot: QtBot, with_users: Store
) -> None:
    win = open_window(qtbot, with_users)
    assert win.locked
    assert win.stack.currentWidget() is win.lock_page
    assert win.model.rowCount() == 0
    assert PATIENT not in visible_text(win)
    sign_in(win, "laege", "wrong password!")
    qtbot.waitUntil(lambda: win.lock_page.message.isVisible(), timeout=10_000)
    assert win.locked and win.model.rowCount() == 0
    assert "adgangskoden er forkert" in win.lock_page.message.text()  # said in Danish, names nobody
    with qtbot.waitSignal(win.patients_shown, timeout=10_000):
        sign_in(win, "laege", PASSWORD)
    assert win.stack.currentWidget() is win.pages
    assert win.actor is not None and win.actor.user == "laege" and win.actor.role is Role.GP
    assert win.model.rowCount() == 2
    assert "laege" in win.user_label.text()


def test_the_idle_lock_hides_patient_data_until_the_user_signs_in_again(
    qtbot: QtBot, with_users: Store
) -> None:
    win = open_window(qtbot, with_users, idle_minutes=0.01)  # 600 ms
    with qtbot.waitSignal(win.patients_shown, timeout=10_000):
        sign_in(win, "laege", PASSWORD)
    win._idle.set_timeout_ms(60_000)  # hold off the lock while the patient opens
    open_first_patient(qtbot, win)
    assert PATIENT in visible_text(win)
    win._idle.set_timeout_ms(300)
    with qtbot.waitSignal(win.locked_changed, timeout=5_000):
        pass  # no input: the idle timer fires
    assert win.locked
    shot = win.grab()
    assert not shot.isNull()
    assert PATIENT not in visible_text(win)
    assert win.lock_page.user.text() == "laege"  # the same user just types the password
    with qtbot.waitSignal(win.locked_changed, timeout=10_000):
        sign_in(win, "laege", PASSWORD)
    assert PATIENT in visible_text(win)  # the open patient is still there: nothing was lost


def test_a_secretary_sees_the_patient_list_but_not_the_clinical_record(
    qtbot: QtBot, with_users: Store
) -> None:
    win = open_window(qtbot, with_users)
    with qtbot.waitSignal(win.patients_shown, timeout=10_000):
        sign_in(win, "sekretaer", PASSWORD)
    assert win.model.rowCount() == 2
    assert not win.panel.isVisible()
    assert not win.pages.isTabEnabled(1)  # no risk lists: they carry clinical evidence
    with qtbot.assertNotEmitted(win.overview_shown, wait=500):
        win.table.selectRow(0)
    assert "ikke adgang" in win.statusBar().currentMessage()


def test_an_administrator_manages_users_and_sees_no_patient_data(qtbot: QtBot, with_users: Store) -> None:
    win = open_window(qtbot, with_users)
    sign_in(win, "admin", PASSWORD)
    users = win.admin.users
    qtbot.waitUntil(lambda: users.model.rowCount() == 3, timeout=10_000)
    assert win.pages.currentWidget() is win.admin
    assert not win.pages.isTabEnabled(0) and not win.pages.isTabEnabled(1)
    assert PATIENT not in visible_text(win)
    assert win.model.rowCount() == 0
    assert [u.name for u in users.model.rows] == ["admin", "laege", "sekretaer"]

    def fill_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, UserDialog)
        dialog.name.setText("sygpl")
        dialog.full_name.setText("Sine Sygeplejerske")
        dialog.role.setCurrentIndex(ROLES.index(Role.NURSE))
        dialog.password.setText(PASSWORD)
        dialog.repeat.setText(PASSWORD)
        dialog.accept()

    QTimer.singleShot(0, fill_dialog)
    with qtbot.waitSignal(users.changed, timeout=10_000):
        users.add_user()
    qtbot.waitUntil(lambda: users.model.rowCount() == 4, timeout=10_000)
    added = next(u for u in users.model.rows if u.name == "sygpl")
    assert added.role is Role.NURSE and added.full_name == "Sine Sygeplejerske"
    # ... and the new nurse can sign in
    assert UserDirectory(with_users).authenticate("sygpl", PASSWORD).role is Role.NURSE


def test_another_user_signing_in_after_a_lock_gets_a_clean_window(qtbot: QtBot, with_users: Store) -> None:
    win = open_window(qtbot, with_users)
    with qtbot.waitSignal(win.patients_shown, timeout=10_000):
        sign_in(win, "laege", PASSWORD)
    open_first_patient(qtbot, win)
    win.lock()
    sign_in(win, "sekretaer", PASSWORD)
    qtbot.waitUntil(lambda: not win.locked, timeout=10_000)
    assert win.current_patient is None
    assert win.recent.count() == 0


def test_the_administrator_sees_who_looked_at_a_patient_and_checks_the_chain(
    qtbot: QtBot, with_users: Store
) -> None:
    win = open_window(qtbot, with_users)
    with qtbot.waitSignal(win.patients_shown, timeout=10_000):
        sign_in(win, "laege", PASSWORD)
    open_first_patient(qtbot, win)
    win.lock()
    sign_in(win, "admin", PASSWORD)
    qtbot.waitUntil(lambda: win.pages.currentWidget() is win.admin, timeout=10_000)
    audit = win.admin.audit
    win.admin.tabs.setCurrentWidget(audit)
    audit.patient.setText("1112640001")
    with qtbot.waitSignal(audit.shown, timeout=10_000):
        audit.search_button.click()
    opened = [(e.user, e.action) for e in audit.model.rows]
    assert opened == [("laege", "patient.open")]
    assert PATIENT not in visible_text(win)  # who looked, not what they saw
    with qtbot.waitSignal(audit.verified, timeout=10_000) as verified:
        audit.verify_button.click()
    assert verified.args[0].intact
    assert "intakt" in audit.message.text()


def test_creating_the_first_administrator_ends_single_user_mode(qtbot: QtBot, practice_store: Store) -> None:
    win = open_window(qtbot, practice_store)
    qtbot.waitUntil(lambda: win.model.rowCount() == 2, timeout=10_000)
    assert win.users_banner.isVisible()

    def fill_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FirstAdminDialog)
        dialog.name.setText("admin")
        dialog.full_name.setText("Ada Admin")
        dialog.password.setText("short")
        dialog.repeat.setText("short")
        dialog.buttons.accepted.emit()  # refused in the dialog: too short
        assert dialog.isVisible() and "mindst 10" in dialog.message.text()
        dialog.password.setText(PASSWORD)
        dialog.repeat.setText(PASSWORD)
        dialog.buttons.accepted.emit()

    QTimer.singleShot(0, fill_dialog)
    win.create_admin_button.click()
    qtbot.waitUntil(lambda: win.actor is not None and win.actor.user == "admin", timeout=10_000)
    assert win.actor is not None and win.actor.role is Role.ADMIN and not win.actor.single_user
    assert not win.users_banner.isVisible()
    assert win.pages.currentWidget() is win.admin  # an administrator sees no patient data
    assert UserDirectory(practice_store).has_users()
