"""An unexpected error in the window is logged and shown with a report to copy, and neither carries the
patient data an exception's message may hold."""

import logging
import sys

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

import cockpit
from cockpit.views.crash import CrashDialog, CrashHandler, crash_report, install_excepthook

pytestmark = pytest.mark.gui

CPR = "0101011234"
NAME = "Jensine Testesen"


class _Emitter(QObject):
    fire = Signal()


def _look_up_the_patient() -> None:
    raise ValueError(f"no journal for {NAME} ({CPR})")


def _slot_that_fails() -> None:
    try:
        _look_up_the_patient()
    except ValueError as error:
        raise KeyError(CPR) from error


def _another_slot_that_fails() -> None:
    raise RuntimeError(NAME)


def _shown(handler: CrashHandler) -> CrashDialog | None:
    return handler.dialog


@pytest.mark.qt_no_exception_capture  # the hook under test, not pytest-qt's, receives the error
def test_an_error_in_a_slot_shows_a_report_without_patient_data_and_is_logged(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    before = sys.excepthook
    handler = install_excepthook("the-log-place")
    emitter = _Emitter()
    emitter.fire.connect(_slot_that_fails)
    try:
        with caplog.at_level(logging.ERROR, logger="cockpit.views.crash"):
            QTimer.singleShot(0, emitter.fire.emit)  # raised from the event loop, as in the window
            # The event loop goes on while the dialog is open: waiting here would time out otherwise.
            qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible(), timeout=5_000)
        dialog = handler.dialog
        assert isinstance(dialog, CrashDialog)
        report = dialog.report.toPlainText()
        # The chain, oldest first: each type with its frames (file, line, function), nothing else.
        assert report.index("ValueError") < report.index("KeyError")
        assert "direct cause" in report
        assert 'File "tests/gui/test_crash.py", line ' in report
        assert "in _look_up_the_patient" in report and "in _slot_that_fails" in report
        assert f"Patient Cockpit {cockpit.__version__}" in report and "Qt 6." in report
        assert CPR not in report and "Jensine" not in report and "journal" not in report
        assert "the-log-place" in dialog.where.text()
        logged = "\n".join(record.getMessage() for record in caplog.records)
        assert "KeyError" in logged and "in _slot_that_fails" in logged
        assert CPR not in logged and "Jensine" not in logged and "journal" not in logged
        dialog.copy_button.click()
        assert QGuiApplication.clipboard().text() == report
        # A second error while the dialog is open joins its report instead of opening another dialog.
        # The same error again (a paint handler failing on every repaint) is not added twice.
        emitter.fire.connect(_another_slot_that_fails)
        QTimer.singleShot(0, emitter.fire.emit)
        qtbot.waitUntil(lambda: "in _another_slot_that_fails" in dialog.report.toPlainText(), timeout=5_000)
        assert dialog.report.toPlainText().count("KeyError") == 1
        assert _shown(handler) is dialog
        dialog.reject()
        assert _shown(handler) is None
    finally:
        handler.uninstall()
    assert sys.excepthook is before


def test_the_report_names_files_lines_and_functions_only() -> None:
    try:
        _look_up_the_patient()
    except ValueError as error:
        report = crash_report(error)
    lines = report.splitlines()
    frames = [line for line in lines if line.startswith("  File ")]
    assert len(frames) == 2  # this test, then the function that raised
    assert frames[-1].startswith('  File "tests/gui/test_crash.py", line ')
    assert frames[-1].endswith(", in _look_up_the_patient")
    assert lines[-1] == "ValueError"
    assert CPR not in report and NAME not in report
