"""The GUI's composition root: wires the practice (opened by cockpit.services.bootstrap, as for the command
line) to the windows."""

import faulthandler
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cockpit.errors import CockpitError
from cockpit.security.keys import KeyStore
from cockpit.services.bootstrap import open_practice
from cockpit.services.demo import is_demo_home
from cockpit.services.practice import Practice
from cockpit.views.crash import install_excepthook
from cockpit.views.i18n import install_translators
from cockpit.views.main_window import MainWindow, Report
from cockpit.views.messages import error_message
from cockpit.views.single_instance import InstanceServer, send_to_running

_STARTED = time.monotonic()
SCREENSHOT_SETTLE_MS = 400  # let pyqtgraph finish its first layout before the window is grabbed
# A screenshot is for documentation and CI: it always ends. A first demo start (generate and import the
# practice, evaluate the risk lists) takes about 20 s on 2 cores; COCKPIT_SCREENSHOT_TIME_LIMIT (seconds)
# overrides the limit.
SCREENSHOT_TIME_LIMIT_S = 300.0
EXIT_TIME_LIMIT = 15


@dataclass(frozen=True, slots=True)
class GuiOptions:
    """How the window was asked for. ``smoke_test`` and ``screenshot`` run once and exit."""

    smoke_test: bool = False
    demo: bool = False
    patient: str | None = None
    screenshot: Path | None = None
    size: tuple[int, int] = (1366, 768)
    lang: str = "da"  # "da" (the source language) or "en"
    lock_minutes: float = 5.0  # lock the window after this long without input

    @property
    def one_shot(self) -> bool:
        return self.smoke_test or self.screenshot is not None


def run_gui(home: Path, options: GuiOptions | None = None) -> int:
    """Show the window and run the event loop. Returns the process exit code: non-zero when the store
    could not be opened (after telling the user why)."""
    options = options or GuiOptions()
    faulthandler.enable()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Patient Cockpit")
    app.setOrganizationName("Patient Cockpit")
    install_translators(app, options.lang)  # before any window: widgets translate their texts when built
    install_excepthook()  # an unexpected error is logged and shown (without patient data), not lost
    if not options.one_shot and _handed_to_running_instance(home, options):
        return 0
    keys = KeyStore()

    def opened(report: Report) -> Practice:
        return open_practice(home, demo=report if options.demo else None, keys=keys)

    demo = options.demo or is_demo_home(home)
    window = MainWindow(
        opened, title=f"Patient Cockpit — {home}", demo=demo, idle_minutes=options.lock_minutes
    )
    window.resize(QSize(*options.size))
    exit_code = 0

    def failed(error: BaseException) -> None:
        nonlocal exit_code
        exit_code = error.exit_code if isinstance(error, CockpitError) else 70
        message = error_message(error)
        print(f"cockpit: {message}", file=sys.stderr)
        if not options.one_shot:
            title = QCoreApplication.translate("App", "Patient Cockpit kan ikke starte")
            QMessageBox.critical(window, title, message)
        app.exit(exit_code)

    window.failed.connect(failed)
    _wire_one_shot(app, window, options)
    server = None if options.one_shot else InstanceServer(home, window)
    if server is not None:
        server.message.connect(lambda message: _on_message(window, message))
    window.show()
    window.start()
    if options.patient:
        window.open_patient(options.patient)
    code = app.exec()
    window.close()
    return exit_code or code


def _seconds_since_start() -> float:
    """Seconds since this process started (from /proc on Linux, where the interpreter's own start-up
    counts too), else since the command line was read."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic() - _STARTED


def _peak_rss_mb() -> float | None:
    """This process's peak resident memory. On Linux from /proc (VmHWM): getrusage's figure survives
    exec, so a child started by a big process would report its parent's peak as its own."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    try:
        import resource  # noqa: PLC0415 (not on Windows)
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _handed_to_running_instance(home: Path, options: GuiOptions) -> bool:
    message = {"patient": options.patient} if options.patient else {"activate": True}
    if send_to_running(home, message):
        print("cockpit: handed over to the Patient Cockpit that is already running", file=sys.stderr)
        return True
    return False


def _on_message(window: MainWindow, message: dict[str, object]) -> None:
    patient = message.get("patient")
    if isinstance(patient, str) and patient:
        window.open_patient(patient)
    window.showNormal()
    window.raise_()
    window.activateWindow()


def _wire_one_shot(app: QApplication, window: MainWindow, options: GuiOptions) -> None:
    if options.smoke_test:

        def ready(count: int) -> None:
            print(f"smoke test: the store opened with {count} patients", file=sys.stderr)

        def interactive(_shown: int) -> None:
            print(f"smoke test: interactive after {_seconds_since_start():.2f} s", file=sys.stderr)

        def risk_lists(count: int) -> None:
            print(f"smoke test: {count} risk lists evaluated", file=sys.stderr)
            app.exit(0)

        def sign_in_required() -> None:
            print("smoke test: the practice has users; the sign-in page is shown", file=sys.stderr)
            app.exit(0)

        window.ready.connect(ready)
        window.patients_shown.connect(interactive, Qt.ConnectionType.SingleShotConnection)
        window.risk_lists_shown.connect(risk_lists)
        window.sign_in_required.connect(sign_in_required)
    screenshot = options.screenshot
    if screenshot is not None:

        def grab() -> None:
            if not window.grab().save(str(screenshot)):
                print(f"cockpit: could not write {screenshot}", file=sys.stderr)
                app.exit(5)
                return
            print(f"cockpit: screenshot written to {screenshot}", file=sys.stderr)
            peak = _peak_rss_mb()
            if peak is not None:
                print(f"cockpit: peak memory {peak:.0f} MB", file=sys.stderr)
            app.exit(0)

        def settle(_arg: object = None) -> None:
            QTimer.singleShot(SCREENSHOT_SETTLE_MS, grab)

        # The risk lists come last (they feed the attention panel), and a patient shown before them is
        # shown again with them: grab after that.
        if options.patient:
            window.risk_lists_shown.connect(
                lambda _n: window.overview_shown.connect(settle, Qt.ConnectionType.SingleShotConnection)
            )
        else:
            window.risk_lists_shown.connect(settle)
        window.sign_in_required.connect(settle)  # nobody signs in during a screenshot: grab the page
        # Whatever fails ends the screenshot with its exit code (an unknown patient: 6, as on the CLI).
        for pane in (window.patients, window.search_pane, window.risk_actions, window.session):
            pane.failed.connect(window.failed)

        def time_is_up() -> None:
            print(
                f"cockpit: the screenshot was not ready within {limit:g} s; nothing was written",
                file=sys.stderr,
            )
            app.exit(EXIT_TIME_LIMIT)

        limit = float(os.environ.get("COCKPIT_SCREENSHOT_TIME_LIMIT", SCREENSHOT_TIME_LIMIT_S))
        QTimer.singleShot(round(limit * 1000), time_is_up)
