"""An error nobody expected: logged, and shown in a dialog instead of lost.

``install_excepthook`` (called by the app at start-up) makes ``sys.excepthook`` a ``CrashHandler``: an
exception that escapes a slot or an event handler is logged and shown in a ``CrashDialog`` that says in
the user's words what happened, offers a report to copy, and says where the log is.

Neither the log nor the report carries patient data: an exception's message may name a patient or a
value, so only the exception's type is written, with the traceback as file, line and function names (no
source lines, no locals), and the versions of the app, Qt and the OS. The dialog does not block: it is
opened window-modal and the hook returns at once; errors that follow while it is open join its report.
"""

import logging
import platform
import sys
import sysconfig
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Final

import PySide6
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import cockpit

log = logging.getLogger(__name__)

MAX_REPORTS: Final = 10  # distinct errors shown in one dialog
ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]

_ROOTS: Final = (
    Path(cockpit.__file__).resolve().parent.parent,  # our own code: cockpit/...
    Path(sysconfig.get_paths()["purelib"]).resolve(),  # libraries: PySide6/...
    Path(sysconfig.get_paths()["stdlib"]).resolve(),  # the standard library: concurrent/...
)


def _short(filename: str) -> str:
    """A frame's file without the directories above the package (they may name the user)."""
    path = Path(filename)
    for root in _ROOTS:
        try:
            return path.resolve().relative_to(root).as_posix()
        except (ValueError, OSError):
            continue
    return path.name


def _type_name(exc_type: type[BaseException]) -> str:
    module = exc_type.__module__
    return exc_type.__qualname__ if module == "builtins" else f"{module}.{exc_type.__qualname__}"


_CAUSE: Final = "The above was the direct cause of the following error:"
_CONTEXT: Final = "During handling of the above, another error occurred:"


def _chain(error: BaseException) -> list[tuple[BaseException, str]]:
    """The error and those that led to it, oldest first (as Python prints them), each with the
    sentence that leads on to the next one ("" for the last)."""
    newest_first: list[tuple[BaseException, str]] = []  # each with how the one before led to it
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if current.__cause__ is not None:
            older, how = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            older, how = current.__context__, _CONTEXT
        else:
            older, how = None, ""
        newest_first.append((current, how))
        current = older
    ordered = newest_first[::-1]
    return [(exc, ordered[n + 1][1] if n + 1 < len(ordered) else "") for n, (exc, _how) in enumerate(ordered)]


def crash_report(error: BaseException) -> str:
    """The report to copy: versions, then each exception's type and traceback (file, line, function).
    Never the exception's message, a source line or a local variable: those may carry patient data."""
    lines = [
        f"Patient Cockpit {cockpit.__version__}",
        f"Qt {qVersion()}, PySide6 {PySide6.__version__}, Python {platform.python_version()}",
        f"{platform.system()} {platform.release()} ({platform.machine()})",
        "",
    ]
    for exc, leads_on in _chain(error):
        lines.append("Traceback (most recent call last):")
        for frame in traceback.extract_tb(exc.__traceback__):
            lines.append(f'  File "{_short(frame.filename)}", line {frame.lineno}, in {frame.name}')
        lines.append(_type_name(type(exc)))
        if leads_on:
            lines += ["", leads_on, ""]
    return "\n".join(lines)


def default_log_location() -> str:
    return QCoreApplication.translate(
        "CrashDialog",
        "programmets fejludskrift (stderr): terminalen, det blev startet fra, eller systemets journal",
    )


class CrashDialog(QDialog):
    """What happened, the report (read-only, with a button that copies it) and where the log is."""

    def __init__(self, report: str, log_location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Uventet fejl"))
        self.setObjectName("crash-dialog")
        headline = QLabel(
            self.tr(
                "<b>Der skete en uventet fejl i Patient Cockpit.</b><br>Det, du var i gang med, blev "
                "måske ikke gjort færdigt. Prøv igen; sker det igen, så send rapporten herunder til den, "
                "der passer programmet."
            )
        )
        headline.setWordWrap(True)
        privacy = QLabel(
            self.tr(
                "Rapporten indeholder ingen patientdata: kun fejlens type, hvor i programmet den skete, "
                "og versionerne."
            )
        )
        privacy.setWordWrap(True)
        self.where = QLabel(self.tr("Fejlen er også skrevet i loggen: {where}").format(where=log_location))
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report = QPlainTextEdit(report)
        self._reports = {report}
        self.report.setReadOnly(True)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.copy_button = QPushButton(self.tr("&Kopiér rapporten"))
        self.copy_button.clicked.connect(self.copy_report)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (headline, privacy, self.report, self.where, buttons):
            layout.addWidget(widget)
        self.resize(640, 420)

    def add(self, report: str) -> None:
        """A further error while the dialog is open. The same error again (a paint handler that fails
        on every repaint) is not added twice, and the report stops growing after ``MAX_REPORTS``."""
        if report in self._reports or len(self._reports) >= MAX_REPORTS:
            return
        self._reports.add(report)
        self.report.appendPlainText("\n" + report)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report.toPlainText())


class CrashHandler:
    """``sys.excepthook`` for the window: log the report, then show it (one dialog at a time). A plain
    object: it keeps the dialog it opened, never a widget's parent."""

    def __init__(self, log_location: str | None = None, previous: ExceptHook | None = None) -> None:
        self._log_location = log_location
        self._previous: ExceptHook = previous or sys.excepthook
        self.dialog: CrashDialog | None = None

    def __call__(self, exc_type: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous(exc_type, error, tb)
            return
        if error.__traceback__ is None and tb is not None:
            error = error.with_traceback(tb)
        report = crash_report(error)
        log.error("unexpected error\n%s", report)
        try:
            self._show(report)
        except Exception as failure:  # never an error from the hook itself
            log.error("the crash dialog could not be shown (%s)", _type_name(type(failure)))

    def _show(self, report: str) -> None:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return  # no window: the log has it
        dialog = self.dialog
        if dialog is not None:
            dialog.add(report)
            return
        dialog = CrashDialog(report, self._log_location or default_log_location(), app.activeWindow())
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.open()  # window-modal, returns at once: the event loop goes on

    def _closed(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def uninstall(self) -> None:
        """Put back the hook that was there before (tests)."""
        if sys.excepthook is self:
            sys.excepthook = self._previous
        if self.dialog is not None:
            self.dialog.reject()


def install_excepthook(log_location: str | None = None) -> CrashHandler:
    """Make unexpected errors in the window visible (the dialog) and logged. Call once the QApplication
    exists (and after the translators, so the dialog speaks the user's language)."""
    handler = CrashHandler(log_location)
    sys.excepthook = handler
    return handler
