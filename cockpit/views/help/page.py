"""The help page (F1): every keyboard shortcut of the window (read from the window itself), what each
page is for, and how to read a risk list and its evidence. Danish or English with the window."""

from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cockpit.views.help.shortcuts import Shortcut, tab_title, window_shortcuts


def _pages(pages: QTabWidget, purposes: dict[QWidget | None, str]) -> str:
    rows = "".join(
        f"<tr><td><b>{escape(tab_title(pages, i))}</b></td>"
        f"<td>{escape(purposes.get(pages.widget(i), ''))}</td></tr>"
        for i in range(pages.count())
    )
    return f"<table cellpadding='3'>{rows}</table>"


def _shortcuts(shortcuts: list[Shortcut]) -> str:
    everywhere = QCoreApplication.translate("Help", "Hele vinduet")
    rows = "".join(
        f"<tr><td><code>{escape(s.keys)}</code></td><td>{escape(s.what)}</td>"
        f"<td>{escape(s.where or everywhere)}</td></tr>"
        for s in shortcuts
    )
    key, does, where = (
        QCoreApplication.translate("Help", "Tast"),
        QCoreApplication.translate("Help", "Gør"),
        QCoreApplication.translate("Help", "Hvor"),
    )
    head = f"<tr><th align='left'>{key}</th><th align='left'>{does}</th><th align='left'>{where}</th></tr>"
    return f"<table cellpadding='3'>{head}{rows}</table>"


def help_html(window: QMainWindow, pages: QTabWidget, purposes: dict[QWidget | None, str]) -> str:
    """The page's HTML: ``purposes`` says what each page of ``pages`` is for."""
    risk_lists = [
        QCoreApplication.translate(
            "Help",
            "Hver linje er en indikator, som klyngen har valgt: <b>Fundet</b> er antallet af patienter på "
            "listen, <b>Population</b> dem indikatoren gælder for, og <b>Andel</b> forholdet mellem dem. "
            "Fed skrift er sikkerhedsindikatorer med fund.",
        ),
        QCoreApplication.translate(
            "Help",
            "Vælg en indikator for at se dens patienter til højre. <b>Grundlag</b> er de data, der satte "
            "patienten på listen (diagnose, seneste måling med dato, medicin); nederst står indikatorens "
            "beskrivelse og kilde. Enter åbner patientens overblik.",
        ),
        QCoreApplication.translate(
            "Help",
            "Klik på <b>?</b> ud for en indikator for dens definition, kilde og datakvalitet. En gul "
            "boks over patienterne betyder, at data kan være ufuldstændige (koder eller enheder, som "
            "cockpittet ikke kender): listen kan så mangle patienter eller have for mange.",
        ),
        QCoreApplication.translate(
            "Help",
            "En liste er et forslag til opfølgning, ikke en diagnose: se altid patientens journal, før "
            "du handler. Med <b>Opret opfølgningsliste</b> bliver listen til opgaver på fanen Opfølgning.",
        ),
    ]
    title = QCoreApplication.translate("Help", "Hjælp til Patient Cockpit")
    tabs = QCoreApplication.translate("Help", "Fanerne")
    reading = QCoreApplication.translate("Help", "Sådan læses en risikoliste")
    keys = QCoreApplication.translate("Help", "Tastaturgenveje")
    keys_note = QCoreApplication.translate(
        "Help", "Listen er læst fra vinduets egne genveje. F1 viser denne side igen."
    )
    parts = [
        f"<h2>{title}</h2>",
        f"<h3>{tabs}</h3>",
        _pages(pages, purposes),
        f"<h3>{reading}</h3>",
        *(f"<p>{text}</p>" for text in risk_lists),
        f"<h3>{keys}</h3>",
        f"<p>{keys_note}</p>",
        _shortcuts(window_shortcuts(window, pages)),
    ]
    return "".join(parts)


def page_purposes(
    patients: QWidget | None, risk: QWidget, admin: QWidget, worklists: QWidget
) -> dict[QWidget | None, str]:
    return {
        patients: QCoreApplication.translate(
            "Help",
            "Find en patient (Ctrl+K) og se overblikket: opmærksomhedspunkter med grundlag, diagnoser, "
            "medicin, laboratoriesvar med udvikling, kontakter og hjemmepleje.",
        ),
        risk: QCoreApplication.translate(
            "Help",
            "Klyngens indikatorer beregnet på hele praksis: hvem mangler en kontrol, hvem har en risiko, "
            "hvor er medicinen uhensigtsmæssig.",
        ),
        admin: QCoreApplication.translate(
            "Help", "Brugere og roller, og adgangsloggen (hvem slog hvad op hvornår). Kun for administratorer"
        ),
        worklists: QCoreApplication.translate(
            "Help",
            "Opfølgningslister: hvem ringer til hvem, hvad er aftalt, hvad er gjort. Listen følger "
            "indikatoren, og implementeringsplanen siger hvad, hvordan, hvem og hvornår.",
        ),
    }


class BrowserDialog(QDialog):
    """A page of HTML with a Close button (the help page, an indicator's definition)."""

    def __init__(self, title: str, html: str, size: tuple[int, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(*size)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)


class HelpDialog(BrowserDialog):
    """The help page, beside the window (not modal: the keys can be tried while it is open)."""

    def __init__(self, html: str, parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("Help", "Hjælp"), html, (820, 640), parent)
