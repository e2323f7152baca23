"""The GUI's composition root: the only module that wires keyring, store, services and windows."""

import faulthandler
import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from cockpit.errors import CockpitError
from cockpit.security.keys import KeyStore
from cockpit.services.patients import PatientService
from cockpit.store import open_store
from cockpit.views.main_window import MainWindow

log = logging.getLogger(__name__)


def run_gui(home: Path, *, smoke_test: bool = False) -> int:
    """Show the window and run the event loop. Returns the process exit code: non-zero when the store
    could not be opened (after telling the user why)."""
    faulthandler.enable()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Patient Cockpit")
    app.setOrganizationName("Patient Cockpit")
    keys = KeyStore()

    def open_queries() -> PatientService:
        return PatientService(open_store(home, keys))

    window = MainWindow(open_queries, title=f"Patient Cockpit — {home}")
    exit_code = 0

    def failed(error: BaseException) -> None:
        nonlocal exit_code
        exit_code = error.exit_code if isinstance(error, CockpitError) else 70
        message = str(error) if isinstance(error, CockpitError) else f"Uventet fejl ({type(error).__name__})"
        print(f"cockpit: {message}", file=sys.stderr)
        if not smoke_test:
            QMessageBox.critical(window, "Patient Cockpit kan ikke starte", message)
        app.exit(exit_code)

    def ready(count: int) -> None:
        if smoke_test:
            print(f"smoke test: the store opened with {count} patients", file=sys.stderr)
            window.patients_shown.connect(lambda _n: app.exit(0))

    window.failed.connect(failed)
    window.ready.connect(ready)
    window.show()
    window.start()
    code = app.exec()
    window.close()
    return exit_code or code
