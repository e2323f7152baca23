"""The cockpit window driven as a GP would, on a generated demo practice."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cockpit.demo.generator import generate_practice
from cockpit.fhir.importer import import_path
from cockpit.services.practice import Practice
from cockpit.store import Store
from cockpit.views.main_window import MainWindow

pytestmark = pytest.mark.gui
AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate_practice(out, patients=300, seed=7, as_of=AS_OF)
    return out


@pytest.fixture
def cockpit(qtbot: QtBot, store: Store, demo_files: Path) -> Iterator[tuple[MainWindow, Practice]]:
    import_path(store, demo_files)
    practice = Practice(store, today=lambda: AS_OF)
    win = MainWindow(lambda _report: practice)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.patients_shown, timeout=15_000):
        win.show()
        win.start()
    yield win, practice


def _a_diabetic_on_many_drugs(practice: Practice) -> int:
    for patient in practice.search("", limit=None):
        overview = practice.patient_overview(patient.id)
        has_diabetes = any(d.active and d.code in {"T90", "DE119"} for d in overview.diagnoses)
        if (
            has_diabetes
            and overview.active_substances >= 5
            and any(lab.key == "hba1c" for lab in overview.labs)
        ):
            return patient.id
    raise AssertionError("the demo practice should have diabetics on five or more drugs")


def test_search_by_part_of_a_name_finds_only_matching_patients(
    qtbot: QtBot, cockpit: tuple[MainWindow, Practice]
) -> None:
    window, practice = cockpit
    somebody = practice.search("", limit=1)[0]
    family = somebody.name.split()[-1]
    with qtbot.waitSignal(window.patients_shown, timeout=10_000):
        qtbot.keyClicks(window.search, family[:4].lower())  # ASCII: keyClicks aborts on æøå
    shown = [window.model.patient_at(r) for r in range(window.model.rowCount())]
    assert somebody.id in {p.id for p in shown}
    assert all(family[:4].lower() in p.name.lower() or family[:4] in (p.cpr or "") for p in shown)


def test_switching_patients_quickly_never_mixes_their_data(
    qtbot: QtBot, cockpit: tuple[MainWindow, Practice]
) -> None:
    window, practice = cockpit
    for row in range(12):  # faster than the worker can answer: earlier answers must be dropped
        window.table.selectRow(row)
    last = window.model.patient_at(window.proxy.mapToSource(window.proxy.index(11, 0)).row())
    qtbot.waitUntil(
        lambda: window.panel.overview is not None and window.panel.overview.header.patient_id == last.id,
        timeout=10_000,
    )
    shown = window.panel.overview
    assert shown is not None
    expected = practice.patient_overview(last.id)
    assert window.panel.header.name.text().startswith(last.name)
    assert window.panel.diagnoses.model.rows == list(expected.diagnoses)
    assert window.panel.medications.model.rows == list(expected.medications)
    assert window.panel.labs.model.rows == list(expected.labs)


def test_a_lab_trend_opens_from_the_keyboard(qtbot: QtBot, cockpit: tuple[MainWindow, Practice]) -> None:
    window, practice = cockpit
    patient_id = _a_diabetic_on_many_drugs(practice)
    with qtbot.waitSignal(window.overview_shown, timeout=10_000):
        window.open_patient(str(patient_id))
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)  # Alt+4: the lab table
    labs = window.panel.labs
    assert labs.table.hasFocus()
    hba1c_row = next(i for i, r in enumerate(labs.model.rows) if r.key == "hba1c")
    labs.table.setCurrentIndex(labs.proxy.index(hba1c_row, 0))
    with qtbot.waitSignal(window.trend_shown, timeout=10_000) as shown:
        qtbot.keyClick(labs.table, Qt.Key.Key_Return)
    assert shown.args == ["hba1c"]
    assert window.panel.tabs.currentWidget() is window.panel.trend
    series = practice.lab_series(patient_id, "hba1c")
    assert "HbA1c" in window.panel.trend.summary_text()
    assert str(len(series.points)) in window.panel.trend.summary_text()


def test_the_contacts_timeline_filters_by_kind(qtbot: QtBot, cockpit: tuple[MainWindow, Practice]) -> None:
    window, practice = cockpit
    patient_id = _a_diabetic_on_many_drugs(practice)
    with qtbot.waitSignal(window.overview_shown, timeout=10_000):
        window.open_patient(str(patient_id))
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)  # Alt+5: contacts
    timeline = window.panel.timeline
    assert window.panel.tabs.currentWidget() is timeline
    counts = timeline.visible_counts()
    assert counts, "a diabetic on five drugs has contacts in a year"
    kind = next(iter(counts))
    timeline.filter_checkboxes[kind].setChecked(False)  # as a click or Space on the checkbox does
    assert kind not in timeline.visible_counts() or timeline.visible_counts()[kind] == 0


def test_keyboard_only_from_search_to_a_section(qtbot: QtBot, cockpit: tuple[MainWindow, Practice]) -> None:
    window, practice = cockpit
    patient = practice.summary(_a_diabetic_on_many_drugs(practice))
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    with qtbot.waitSignal(window.overview_shown, timeout=10_000) as shown:
        qtbot.keyClicks(window.search, patient.cpr or "")  # digits only: keyClicks is ASCII-safe here
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert shown.args == [patient.id]
    assert window.table.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert window.panel.medications.table.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert window.panel.diagnoses.table.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.AltModifier)
    assert window.panel.tabs.currentWidget() is window.panel.home_care
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.AltModifier)
    assert window.table.hasFocus()
