"""The interface language at run time: Danish by default, English on request, numbers following the language,
and a missing English catalogue falling back to Danish."""

import logging
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cockpit.fhir.importer import import_path
from cockpit.services.practice import Practice
from cockpit.store import Store
from cockpit.views import i18n
from cockpit.views.charts.axes import DanishDateAxis, DecimalCommaAxis
from cockpit.views.charts.contacts import summary_text
from cockpit.views.charts.formatting import (
    days_label,
    format_count,
    format_number,
    month_abbreviation,
    to_epoch_seconds,
)
from cockpit.views.main_window import MainWindow
from cockpit.views.rows_model import RowsTableModel
from tests.conftest import DK_EXAMPLES
from tests.i18n.conftest import Install

pytestmark = pytest.mark.gui
TODAY = date(2026, 11, 22)
ELSE_CPR = "0201919990"  # Else Test Lauridsen: INR 1, P-kalium 3,0 and P-natrium 150


def headers(model: RowsTableModel[Any]) -> list[str]:
    return [
        model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for column in range(model.columnCount())
    ]


def column_texts(model: RowsTableModel[Any], column: int) -> list[str]:
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def open_window(qtbot: QtBot, store: Store) -> MainWindow:
    import_path(store, DK_EXAMPLES)
    window = MainWindow(lambda _report: Practice(store, today=lambda: TODAY))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.patients_shown, timeout=10_000):
        window.show()
        window.start()
    with qtbot.waitSignal(window.overview_shown, timeout=10_000):
        window.open_patient(ELSE_CPR)
    return window


# -- the window ---------------------------------------------------------------------------------------------


def test_in_english_the_window_reads_english_with_decimal_points(
    qtbot: QtBot, store: Store, install: Install
) -> None:
    install("en")
    window = open_window(qtbot, store)
    panel = window.panel
    assert window.search.placeholderText() == "Search: name, CPR no. or date of birth  (Ctrl+F)"
    assert [window.model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Name",
        "CPR no.",
        "Born",
    ]
    assert window.statusBar().currentMessage() == "2 patients found"
    titles = [s.title() for s in (panel.attention, panel.diagnoses, panel.medications, panel.labs)]
    assert [t.split(" (")[0] for t in titles] == ["Attention", "Diagnoses", "Medication", "Laboratory"]
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == [
        "&Contacts",
        "&Trend",
        "&Home care",
        "&Raw data",
    ]
    assert headers(panel.labs.model) == ["Test", "Value", "Unit", "Date", "Ref.", "Flag", "Target"]
    assert headers(panel.medications.model)[:3] == ["Drug", "Strength", "Dosage"]
    values = column_texts(panel.labs.model, 1)
    assert "3.0" in values, values  # P-kalium, printed with one decimal
    assert not any("," in v for v in values)
    details = panel.header.details.text()
    assert "Female" in details and " years" in details, details


def test_in_danish_the_window_reads_danish_with_decimal_commas(
    qtbot: QtBot, store: Store, install: Install
) -> None:
    install("da")
    window = open_window(qtbot, store)
    panel = window.panel
    assert window.search.placeholderText() == "Søg: navn, CPR-nr. eller fødselsdato  (Ctrl+F)"
    assert [window.model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Navn",
        "CPR-nr.",
        "Født",
    ]
    titles = [s.title() for s in (panel.attention, panel.diagnoses, panel.medications, panel.labs)]
    assert [t.split(" (")[0] for t in titles] == ["Opmærksomhed", "Diagnoser", "Medicin", "Laboratorie"]
    assert headers(panel.labs.model) == ["Analyse", "Værdi", "Enhed", "Dato", "Ref.", "Flag", "Mål"]
    values = column_texts(panel.labs.model, 1)
    assert "3,0" in values, values
    assert "Kvinde" in panel.header.details.text()


