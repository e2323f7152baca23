"""The window's keyboard shortcuts, read from its QActions and QShortcuts: what each does is the action's
text or the shortcut's ``whatsThis``, and where it works is the page it belongs to. The help page lists
exactly these, so a new or changed key shows up there by itself."""

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget


@dataclass(frozen=True, slots=True)
class Shortcut:
    keys: str  # as the platform writes it: "Ctrl+K"
    what: str
    where: str  # the page it works on, or "" for the whole window


def tab_title(pages: QTabWidget, index: int) -> str:
    """A page's name without the key in its tab text ("Risikolister  (Ctrl+2)" -> "Risikolister")."""
    return pages.tabText(index).split("  (")[0].replace("&", "")


def _where(obj: QObject, window: QMainWindow, pages: QTabWidget | None) -> str:
    node: QObject | None = obj
    while node is not None and node is not window:
        if pages is not None and isinstance(node, QWidget):
            index = pages.indexOf(node)
            if index >= 0:
                return tab_title(pages, index)
        node = node.parent()
    return ""


def window_shortcuts(window: QMainWindow, pages: QTabWidget | None = None) -> list[Shortcut]:
    """Every shortcut of ``window`` (once each), the whole window's first, then by page."""
    found: dict[tuple[str, str, str], Shortcut] = {}
    for action in window.findChildren(QAction):
        what = action.text().replace("&", "").removesuffix(" …").strip()
        for sequence in action.shortcuts():
            if not sequence.isEmpty() and what:
                item = Shortcut(_native(sequence), what, _where(action, window, pages))
                found.setdefault((item.keys, item.what, item.where), item)
    for shortcut in window.findChildren(QShortcut):
        sequence = shortcut.key()
        if sequence.isEmpty():
            continue
        what = shortcut.whatsThis() or QCoreApplication.translate("Help", "(ingen beskrivelse)")
        item = Shortcut(_native(sequence), what, _where(shortcut, window, pages))
        found.setdefault((item.keys, item.what, item.where), item)
    order = {tab_title(pages, i): i for i in range(pages.count())} if pages is not None else {}
    return sorted(found.values(), key=lambda s: (s.where != "", order.get(s.where, 99), s.keys))


def _native(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)
