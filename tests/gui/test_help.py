"""Help in the window: F1 lists every shortcut the window has (read from the window itself), "?" beside an
indicator shows its definition, source and data quality, About names the third-party software with its
licences, and a cut-off table text shows whole as its tooltip."""

from collections.abc import Iterator
from datetime import date
from importlib import metadata
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from pytestqt.qtbot import QtBot

from cockpit.demo.generator import generate_practice
from cockpit.fhir.importer import import_path
from cockpit.services.practice import Practice
from cockpit.store import Store
from cockpit.views.elide import ElidingDelegate, elided_tooltip
from cockpit.views.help.about import AboutDialog
from cockpit.views.help.indicator import IndicatorDialog
from cockpit.views.help.menu import show_about
from cockpit.views.help.page import HelpDialog
from cockpit.views.main_window import MainWindow

pytestmark = pytest.mark.gui
AS_OF = date(2026, 11, 22)
NATIVE = QKeySequence.SequenceFormat.NativeText


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("help")
    generate_practice(out, patients=200, seed=7, as_of=AS_OF)
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


def _help_rows(dialog: HelpDialog) -> list[tuple[str, ...]]:
    """The rows of the help page's tables as the user reads them: (cell, cell, ...)."""
    lines = dialog.browser.document().toMarkdown().splitlines()
    return [
        tuple(cell.strip().strip("`*") for cell in line.strip("|").split("|"))
        for line in lines
        if line.startswith("|")
    ]


def test_f1_shows_the_help_with_every_shortcut_of_the_window(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    [dialog] = window.findChildren(HelpDialog)
    assert dialog.isVisible()
    text = dialog.browser.toPlainText()
    # Every key the window answers to, with what it does (read independently of the help's own reader).
    expected = [
        (s.key().toString(NATIVE), s.whatsThis())
        for s in window.findChildren(QShortcut)
        if not s.key().isEmpty()
    ]
    expected += [
        (k.toString(NATIVE), a.text().replace("&", "").removesuffix(" …"))
        for a in window.findChildren(QAction)
        for k in a.shortcuts()
    ]
    assert len(expected) >= 25
    for keys, what in expected:
        assert what, f"{keys} has no description"
        assert any(row[:2] == (keys, what) for row in _help_rows(dialog)), (keys, what)
    # Hand-checked: the keyboard-first keys of the issue, and a key that works on one page only.
    for keys, what in [
        ("Ctrl+K", "Søg efter en patient"),
        ("Alt+1", "Opmærksomhed"),
        ("Ctrl+Shift+C", "Vis hele CPR-nummeret"),
        ("F5", "Synkronisér nu"),
        ("Ctrl+4", "Siden Opfølgning"),
        ("F1", "Hjælp og genveje"),
        ("Ctrl+L", "Lås nu"),
    ]:
        assert (keys, what, "Hele vinduet") in _help_rows(dialog)
    assert ("Ctrl+E", "Eksportér den viste liste som CSV", "Risikolister") in _help_rows(dialog)
    assert ("F2", "Status", "Opfølgning") in _help_rows(dialog)
    # What each page is for, and how to read a risk list.
    assert "Sådan læses en risikoliste" in text
    assert "Opfølgningslister: hvem ringer til hvem" in text
    # F1 again: still one help page.
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: len([d for d in window.findChildren(HelpDialog) if d.isVisible()]) == 1)


def test_the_question_mark_shows_the_indicators_definition_source_and_data_quality(
    qtbot: QtBot, window: MainWindow
) -> None:
    risk = window.risk
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    row = next(i for i, r in enumerate(risk.lists.rows) if r.indicator.id == "DM-HBA1C-12M")
    header = risk.definition_header  # "?" beside each indicator: the list's row header
    assert header.isVisible() and header.width() > 0
    mark = QPoint(header.width() // 2, header.sectionViewportPosition(row) + header.sectionSize(row) // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=mark)
    [dialog] = risk.findChildren(IndicatorDialog)
    text = dialog.browser.toPlainText()
    assert "Type 2-diabetes uden HbA1c inden for 12 måneder" in text
    assert "DM-HBA1C-12M" in text
    assert "Population (nævneren)" in text and "condition t2d" in text
    assert "https://vejledninger.dsam.dk/type2/?mode=showPage&pageId=142" in text
    assert "Datakvalitet" in text and "i en kendt kode" in text


def test_about_lists_the_third_party_software_with_versions_and_licence_texts(window: MainWindow) -> None:
    dialog = show_about(window)
    assert isinstance(dialog, AboutDialog)
    rows = {c.name: c for c in dialog.model.rows}
    assert rows["SQLAlchemy"].version == metadata.version("sqlalchemy")
    assert rows["Qt"].version == metadata.version("pyside6-essentials")
    assert rows["Qt"].licence == "LGPL-3.0-only"
    assert "SQLCipher" in rows and "httpx" in rows and "keyring" in rows
    dialog.table.selectRow(dialog.model.rows.index(rows["Qt"]))
    assert "How to replace the library" in dialog.text.toPlainText()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in dialog.text.toPlainText()


def test_a_cut_off_table_text_has_the_whole_text_as_its_tooltip(window: MainWindow) -> None:
    view = window.risk.list_view
    # Every table of the window that draws its cells the default way gets the tooltips.
    assert isinstance(view.itemDelegate(), ElidingDelegate)
    assert isinstance(window.worklists.item_view.itemDelegate(), ElidingDelegate)
    row = next(i for i, r in enumerate(window.risk.lists.rows) if r.indicator.id == "DM-HBA1C-12M")
    index = view.model().index(row, 0)
    title = "Type 2-diabetes uden HbA1c inden for 12 måneder"
    assert elided_tooltip(view, index, width=60) == f"{title}\nDM-HBA1C-12M"  # with the cell's own tooltip
    assert elided_tooltip(view, index, width=2000) is None  # fits: the cell's own tooltip as before
