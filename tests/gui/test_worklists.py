"""The staff view of follow-up worklists in the window, on a generated demo practice and a real encrypted
store: a list made from a risk list, items assigned, worked, noted, filtered and exported, the patient's
open items in the attention panel, and a conflict with someone else's change."""

import csv
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from cockpit.demo.generator import generate_practice
from cockpit.fhir.importer import import_path
from cockpit.privacy.audit import AuditService
from cockpit.privacy.identity import Actor, Role, os_actor
from cockpit.privacy.users import UserDirectory
from cockpit.services.practice import Practice
from cockpit.services.worklists import WorklistService
from cockpit.store import Store
from cockpit.views.main_window import MainWindow
from cockpit.views.worklists.dialogs import AssigneeDialog, PlanDialog, StatusDialog
from cockpit.views.worklists.items_model import ITEM_COLUMNS, ITEM_SORT_KEYS, ItemsModel, item_style
from cockpit.views.worklists.page import WorklistPage
from cockpit.worklists.model import ItemChange, ItemFilter, ItemPage, ItemView, Plan

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
    assert message.startswith("En anden har ændret punktet imens: din ændring er ikke gemt")
    assert "anne" in message  # who, from the error's own text
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


# --- a long list, fetched a window at a time ------------------------------------------------------------

LONG = ["HT-BP-ABOVE-TARGET", "POLY-65-5", "DM-LIPID"]


def _long_list(qtbot: QtBot, window: MainWindow, store: Store, size: int) -> tuple[WorklistPage, list[int]]:
    """The window's page showing a list of more items than one window of ``size``; and the ids of all
    its items in the store's order, read by the service (the expectation)."""
    made = WorklistService(store, lambda: OTHER, lambda: AS_OF).create(LONG, name="Lang liste")
    page = window.worklists
    page.page_size = size
    # Fewer rows on screen than a window holds, as in the window with its 200-item windows: a view with
    # room to spare asks for more by itself until it is full.
    page.item_view.setFixedHeight(page.item_view.verticalHeader().defaultSectionSize() * 6)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(page.items_shown, timeout=10_000):
        page.reload_lists(select=made.id)
    summary = page.current_list()
    assert summary is not None and summary.id == made.id
    everything = WorklistService(store, lambda: OTHER, lambda: AS_OF).items(
        made.id, ItemFilter(open_only=True)
    )
    return page, [i.id for i in everything]


def _scroll_to_end(qtbot: QtBot, page: WorklistPage) -> None:
    with qtbot.waitSignal(page.items_fetched, timeout=10_000):
        page.item_view.scrollToBottom()  # the view asks the model for more (fetchMore)


