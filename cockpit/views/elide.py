"""Long texts in tables: the view cuts them off with "…" (Qt's ``textElideMode``), and hovering such a cell
shows the whole text as its tooltip, followed by the cell's own tooltip if it has one. At 1366×768 the
risk lists' indicator titles and the follow-up items' evidence are cut off; without this the rest could
not be read at all.
"""

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)


def elided_tooltip(
    view: QAbstractItemView, index: QModelIndex | QPersistentModelIndex, width: int | None = None
) -> str | None:
    """The tooltip of a cell whose text does not fit its ``width`` (default: the column's), else None."""
    text = index.data(Qt.ItemDataRole.DisplayRole)
    if not isinstance(text, str) or not text:
        return None
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    delegate = view.itemDelegateForIndex(index)
    if isinstance(delegate, QStyledItemDelegate):
        delegate.initStyleOption(option, index)
    style = view.style()
    # The room the text gets: the cell less its margins (and the decoration or check box, if any).
    text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
    room = (width if width is not None else option.rect.width()) - (option.rect.width() - text_rect.width())
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    needed = option.fontMetrics.horizontalAdvance(text.splitlines()[0] if text else text) + 2 * margin
    if needed <= room and "\n" not in text:
        return None
    own = index.data(Qt.ItemDataRole.ToolTipRole)
    if isinstance(own, str) and own and own != text:
        return f"{text}\n{own}"
    return text


class ElidingDelegate(QStyledItemDelegate):
    """The default delegate, with the whole text as the tooltip of a cut-off cell."""

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if event.type() == QEvent.Type.ToolTip and index.isValid():
            tip = elided_tooltip(view, index)
            if tip is not None:
                QToolTip.showText(event.globalPos(), tip, view)
                return True
        return super().helpEvent(event, view, option, index)


def elide_long_texts(root: QWidget) -> int:
    """Give every item view under ``root`` that draws its cells the default way the eliding tooltips.
    Returns how many views got them."""
    count = 0
    for view in root.findChildren(QAbstractItemView):
        if type(view.itemDelegate()) is QStyledItemDelegate:
            view.setItemDelegate(ElidingDelegate(view))
            view.setTextElideMode(Qt.TextElideMode.ElideRight)
            count += 1
    return count
