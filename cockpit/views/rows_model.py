"""A read-only table model over a tuple of rows, described by columns.

Every section of the overview is one of these: the columns say how a row is shown, sorted, coloured and
explained, so each section is a few declarative lines instead of its own model class.

Headers are untranslated source text (marked ``QT_TRANSLATE_NOOP(COLUMN_CONTEXT, ...)`` where the columns are
declared) and translated in ``headerData``, so a column list can be a module-level constant.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QPalette

R = TypeVar("R")
SORT_ROLE: Final = Qt.ItemDataRole.UserRole + 1
ROW_ROLE: Final = Qt.ItemDataRole.UserRole + 2
COLUMN_CONTEXT: Final = "Column"  # the translation context of column headers


@dataclass(frozen=True, slots=True)
class Column(Generic[R]):
    """How one column shows a row. ``sort`` defaults to the displayed text. ``header`` is source text,
    translated in ``context`` when shown."""

    header: str
    text: Callable[[R], str]
    sort: Callable[[R], Any] | None = None
    tooltip: Callable[[R], str | None] | None = None
    align_right: bool = False
    context: str = COLUMN_CONTEXT

    def title(self) -> str:
        return QCoreApplication.translate(self.context, self.header)


@dataclass(frozen=True, slots=True)
class RowStyle:
    bold: bool = False
    italic: bool = False
    colour: str | None = None  # a foreground colour name; None keeps the palette's text colour
    background: str | None = None


class RowsTableModel(QAbstractTableModel, Generic[R]):
    def __init__(
        self,
        columns: Sequence[Column[R]],
        style: Callable[[R], RowStyle | None] | None = None,
    ) -> None:
        super().__init__()
        self._columns = list(columns)
        self._style = style
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> R:
        return self._rows[index]

    @property
    def rows(self) -> list[R]:
        return list(self._rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title()
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return column.sort(row) if column.sort is not None else column.text(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self._styled(row, role)

    def _styled(self, row: R, role: int) -> Any:
        style = self._style(row) if self._style is not None else None
        if style is None:
            return None
        if role == Qt.ItemDataRole.FontRole and (style.bold or style.italic):
            font = QFont()
            font.setBold(style.bold)
            font.setItalic(style.italic)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and style.colour is not None:
            colour = QColor(style.colour)
            if QGuiApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128:
                colour = colour.lighter(160)  # the same hue, readable on a dark palette
            return QBrush(colour)
        if role == Qt.ItemDataRole.BackgroundRole and style.background is not None:
            return QBrush(QColor(style.background))
        return None
