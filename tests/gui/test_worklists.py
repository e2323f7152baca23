"""The staff view of follow-up worklists in the window, on a generated demo practice and a real encrypted
store: a list made from a risk list, items assigned, worked, noted, filtered and exported, the patient's
open items in the attention panel, and a conflict with someone else's change."""

import csv
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cockpit.demo.generator import generate_practice
from cockpit.fhir.importer import import_path
from cockpit.privacy.users import UserDirectory
from cockpit.security.identity import Actor, Role, os_actor
from cockpit.services.audit import AuditService
from cockpit.services.practice import Practice
from cockpit.services.worklists import ItemChange, ItemFilter, WorklistService
from cockpit.store import Store
from cockpit.views.main_window import MainWindow
from cockpit.views.worklists.dialogs import StatusDialog
from cockpit.views.worklists.page import WorklistPage, item_style

pytestmark = pytest.mark.gui
AS_OF = date(2026, 11, 22)
INDICATOR = "DM-HBA1C-12M"
OTHER = Actor(user="anne", role=Role.NURSE, workstation="reception-1")


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("worklists-gui")
    generate_practice(out, patients=300, seed=7, as_of=AS_OF)
    return out


@pytest.fixture
def window(qtbot: QtBot, store: Store, demo_files: Path) -> Iterator[MainWindow]:
    import_path(store, demo_files)
    win = MainWindow(lambda _report: Practice(store, today=lambda: AS_OF))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.risk_lists_shown, timeout=30_000):
        win.show()
        win.start()
    yield win


def _create_list(qtbot: QtBot, window: MainWindow) -> WorklistPage:
    risk = window.risk
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is risk
    row = next(i for i, r in enumerate(risk.lists.rows) if r.indicator.id == INDICATOR)
    risk.list_view.selectRow(row)
    assert risk.worklist_button.isVisible()
    page = window.worklists
    with qtbot.waitSignals([window.worklist_created, page.items_shown], timeout=10_000):
        qtbot.mouseClick(risk.worklist_button, Qt.MouseButton.LeftButton)
    return page


def _apply(qtbot: QtBot, page: WorklistPage, change: ItemChange) -> None:
    with qtbot.waitSignals([page.changed, page.items_shown], timeout=10_000):
        page.apply(change)


def test_a_list_made_from_a_risk_list_is_shown_with_its_figures(qtbot: QtBot, window: MainWindow) -> None:
    hits = next(r for r in window.risk.lists.rows if r.indicator.id == INDICATOR).result.hits
    page = _create_list(qtbot, window)
    assert window.pages.currentWidget() is page
    summary = page.current_list()
    assert summary is not None and summary.indicator_ids == (INDICATOR,) and summary.follows
    assert summary.figures.open == len(hits) > 0
    assert {i.patient_id for i in page.items.rows} == {h.patient_id for h in hits}
    assert page.lists.data(page.lists.index(page.lists.rows.index(summary), 1)) == str(len(hits))
    assert "Ingen implementeringsplan" in page.plan.text()


def test_assign_change_status_with_a_reason_note_and_history(qtbot: QtBot, window: MainWindow) -> None:
    page = _create_list(qtbot, window)
    user = window.actor.user if window.actor else ""
    first, second = page.items.rows[:2]
    page.select_items({first.id, second.id})
    _apply(qtbot, page, ItemChange(assignee=user))
    assert {i.assignee for i in page.items.rows if i.id in {first.id, second.id}} == {user.casefold()}

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, StatusDialog)
        dialog.choose("declined", "no_response")
        dialog.accept()

    page.select_items({first.id})
    QTimer.singleShot(0, fill)
    with qtbot.waitSignals([page.changed, page.items_shown], timeout=10_000):
        page.ask_status()
    # The default filter shows the open items: the declined one has left the view.
    assert first.id not in {i.id for i in page.items.rows}
    page.status.setCurrentIndex(page.status.findData("declined"))
    qtbot.waitUntil(lambda: [i.id for i in page.items.rows] == [first.id], timeout=10_000)
    assert page.items.rows[0].reason == "no_response"

    page.select_items({first.id})
    _apply(qtbot, page, ItemChange(note="Ringet to gange, intet svar"))
    with qtbot.waitSignal(page.history_shown, timeout=10_000):
        page.item_view.setCurrentIndex(page.items.index(0, 0))
    history = page.history.toPlainText()
    assert "Ringet to gange, intet svar" in history
    assert "Afslået" in history and user in history


def test_filters_mine_and_overdue(qtbot: QtBot, window: MainWindow) -> None:
    page = _create_list(qtbot, window)
    user = window.actor.user if window.actor else ""
    mine, late = page.items.rows[:2]
    page.select_items({mine.id})
    _apply(qtbot, page, ItemChange(assignee=user, due=AS_OF + timedelta(days=7)))
    page.select_items({late.id})
    _apply(qtbot, page, ItemChange(assignee="nurse", due=AS_OF - timedelta(days=3)))

    with qtbot.waitSignal(page.items_shown, timeout=10_000):
        page.mine.setChecked(True)
    assert [i.id for i in page.items.rows] == [mine.id]
    with qtbot.waitSignal(page.items_shown, timeout=10_000):
        page.overdue.setChecked(True)
    assert page.items.rows == []
    with qtbot.waitSignal(page.items_shown, timeout=10_000):
        page.mine.setChecked(False)
    assert [i.id for i in page.items.rows] == [late.id]
    assert page.items.rows[0].assignee == "role:nurse"
    style = item_style(page.items.rows[0])
    assert style is not None and style.bold  # overdue stands out
    summary = page.current_list()
    assert summary is not None and summary.figures.overdue == 1


