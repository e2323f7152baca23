"""The "?" beside each indicator in the risk lists: the list's row header shows "?" on every row, and
a click on it asks for that indicator's definition, source and data quality. A header rather than a
column, so the list's model (and everything that reads its columns) stays as it is."""

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QWidget

MARK = "?"


class DefinitionHeader(QHeaderView):
    """A vertical header whose sections all read "?"; ``sectionClicked(row)`` is the click."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setSectionsClickable(True)
        self.setHighlightSections(True)
        self.setToolTip(QCoreApplication.translate("Risk", "Definition, kilde og datakvalitet (klik)"))

    def paintSection(self, painter: QPainter, rect: QRect, logicalIndex: int) -> None:
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = logicalIndex
        option.text = MARK
        option.textAlignment = Qt.AlignmentFlag.AlignCenter
        painter.save()
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        painter.restore()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        hint.setWidth(self.fontMetrics().horizontalAdvance(MARK) * 3 + 8)
        return hint
