"""About Patient Cockpit: the version, what it is, and the third-party software it ships with, each with
its version, licence and licence texts (``cockpit.thirdparty``: the shipped texts of an installed build,
or the distributions' metadata when run from source)."""

from PySide6.QtCore import QCoreApplication, QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cockpit.thirdparty import Component, components
from cockpit.views.i18n import QT_TRANSLATE_NOOP
from cockpit.views.rows_model import Column, RowsTableModel


def _kind(component: Component) -> str:
    text = QT_TRANSLATE_NOOP("About", "Pythonpakke") if component.kind == "python" else None
    return QCoreApplication.translate("About", text or QT_TRANSLATE_NOOP("About", "Bibliotek"))


COLUMNS = [
    Column(QT_TRANSLATE_NOOP("Column", "Komponent"), lambda c: c.name),
    Column(QT_TRANSLATE_NOOP("Column", "Version"), lambda c: c.version),
    Column(QT_TRANSLATE_NOOP("Column", "Licens"), lambda c: c.licence),
    Column(QT_TRANSLATE_NOOP("Column", "Type"), _kind),
]


class AboutDialog(QDialog):
    def __init__(self, version: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Om Patient Cockpit"))
        self.resize(900, 620)
        intro = QLabel(
            self.tr(
                "<b>Patient Cockpit</b> {version}<br>Patientoverblik og risikolister til almen praksis. "
                "Data ligger krypteret på denne computer; hvert opslag logges."
            ).format(version=version)
        )
        intro.setWordWrap(True)
        self.components = components()
        self.model: RowsTableModel[Component] = RowsTableModel(COLUMNS)
        self.model.set_rows(self.components)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.text = QTextBrowser()
        self.text.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.text)
        splitter.setSizes([520, 380])
        third = QLabel(
            self.tr(
                "Tredjepartssoftware ({count} komponenter). Vælg en for at læse dens licenstekst. Qt og "
                "PySide6 bruges under LGPL-3.0 og kan udskiftes; se licenses/qt i installationen."
            ).format(count=len(self.components))
        )
        third.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(third)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.table.selectionModel().currentRowChanged.connect(self._chosen)
        if self.components:
            self.table.selectRow(0)

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        component = self.model.row(current.row())
        texts = "\n\n".join(f"==== {name} ====\n\n{text}" for name, text in component.texts)
        self.text.setPlainText(texts or self.tr("(ingen licenstekst fundet)"))
