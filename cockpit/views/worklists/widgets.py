"""Pieces the parts of the staff view share: the message line over the page and the tables' set-up."""

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView

from cockpit.views.rows_model import RowsTableModel


class MessageLine(QLabel):
    """A refused change or a failed read, over the whole page until the next success hides it."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.hide()

    def show_error(self, text: str) -> None:
        self.setStyleSheet("background: #fde2e1; color: #5c0b0b; padding: 6px; border-radius: 4px;")
        self.setText(text)
        self.show()


def table_view(model: RowsTableModel[Any], stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    # Widths from the rows on screen, not from every row fetched (a window arriving while scrolling
    # would measure a thousand rows each time).
    header.setResizeContentsPrecision(0)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view