def test_the_raw_record_follows_the_language(qtbot: QtBot, store: Store, install: Install) -> None:
    install("en")
    window = open_window(qtbot, store)
    window.panel.tabs.setCurrentWidget(window.panel.raw)
    qtbot.waitUntil(lambda: "Laboratory results" in window.panel.raw.toPlainText(), timeout=10_000)
    text = window.panel.raw.toPlainText()
    assert "born 02-02-1991" in text and "Medication (0)" in text and "None" in text


# -- formatting ---------------------------------------------------------------------------------------------


def test_danish_is_the_default_even_without_install() -> None:
    assert i18n.active_language() == "da"
    assert (format_number(7.25, 2), format_count(12345), month_abbreviation(5)) == ("7,25", "12.345", "maj")


def test_numbers_months_and_counts_follow_the_language(install: Install) -> None:
    install("en")
    assert (format_number(7.25, 2), format_number(-0.04, 1), format_count(12345)) == ("7.25", "0.0", "12,345")
    assert [month_abbreviation(m) for m in (1, 5, 10)] == ["Jan", "May", "Oct"]
    assert [days_label(n) for n in (1, 5)] == ["1 day", "5 days"]
    assert DecimalCommaAxis("left").tickStrings([4.5, 5.0], 1.0, 0.5) == ["4.5", "5.0"]
    assert QLocale().decimalPoint() == "."
    install("da")
    assert (format_number(7.25, 2), format_count(12345), month_abbreviation(5)) == ("7,25", "12.345", "maj")
    assert DecimalCommaAxis("left").tickStrings([4.5, 5.0], 1.0, 0.5) == ["4,5", "5,0"]
    assert QLocale().decimalPoint() == ","
    assert QLocale().name() == "da_DK"


def test_month_names_on_the_date_axis_follow_the_language(install: Install) -> None:
    install("en")
    axis = DanishDateAxis()
    levels = axis.tickValues(to_epoch_seconds(date(2025, 12, 1)), to_epoch_seconds(date(2026, 12, 31)), 1200)
    labels = [label for spacing, values in levels for label in axis.tickStrings(values, 1.0, spacing)]
    assert "May" in labels and "maj" not in labels


def test_count_phrases_are_whole_phrases_in_each_language(install: Install) -> None:
    counts = {"gp_consultation": 1, "home_visit": 2, "inpatient": 2}
    assert summary_text("12 måneder", counts, 9) == (
        "12 måneder: 1 konsultation, 2 sygebesøg, 2 indlæggelser (i alt 9 dage)"
    )
    install("en")
    assert summary_text("12 months", counts, 9) == (
        "12 months: 1 consultation, 2 home visits, 2 admissions (9 days in total)"
    )
    assert summary_text("12 months", {}, 0) == "12 months: no contacts"


# -- installing ---------------------------------------------------------------------------------------------


def test_qt_s_own_texts_follow_the_language(install: Install) -> None:
    install("da")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuller"
    install("en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_a_missing_english_catalogue_leaves_the_interface_danish(
    install: Install, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path / "nothing-here")
    with caplog.at_level(logging.WARNING, logger=i18n.__name__):
        install("en")
    assert "cockpit_en.qm" in caplog.text and "using Danish" in caplog.text
    assert i18n.active_language() == "da"
    assert QCoreApplication.translate("Column", "Navn") == "Navn"
    assert format_number(1.5, 1) == "1,5"
    assert QLocale().name() == "da_DK"


def test_an_unknown_language_is_danish_with_a_warning(
    install: Install, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger=i18n.__name__):
        install("de")
    assert "unknown interface language 'de'" in caplog.text
    assert i18n.active_language() == "da"


def test_installing_twice_replaces_the_translators_and_removing_restores_danish(
    qapp: QApplication, install: Install
) -> None:
    locale_before = QLocale().name()
    install("en")
    install("en")
    assert QCoreApplication.translate("Column", "Navn") == "Name"
    i18n.remove_translators(qapp)
    assert QCoreApplication.translate("Column", "Navn") == "Navn"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert format_number(1.5, 1) == "1,5"
    assert QLocale().name() == locale_before