def test_export_csv_and_pdf_call_list(qtbot: QtBot, window: MainWindow, store: Store, tmp_path: Path) -> None:
    page = _create_list(qtbot, window)
    shown = page.items.rows
    csv_path = tmp_path / "opkald.csv"
    with qtbot.waitSignal(page.exported, timeout=10_000) as exported:
        page.export_csv(csv_path)
    assert exported.args == [len(shown)]
    with csv_path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == len(shown) + 1

    pdf_path = tmp_path / "opkald.pdf"
    with qtbot.waitSignal(page.exported, timeout=10_000) as exported:
        page.export_pdf(pdf_path)
    assert exported.args == [len(shown)]
    assert pdf_path.stat().st_mode & 0o077 == 0
    text = "".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    summary = page.current_list()
    assert summary is not None and summary.name in text
    first = shown[0]
    assert first.name is not None and first.cpr is not None
    assert first.name.split()[-1] in text and first.cpr[:6] in text
    assert "Grundlag" not in text  # only what a call list needs: no clinical evidence
    entries = AuditService(store, lambda: window.actor or OTHER).search(data_out=True)
    assert {e.action for e in entries} >= {"export.csv", "export.pdf"}


def test_enter_opens_the_patient_whose_attention_panel_shows_the_open_item(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = _create_list(qtbot, window)
    item = page.items.rows[0]
    page.item_view.setFocus()
    page.item_view.setCurrentIndex(page.items.index(0, 0))
    with qtbot.waitSignals([window.overview_shown, window.followups_shown], timeout=10_000):
        qtbot.keyClick(page.item_view, Qt.Key.Key_Return)
    assert window.pages.currentIndex() == 0
    assert window.current_patient is not None and window.current_patient.id == item.patient_id
    followups = window.panel.followups
    assert followups.isVisibleTo(window.panel) and INDICATOR in followups.text()


def test_someone_elses_change_first_is_a_conflict_shown_with_the_items_reloaded(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    page = _create_list(qtbot, window)
    item = page.items.rows[0]
    summary = page.current_list()
    assert summary is not None
    other = WorklistService(store, lambda: OTHER, lambda: AS_OF)
    other.update(item.id, item.version, ItemChange(status="contacted"))
    page.select_items({item.id})
    with qtbot.waitSignals([page.failed, page.items_shown], timeout=10_000):
        page.apply(ItemChange(status="booked"))
    message = page.message.text()
    assert "anne" in message
    assert page.message.isVisibleTo(page)
    reloaded = next(i for i in page.items.rows if i.id == item.id)
    assert reloaded.status == "contacted"
    assert [i.status for i in other.items(summary.id, ItemFilter()) if i.id == item.id] == ["contacted"]


def test_the_page_follows_the_role_a_secretary_works_items_without_evidence_or_export(
    qtbot: QtBot, store: Store, demo_files: Path
) -> None:
    import_path(store, demo_files)
    users = UserDirectory(store)
    assert users.add(os_actor(), "admin", "Ada Admin", Role.ADMIN, PASSWORD) is not None
    admin = users.authenticate("admin", PASSWORD)
    users.add(admin, "laege", "Lis Læge", Role.GP, PASSWORD)
    users.add(admin, "sekretaer", "Sofie Sekretær", Role.SECRETARY, PASSWORD)
    gp = Actor(user="laege", role=Role.GP, workstation="consultation-2")
    made = WorklistService(store, lambda: gp, lambda: AS_OF).create([INDICATOR], name="HbA1c-opfølgning")
    win = MainWindow(lambda _report: Practice(store, today=lambda: AS_OF))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.sign_in_required, timeout=10_000):
        win.show()
        win.start()
    page = win.worklists
    with qtbot.waitSignal(page.items_shown, timeout=10_000):
        _sign_in(win, "sekretaer")
    assert win.pages.isTabVisible(win.pages.indexOf(page))
    qtbot.keyClick(win, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert win.pages.currentWidget() is page
    assert [s.id for s in page.lists.rows] == [made.id]
    assert page.items.rows and all(not i.evidence for i in page.items.rows)
    assert not page.csv_button.isEnabled() and not page.pdf_button.isEnabled()
    page.select_items({page.items.rows[0].id})
    _apply(qtbot, page, ItemChange(status="contacted", note="Indkaldt til blodprøve"))
    assert page.items.rows[0].status == "contacted"

    with qtbot.waitSignal(win.locked_changed, timeout=2_000):
        qtbot.keyClick(win, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(win.locked_changed, timeout=10_000):
        _sign_in(win, "admin")
    assert not win.pages.isTabVisible(win.pages.indexOf(page))
    assert page.items.rowCount() == 0 and page.lists.rowCount() == 0  # nothing of the last user's work


PASSWORD = "correct horse battery staple"


def _sign_in(win: MainWindow, user: str) -> None:
    win.lock_page.user.setText(user)
    win.lock_page.password.setText(PASSWORD)
    win.lock_page.button.click()