def test_a_long_list_opens_with_one_window_and_grows_as_it_is_scrolled(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    page, expected = _long_list(qtbot, window, store, size=10)
    # Counted by hand from the indicators' hits on this practice: far more than one window.
    assert len(expected) >= 45
    qtbot.wait(200)  # the event loop runs: nothing more is fetched until the view scrolls
    assert page.items.rowCount() == 10 and page.items.total == len(expected)
    assert [i.id for i in page.items.rows] == expected[:10]
    assert page.items.canFetchMore()

    _scroll_to_end(qtbot, page)
    assert page.items.rowCount() == 20
    assert [i.id for i in page.items.rows] == expected[:20]
    while page.items.canFetchMore():
        _scroll_to_end(qtbot, page)
    assert [i.id for i in page.items.rows] == expected  # every item once, in the store's order
    assert page.items.rowCount() == page.items.total
    # Each window is one list.show naming its own patients: what was shown, not the whole list.
    me = window.actor
    summary = page.current_list()
    assert me is not None and summary is not None
    shown = [
        e.patient_count
        for e in AuditService(store, lambda: me).search(user=me.user)
        if e.action == "list.show" and e.list_ref == f"worklist:{summary.id}"
    ]
    sizes = sorted((count or 0 for count in shown), reverse=True)
    assert sizes == [10] * (len(expected) // 10) + ([len(expected) % 10] if len(expected) % 10 else [])


def test_a_change_on_a_later_window_keeps_what_was_fetched_and_the_selection(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    page, expected = _long_list(qtbot, window, store, size=10)
    _scroll_to_end(qtbot, page)
    _scroll_to_end(qtbot, page)
    assert page.items.rowCount() == 30
    chosen = {expected[12], expected[25]}
    page.select_items(chosen)
    _apply(qtbot, page, ItemChange(priority=2, note="Ring efter kl. 10"))
    assert page.items.rowCount() == 30  # not back to the first window
    assert {i.id for i in page.selected_items()} == chosen
    assert page.item_view.verticalScrollBar().value() > 0
    # Bulk: both changed (a note is a new version), the others not.
    versions = {i.id: i.version for i in page.items.rows}
    assert {versions[i] for i in chosen} == {2} and {v for i, v in versions.items() if i not in chosen} == {1}
    # Only the two changed items were read again (one list.show of 2 patients), not the 30 shown.
    me = window.actor
    assert me is not None
    shows = [e for e in AuditService(store, lambda: me).search(user=me.user) if e.action == "list.show"]
    assert shows[-1].patient_count == 2

    # Closing one under the "open" filter takes its row away; the next window still follows on.
    page.select_items({expected[12]})
    _apply(qtbot, page, ItemChange(status="done"))
    assert page.items.rowCount() == 29 and page.items.total == len(expected) - 1
    assert expected[12] not in {i.id for i in page.items.rows}
    _scroll_to_end(qtbot, page)
    assert [i.id for i in page.items.rows] == [i for i in expected if i != expected[12]][:39]


def test_ctrl_a_selects_every_item_of_a_long_list_not_only_the_windows_fetched(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    page, expected = _long_list(qtbot, window, store, size=10)
    assert page.items.rowCount() == 10 < len(expected)
    page.item_view.setFocus()
    with qtbot.waitSignal(page.items_shown, timeout=10_000):
        qtbot.keyClick(page.item_view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert [i.id for i in page.items.rows] == expected  # the rest read, in the store's order
    assert [i.id for i in page.selected_items()] == expected
    assert {i.priority for i in page.items.rows} == {2}  # the default
    _apply(qtbot, page, ItemChange(priority=1))  # a bulk change reaches every item of the list
    assert {i.priority for i in page.items.rows} == {1}
    assert page.items.rowCount() == len(expected)

    with qtbot.assertNotEmitted(page.items_shown, wait=200):  # all fetched: selected at once
        qtbot.keyClick(page.item_view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(page.selected_items()) == len(expected)


def test_filters_and_sorting_start_again_from_the_first_window(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    page, expected = _long_list(qtbot, window, store, size=10)
    _scroll_to_end(qtbot, page)
    with qtbot.waitSignal(page.items_shown, timeout=10_000):
        page.indicator.setCurrentIndex(page.indicator.findData("DM-LIPID"))
    lipid = WorklistService(store, lambda: OTHER, lambda: AS_OF).items(
        page.current_list().id,  # type: ignore[union-attr]
        ItemFilter(open_only=True, indicator_id="DM-LIPID"),
    )
    assert page.items.total == len(lipid) and page.items.rowCount() == min(10, len(lipid))
    with qtbot.waitSignal(page.items_shown, timeout=10_000):
        page.indicator.setCurrentIndex(0)

    # A click on the Navn header: the store sorts the whole list, the first window is its first ten.
    all_items = WorklistService(store, lambda: OTHER, lambda: AS_OF).items(
        page.current_list().id,  # type: ignore[union-attr]
        ItemFilter(open_only=True),
    )
    by_name = [i.id for i in sorted(all_items, key=lambda i: (i.name or "", i.id))]
    header = page.item_view.horizontalHeader()
    with qtbot.waitSignal(page.items_shown, timeout=10_000):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, 0))
    assert [i.id for i in page.items.rows] == by_name[:10]
    assert page.items.total == len(expected)
    with qtbot.waitSignal(page.items_shown, timeout=10_000):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, 0))
    assert [i.id for i in page.items.rows] == list(reversed(by_name))[:10]
    _scroll_to_end(qtbot, page)
    assert [i.id for i in page.items.rows] == list(reversed(by_name))[:20]


def _section_centre(header: Any, section: int) -> QPoint:
    return QPoint(
        header.sectionViewportPosition(section) + header.sectionSize(section) // 2, header.height() // 2
    )


# --- the assignee picker and the plan ---------------------------------------------------------------------


def test_the_assignee_is_picked_from_a_list_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    page = _create_list(qtbot, window)
    me = window.actor.user.casefold() if window.actor else ""
    first, second = page.items.rows[:2]
    page.select_items({first.id, second.id})
    seen: list[list[str]] = []

    def pick() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AssigneeDialog)
        seen.append([str(dialog.who.itemData(i)) for i in range(dialog.who.count())])
        for _ in range(3):
            qtbot.keyClick(dialog.who, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.who, Qt.Key.Key_Return)

    QTimer.singleShot(0, pick)
    page.item_view.setFocus()
    with qtbot.waitSignals([page.changed, page.items_shown], timeout=10_000):
        qtbot.keyClick(page.item_view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    # No practice users yet (single-user mode): no one, the person signed in, then the roles.
    assert seen == [["", me, "role:gp", "role:nurse", "role:secretary"]]
    assert {i.assignee for i in page.items.rows if i.id in {first.id, second.id}} == {"role:nurse"}

    def unassign() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AssigneeDialog)
        assert dialog.value() == "role:nurse"  # the assignee the selection shares is preselected
        qtbot.keyClick(dialog.who, Qt.Key.Key_Home)
        qtbot.keyClick(dialog.who, Qt.Key.Key_Return)

    page.select_items({first.id})
    QTimer.singleShot(0, unassign)
    with qtbot.waitSignals([page.changed, page.items_shown], timeout=10_000):
        page.ask_assignee()
    assert next(i for i in page.items.rows if i.id == first.id).assignee is None

    # Someone not offered (a name given before the practice had users) stays the choice: Enter keeps it.
    page.select_items({second.id})
    _apply(qtbot, page, ItemChange(assignee="anne"))
    kept: list[str] = []

    def keep() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AssigneeDialog)
        kept.append(dialog.who.currentText())
        dialog.reject()

    page.select_items({second.id})
    QTimer.singleShot(0, keep)
    page.ask_assignee()
    assert kept == ["anne"]


def test_the_assignee_picker_offers_the_practice_users_who_work_lists(
    qtbot: QtBot, store: Store, demo_files: Path
) -> None:
    import_path(store, demo_files)
    users = UserDirectory(store)
    assert users.add(os_actor(), "admin", "Ada Admin", Role.ADMIN, PASSWORD) is not None
    admin = users.authenticate("admin", PASSWORD)
    users.add(admin, "laege", "Lis Læge", Role.GP, PASSWORD)
    users.add(admin, "sekretaer", "Sofie Sekretær", Role.SECRETARY, PASSWORD)
    gp = Actor(user="laege", role=Role.GP, workstation="consultation-2")
    WorklistService(store, lambda: gp, lambda: AS_OF).create([INDICATOR])
    win = MainWindow(lambda _report: Practice(store, today=lambda: AS_OF))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.sign_in_required, timeout=10_000):
        win.show()
        win.start()
    page = win.worklists
    with qtbot.waitSignals([page.items_shown, page.assignees_shown], timeout=10_000):
        _sign_in(win, "sekretaer")
    qtbot.keyClick(win, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    item = page.items.rows[0]
    page.select_items({item.id})
    labels: list[list[str]] = []

    def pick() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AssigneeDialog)
        labels.append([dialog.who.itemText(i) for i in range(dialog.who.count())])
        qtbot.keyClick(dialog.who, Qt.Key.Key_L)  # typing finds "Lis Læge"
        qtbot.keyClick(dialog.who, Qt.Key.Key_Return)

    QTimer.singleShot(0, pick)
    with qtbot.waitSignals([page.changed, page.items_shown], timeout=10_000):
        qtbot.keyClick(page.item_view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    # Not the administrator (who does not work lists), and roles by their Danish names.
    assert labels == [
        [
            "Ingen (fjern tildelingen)",
            "Lis Læge (laege, læge)",
            "Sofie Sekretær (sekretaer, sekretær)",
            "Rolle: læge",
            "Rolle: sygeplejerske",
            "Rolle: sekretær",
        ]
    ]
    assert next(i for i in page.items.rows if i.id == item.id).assignee == "laege"


def test_the_plan_is_written_in_the_window_by_keyboard(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    page = _create_list(qtbot, window)
    problems: list[str] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PlanDialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # what, how and who are still missing
        qtbot.keyClicks(dialog.what, "Indkald alle til HbA1c")
        qtbot.keyClick(dialog.what, Qt.Key.Key_Tab)
        assert dialog.focusWidget() is dialog.how  # Tab goes on; it does not type a tab
        qtbot.keyClicks(dialog.how, "Sygeplejersken ringer og booker")
        qtbot.keyClick(dialog.how, Qt.Key.Key_Tab)
        assert dialog.focusWidget() is dialog.who
        qtbot.keyClicks(dialog.who, "anne")
        dialog.by.setDate(QDate(2027, 3, 1))
        qtbot.keyClicks(dialog.target, "80 % inden for 12 mdr")
        dialog.has_review.setChecked(True)
        dialog.review.setDate(QDate(2027, 2, 1))
        problems.append(dialog.problem.text())
        assert not ok.isEnabled()  # the review before the deadline
        dialog.review.setDate(QDate(2027, 4, 1))
        assert ok.isEnabled()
        qtbot.keyClick(dialog.target, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill)
    page.item_view.setFocus()
    with qtbot.waitSignals([page.plan_saved, page.lists_shown], timeout=10_000):
        qtbot.keyClick(page.item_view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert problems == ["Evalueringsdatoen ligger før fristen."]
    summary = page.current_list()
    assert summary is not None
    expected = Plan(
        what="Indkald alle til HbA1c",
        how="Sygeplejersken ringer og booker",
        who="anne",
        by=date(2027, 3, 1),
        target="80 % inden for 12 mdr",
        review=date(2027, 4, 1),
    )
    assert summary.plan == expected
    assert WorklistService(store, lambda: OTHER, lambda: AS_OF).get(summary.id).plan == expected
    text = page.plan.text()
    assert "Indkald alle til HbA1c" in text and "01-03-2027" in text and "01-04-2027" in text

    def check_and_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PlanDialog)
        problems.append(dialog.what.toPlainText())  # the plan as written, to change
        assert dialog.value() == expected
        qtbot.keyClick(dialog.what, Qt.Key.Key_Escape)

    QTimer.singleShot(0, check_and_cancel)
    page.edit_plan()
    assert problems[-1] == "Indkald alle til HbA1c"


@pytest.mark.usefixtures("qapp")
def test_the_items_model_asks_for_one_window_at_a_time_and_appends_only_what_follows() -> None:
    def item(n: int) -> ItemView:
        return ItemView(
            id=n, list_id=1, patient_id=n, patient_fhir_id=f"p{n}", cpr=None, name=f"P {n}",
            indicator_id=INDICATOR, status="new", reason=None, assignee=None, due=None, priority=2,
            version=1, created_at=datetime(2026, 11, 1), closed_at=None, resolved_at=None, overdue=False,
        )  # fmt: skip

    model = ItemsModel(ITEM_COLUMNS, ITEM_SORT_KEYS)
    wanted: list[int] = []
    model.more_wanted.connect(wanted.append)
    model.show_first(ItemPage(total=7, offset=0, items=(item(1), item(2), item(3))))
    assert (model.rowCount(), model.total, model.canFetchMore()) == (3, 7, True)
    model.fetchMore()
    model.fetchMore()  # asked once: the window is on its way
    assert wanted == [3] and not model.canFetchMore()
    model.append(ItemPage(total=7, offset=5, items=(item(6),)))  # does not follow the rows shown: dropped
    assert model.rowCount() == 3 and model.canFetchMore()
    model.fetchMore()
    # Item 3 moved down meanwhile (the list changed between two windows): shown once.
    model.append(ItemPage(total=7, offset=3, items=(item(3), item(4), item(5))))
    assert [model.row(n).id for n in range(model.rowCount())] == [1, 2, 3, 4, 5]
    model.fetchMore()
    model.append(ItemPage(total=6, offset=5, items=()))  # the list shrank: nothing more to ask for
    assert wanted == [3, 3, 5] and not model.canFetchMore() and model.total == 5
    # After a change: the changed item in its row, the one the filter no longer shows away.
    changed = replace(item(2), status="contacted", version=2)
    model.replace({2, 4}, [changed])
    assert [model.row(n).id for n in range(model.rowCount())] == [1, 2, 3, 5]
    assert model.row(1).status == "contacted" and model.total == 4
    # A header click sorts in the store: the model only says which order is wanted.
    orders: list[bool] = []
    model.sort_wanted.connect(lambda: orders.append(True))
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.sort(7)  # the evidence column has no order: back to the default
    assert orders == [True, True] and model.sort_order.key is None
