"""The first window, offscreen, on a real encrypted store filled by a real import."""

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from cockpit.errors import StoreKeyMissingError
from cockpit.fhir.importer import import_path
from cockpit.services.patients import PatientRecord, PatientService
from cockpit.store import Store
from cockpit.views.main_window import MainWindow
from cockpit.views.patient_table import PatientTableModel
from cockpit.views.record_html import render_record
from tests.conftest import DK_EXAMPLES, SYNTHEA

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, store: Store) -> MainWindow:
    import_path(store, DK_EXAMPLES)
    win = MainWindow(lambda: PatientService(store))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.patients_shown, timeout=10_000):
        win.show()
        win.start()
    return win


def test_the_store_opens_in_the_background_and_lists_every_patient(window: MainWindow) -> None:
    assert window.model.rowCount() == 2
    names = {window.model.patient_at(r).name for r in range(2)}
    assert any("Meyerhofen" in n for n in names)
    assert window.search.isEnabled()
    assert "2 patienter" in window.statusBar().currentMessage()


def test_typing_a_cpr_with_a_dash_finds_the_patient_and_shows_the_record(
    qtbot: QtBot, window: MainWindow
) -> None:
    with qtbot.waitSignal(window.record_shown, timeout=10_000):
        qtbot.keyClicks(window.search, "111264-0001")
    assert window.model.rowCount() == 1
    html = window.record.toHtml()
    assert "Meyerhofen" in html
    assert "DE11" in html  # his type 2 diabetes, SKS-coded
    assert "111264-0001" in html


def test_ctrl_f_focuses_search_and_escape_clears_it(qtbot: QtBot, window: MainWindow) -> None:
    window.table.setFocus()
    with qtbot.waitSignal(window.patients_shown, timeout=10_000):
        qtbot.keyClicks(window.search, "zzz-nobody")
    assert window.model.rowCount() == 0
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    with qtbot.waitSignal(window.patients_shown, timeout=10_000):
        qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == ""
    assert window.model.rowCount() == 2


def test_a_store_that_cannot_be_opened_is_explained_in_the_window(qtbot: QtBot) -> None:
    def refuse() -> PatientService:
        raise StoreKeyMissingError("The encryption key of the store is not in the OS keyring.")

    win = MainWindow(refuse)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.failed, timeout=10_000):
        win.show()
        win.start()
    assert win.notice.isVisible()
    assert "not in the OS keyring" in win.notice.text()
    assert not win.search.isEnabled()


def test_the_patient_table_model_is_a_well_behaved_qt_model(qtmodeltester: ModelTester, store: Store) -> None:
    import_path(store, SYNTHEA)
    model = PatientTableModel()
    model.set_patients(PatientService(store).search(""))
    assert model.rowCount() == 100
    qtmodeltester.check(model)


def test_values_from_the_record_are_shown_as_text_never_as_markup() -> None:
    record = PatientRecord(
        patient={"name": "<b>Bold</b>", "cpr": "0101011234", "birth_date": None, "sex": "male"},
        conditions=[{"code": "<script>", "display": "x & y"}],
        medications=[],
        observations=[],
        encounters=[],
        home_care=[],
    )
    html = render_record(record)
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert "<script>" not in html and "x &amp; y" in html
