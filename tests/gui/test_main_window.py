"""The main window, offscreen, on a real encrypted store filled by a real import."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from cockpit.errors import StoreKeyMissingError
from cockpit.fhir.importer import import_path
from cockpit.services.patients import PatientRecord, PatientService
from cockpit.services.practice import Practice
from cockpit.store import Store
from cockpit.views.main_window import MainWindow, Report
from cockpit.views.patient_table import PatientTableModel
from cockpit.views.record_html import render_record
from tests.conftest import DK_EXAMPLES, SYNTHEA

pytestmark = pytest.mark.gui
TODAY = date(2026, 11, 22)


@pytest.fixture
def window(qtbot: QtBot, store: Store) -> MainWindow:
    import_path(store, DK_EXAMPLES)
    win = MainWindow(lambda _report: Practice(store, today=lambda: TODAY))
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


def test_the_status_bar_says_when_the_data_is_on_the_practice_server(
    window: MainWindow, backend: str
) -> None:
    if backend == "postgres":
        assert window.server_label.isVisible()
        assert window.server_label.text() == "Praksisserver: 127.0.0.1"
    else:
        assert window.server_label.isHidden()


def test_typing_a_cpr_with_a_dash_finds_the_patient_and_shows_the_overview(
    qtbot: QtBot, window: MainWindow
) -> None:
    with qtbot.waitSignal(window.overview_shown, timeout=10_000):
        qtbot.keyClicks(window.search, "111264-0001")
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.model.rowCount() == 1
    header = window.panel.header
    assert header.name.text() == "John Christian Meyerhofen"
    assert "111264-xxxx" in header.details.text()  # masked until asked for
    assert "1112640001" not in header.details.text()
    diagnoses = window.panel.diagnoses.model.rows
    assert [(d.code, d.system_label) for d in diagnoses] == [("DE11", "SKS")]


def test_the_cpr_number_is_revealed_on_demand(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.overview_shown, timeout=10_000):
        qtbot.keyClicks(window.search, "meyerhofen")
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
    with qtbot.waitSignal(window.panel.header.cpr_revealed, timeout=2_000):
        qtbot.keyClick(
            window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
    assert "111264-0001" in window.panel.header.details.text()


def test_typing_alone_opens_no_record(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.patients_shown, timeout=10_000):
        qtbot.keyClicks(window.search, "meyerhofen")
    assert window.model.rowCount() == 1
    qtbot.wait(200)
    assert window.current_patient is None  # a look-up happens only when the user asks for one


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


def test_a_patient_can_be_opened_by_cpr_as_the_clinic_system_does(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.overview_shown, timeout=10_000) as shown:
        window.open_patient("1112640001")
    assert window.current_patient is not None
    assert shown.args == [window.current_patient.id]
    assert window.recent.count() == 1


def test_a_store_that_cannot_be_opened_is_explained_in_the_window(qtbot: QtBot) -> None:
    def refuse(_report: Report) -> Practice:
        raise StoreKeyMissingError("The encryption key of the store is not in the OS keyring.")

    win = MainWindow(refuse)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.failed, timeout=10_000):
        win.show()
        win.start()
    assert win.notice.isVisible()
    head, detail = win.notice.text().split("\n")  # in Danish what to do, then the error's own text
    assert head.startswith("Databasens nøgle findes ikke i computerens nøglering. Kontakt IT")
    assert "not in the OS keyring" in detail
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
