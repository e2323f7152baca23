"""A new user's first start on the demo practice: the Follow-up tab (Ctrl+4) shows real work, the
cluster's list with its implementation plan and items that staff are working on."""

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cockpit.services.demo import (
    DEMO_GP,
    DEMO_LIST_NAME,
    DEMO_NURSE,
    DEMO_SECRETARY,
    DEMO_THEME_PACK,
    ensure_demo_practice,
)
from cockpit.services.practice import Practice
from cockpit.store import Store
from cockpit.views.main_window import MainWindow

pytestmark = pytest.mark.gui
AS_OF = date(2026, 11, 22)


@pytest.fixture
def window(qtbot: QtBot, store: Store) -> Iterator[MainWindow]:
    # The demo as `cockpit --demo` builds it on first start (2,000 patients).
    assert ensure_demo_practice(store, lambda _text, _done: None, as_of=AS_OF)
    win = MainWindow(lambda _report: Practice(store, today=lambda: AS_OF), demo=True)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.risk_lists_shown, timeout=30_000):
        win.show()
        win.start()
    yield win


def test_the_follow_up_tab_of_a_fresh_demo_shows_the_list_its_plan_and_work_in_progress(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.worklists
    qtbot.waitUntil(lambda: page.items.rowCount() > 0, timeout=10_000)  # read when the window opened
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is page
    [summary] = page.lists.rows
    assert summary.name == DEMO_LIST_NAME
    assert summary.follows
    # The cluster's theme: every indicator of the pack (the demo practice chose them all).
    diabetes = {r.indicator.id for r in window.risk.lists.rows if r.indicator.pack_id == DEMO_THEME_PACK}
    assert set(summary.indicator_ids) == diabetes and len(diabetes) >= 4
    assert summary.plan is not None and summary.plan.who.startswith("Lene")
    assert "Implementeringsplan" in page.plan.text()
    assert "Alle med type 2-diabetes får årskontrol" in page.plan.text()
    # The tab opens on the open items: three states of work in progress...
    assert {item.status for item in page.items.rows} == {"new", "contacted", "booked"}
    # ...and all of them shows the closed ones too.
    with qtbot.waitSignal(page.items_shown, timeout=10_000):
        page.status.setCurrentIndex(page.status.findData(""))
    statuses = {item.status for item in page.items.rows}
    assert statuses == {"new", "contacted", "booked", "done", "not_relevant", "declined"}
    assignees = {item.assignee for item in page.items.rows}
    assert {DEMO_GP, DEMO_NURSE, DEMO_SECRETARY} <= assignees
    declined = next(item for item in page.items.rows if item.status == "declined")
    assert declined.reason == "patient_declined"
    booked = [item for item in page.items.rows if item.status == "booked"]
    assert booked and all(item.due is not None and item.due > AS_OF for item in booked)
