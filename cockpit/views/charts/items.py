"""Small pyqtgraph items and hit-testing shared by the charts (pyqtgraph is untyped: ``Any`` stays here)."""

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import drawSymbol
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

FloatArray = npt.NDArray[np.float64]


class HorizontalBand(pg.GraphicsObject):  # type: ignore[misc]
    """A shaded y range across the whole visible width; a missing bound extends to the view's edge.

    LinearRegionItem would also do, but it needs finite bounds and brings draggable lines along.
    """

    def __init__(self, low: float | None, high: float | None, fill: QColor, edge: QColor) -> None:
        super().__init__()
        self.low = low
        self.high = high
        self._fill = QColor(fill)
        self._edge_pen = QPen(edge, 1, Qt.PenStyle.DashLine)
        self._edge_pen.setCosmetic(True)
        self.setZValue(-10)  # behind the data

    @property
    def fill(self) -> QColor:
        return QColor(self._fill)

    @property
    def edge(self) -> QColor:
        return self._edge_pen.color()

    def boundingRect(self) -> QRectF:
        view: QRectF | None = self.viewRect()
        if view is None:
            return QRectF()
        y0 = self.low if self.low is not None else view.top()
        y1 = self.high if self.high is not None else view.bottom()
        return QRectF(view.left(), y0, view.width(), y1 - y0).normalized()

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        self.prepareGeometryChange()  # the band spans the view, so it moves with every pan and zoom

    def paint(self, painter: QPainter, *_args: Any) -> None:
        rect = self.boundingRect()
        painter.fillRect(rect, self._fill)
        painter.setPen(self._edge_pen)
        for bound in (self.low, self.high):
            if bound is not None:
                painter.drawLine(QPointF(rect.left(), bound), QPointF(rect.right(), bound))


class TextLabels(pg.GraphicsObject):  # type: ignore[misc]
    """Short texts at data positions, drawn by one item in screen pixels.

    One pg.TextItem per label costs about 0.35 ms to create, which adds up on a long admission history.
    Each label starts gap_px to the right of its point and is centred on it vertically.
    """

    def __init__(
        self, xs: Sequence[float], ys: Sequence[float], texts: Sequence[str], color: QColor, gap_px: float = 4
    ) -> None:
        super().__init__()
        self.xs, self.ys, self.texts = list(xs), list(ys), list(texts)
        self._color = QColor(color)
        self._gap = gap_px

    def boundingRect(self) -> QRectF:
        view: QRectF | None = self.viewRect()
        return QRectF(view) if view is not None else QRectF()

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        self.prepareGeometryChange()

    def paint(self, painter: QPainter, *_args: Any) -> None:
        view = self.boundingRect()
        to_device = painter.transform()
        painter.resetTransform()  # draw text unscaled, in device pixels
        painter.setPen(self._color)
        metrics = painter.fontMetrics()
        for x, y, text in zip(self.xs, self.ys, self.texts, strict=True):
            if view.left() - 1 <= x <= view.right() and view.top() <= y <= view.bottom():
                anchor = to_device.map(QPointF(x, y))
                baseline = anchor.y() + (metrics.ascent() - metrics.descent()) / 2
                painter.drawText(QPointF(anchor.x() + self._gap, baseline), text)


def to_scene(view_box: Any, xs: FloatArray, ys: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Map data coordinates to scene coordinates (logical pixels of the plot widget), vectorised."""
    view_box.updateMatrix()
    t = view_box.childGroup.sceneTransform()
    return t.m11() * xs + t.m21() * ys + t.dx(), t.m12() * xs + t.m22() * ys + t.dy()


def nearest_point(
    view_box: Any, scene_pos: QPointF, xs: FloatArray, ys: FloatArray, radius_px: float
) -> tuple[int, float] | None:
    """(index, distance in pixels) of the point nearest to scene_pos, if within radius_px on screen."""
    if len(xs) == 0:
        return None
    sx, sy = to_scene(view_box, xs, ys)
    distances = np.hypot(sx - scene_pos.x(), sy - scene_pos.y())
    best = int(np.argmin(distances))
    return (best, float(distances[best])) if distances[best] <= radius_px else None


def nearest_within(
    view_box: Any, scene_pos: QPointF, xs: FloatArray, ys: FloatArray, radius_px: float
) -> int | None:
    hit = nearest_point(view_box, scene_pos, xs, ys, radius_px)
    return hit[0] if hit is not None else None


def symbol_icon(symbol: str, fill: QColor, outline: QColor, size_px: int, device_pixel_ratio: float) -> QIcon:
    """A legend swatch: the marker shape as drawn in the chart."""
    pixmap = QPixmap(round(size_px * device_pixel_ratio), round(size_px * device_pixel_ratio))
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(size_px / 2, size_px / 2)
    drawSymbol(painter, symbol, size_px * 0.8, pg.mkPen(outline, width=1), pg.mkBrush(fill))
    painter.end()
    return QIcon(pixmap)
