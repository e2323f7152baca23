"""The main window's keys. Each shortcut carries what it does (``whatsThis``), so the help page (F1) lists
the window's shortcuts from the shortcuts themselves and cannot go stale."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence, QShortcut

from cockpit.views.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from cockpit.views.main_window import MainWindow


def bind_window_keys(window: "MainWindow") -> None:
    panel = window.panel
    keys: list[tuple[str | QKeySequence, str, Callable[[], None]]] = [
        ("F5", QT_TRANSLATE_NOOP("Shortcuts", "Synkronisér nu"), window.sync_now),
        ("Ctrl+1", QT_TRANSLATE_NOOP("Shortcuts", "Siden Patient"), window.show_patients_page),
        ("Ctrl+2", QT_TRANSLATE_NOOP("Shortcuts", "Siden Risikolister"), window.show_risk_lists),
        ("Ctrl+3", QT_TRANSLATE_NOOP("Shortcuts", "Siden Administration"), window.show_admin),
        ("Ctrl+4", QT_TRANSLATE_NOOP("Shortcuts", "Siden Opfølgning"), window.show_worklists),
        (
            QKeySequence(QKeySequence.StandardKey.Find),
            QT_TRANSLATE_NOOP("Shortcuts", "Søg efter en patient"),
            window.search_pane.focus_search,
        ),
        ("Ctrl+K", QT_TRANSLATE_NOOP("Shortcuts", "Søg efter en patient"), window.search_pane.focus_search),
        (
            "Ctrl+Shift+C",
            QT_TRANSLATE_NOOP("Shortcuts", "Vis hele CPR-nummeret"),
            lambda: panel.header.set_revealed(True),
        ),
        ("Alt+1", QT_TRANSLATE_NOOP("Shortcuts", "Opmærksomhed"), lambda: panel.attention.table.setFocus()),
        ("Alt+2", QT_TRANSLATE_NOOP("Shortcuts", "Diagnoser"), lambda: panel.diagnoses.table.setFocus()),
        ("Alt+3", QT_TRANSLATE_NOOP("Shortcuts", "Medicin"), lambda: panel.medications.table.setFocus()),
        ("Alt+4", QT_TRANSLATE_NOOP("Shortcuts", "Laboratorie"), lambda: panel.labs.table.setFocus()),
        ("Alt+5", QT_TRANSLATE_NOOP("Shortcuts", "Kontakter"), lambda: window.show_tab(panel.timeline)),
        ("Alt+6", QT_TRANSLATE_NOOP("Shortcuts", "Hjemmepleje"), lambda: window.show_tab(panel.home_care)),
        (
            "Alt+0",
            QT_TRANSLATE_NOOP("Shortcuts", "Tilbage til patientlisten"),
            lambda: window.table.setFocus(),
        ),
    ]
    for key, what, action in keys:
        shortcut = QShortcut(QKeySequence(key), window, action)
        shortcut.setWhatsThis(QCoreApplication.translate("Shortcuts", what))
