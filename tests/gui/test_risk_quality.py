"""The risk list says when the practice's coding makes it unreliable: four hypertensives of whom three
have no blood pressure in a recognised code (two have one in a local code), checked by hand."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import orjson
import pytest
from pytestqt.qtbot import QtBot

from cockpit.fhir.importer import import_path
from cockpit.services.practice import Practice
from cockpit.store import Store
from cockpit.views.main_window import MainWindow
from tests.indicators.test_quality import hypertensives

pytestmark = pytest.mark.gui
AS_OF = date(2025, 6, 30)


@pytest.fixture
def window(qtbot: QtBot, store: Store, tmp_path: Path) -> Iterator[MainWindow]:
    source = tmp_path / "hypertensives.ndjson"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in hypertensives()))
    import_path(store, source)
    win = MainWindow(lambda _report: Practice(store, today=lambda: AS_OF))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.risk_lists_shown, timeout=30_000):
        win.show()
        win.start()
    yield win


def _choose(window: MainWindow, indicator_id: str) -> None:
    risk = window.risk
    risk.list_view.selectRow(next(i for i, r in enumerate(risk.lists.rows) if r.indicator.id == indicator_id))


def test_the_warning_is_shown_beside_an_unreliable_list_only(qtbot: QtBot, window: MainWindow) -> None:
    window.pages.setCurrentWidget(window.risk)
    _choose(window, "HT-BP-12M")
    qtbot.waitUntil(window.risk.quality.isVisible, timeout=10_000)
    text = window.risk.quality.text()
    assert "75 %" in text
    assert "BT-SYS (Blodtryk systolisk)" in text
    _choose(window, "DM-HBA1C-12M")  # nobody has diabetes: nothing to warn about
    qtbot.waitUntil(lambda: not window.risk.quality.isVisible(), timeout=10_000)
    qtbot.wait(200)  # the answer for DM-HBA1C-12M has come and kept it hidden
    assert not window.risk.quality.isVisible()
