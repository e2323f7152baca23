"""The window's Help menu: help and shortcuts (F1), lock (Ctrl+L), updates, About. Texts keep the
translation context "MainWindow" they were written in."""

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence

from cockpit.views.help.about import AboutDialog
from cockpit.views.help.page import HelpDialog, help_html, page_purposes

if TYPE_CHECKING:
    from cockpit.views.main_window import MainWindow


def build_help_menu(window: "MainWindow") -> tuple[QAction, QAction]:
    """The menu; returns the lock and the update actions (the window wires and shows them)."""
    help_menu = window.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Hjælp"))
    help_action = QAction(QCoreApplication.translate("MainWindow", "&Hjælp og genveje"), window)
    help_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    help_action.triggered.connect(window.show_help)
    lock_action = QAction(QCoreApplication.translate("MainWindow", "&Lås nu"), window)
    lock_action.setShortcut(QKeySequence("Ctrl+L"))
    update_action = QAction(QCoreApplication.translate("MainWindow", "Søg efter &opdateringer …"), window)
    about = QAction(QCoreApplication.translate("MainWindow", "&Om Patient Cockpit"), window)
    about.triggered.connect(window.show_about)
    for action in (help_action, lock_action, update_action):
        help_menu.addAction(action)
    help_menu.addSeparator()
    help_menu.addAction(about)
    return lock_action, update_action


def show_help(window: "MainWindow") -> HelpDialog:
    """The help page, built now from the window's shortcuts as they are."""
    for old in window.findChildren(HelpDialog):
        old.close()  # one help page: F1 again shows it afresh
    purposes = page_purposes(window.pages.widget(0), window.risk, window.admin, window.worklists)
    dialog = HelpDialog(help_html(window, window.pages, purposes), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def show_about(window: "MainWindow") -> AboutDialog:
    from cockpit import __version__  # noqa: PLC0415

    dialog = AboutDialog(__version__, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
