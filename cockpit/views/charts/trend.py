"""TrendChart: one lab value over time, with reference band, target line and labels in the interface
language."""

from datetime import datetime
from html import escape
from typing import Any, Final

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from cockpit.views.charts.axes import MIN_VISIBLE_SECONDS, DanishDateAxis, DecimalCommaAxis
from cockpit.views.charts.colors import ChartColors
from cockpit.views.charts.formatting import DAY_SECONDS, to_epoch_seconds
from cockpit.views.charts.items import FloatArray, HorizontalBand, nearest_within
from cockpit.views.charts.series import RangeStatus, TrendSeries, point_tooltip, range_status, summary_text

ZOOM_STEP: Final = 1.5  # one + or - press
PAN_STEP: Final = 0.2  # one arrow press, as a fraction of the visible width
HOVER_RADIUS_PX: Final = 8.0
_MIN_X_MARGIN: Final = 15 * DAY_SECONDS  # so a lone point is not glued to the frame


class TrendChart(QWidget):
    """A lab value over time.

    Keyboard (when the plot has focus): ``+``/``-`` zoom the time axis, Left/Right pan, ``0`` or Home show
    all points again. The mouse zooms and pans as pyqtgraph does by default.

    Attributes (read by tests and the overview): ``plot_widget``, ``empty_label``, ``line``, ``markers``
    (points inside the reference range), ``alert_markers`` (outside it), ``reference_band``, ``target_line``,
    ``target_label`` (its text, shown as the right axis' only tick, clear of the data).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._series: TrendSeries | None = None
        self._points: list[tuple[datetime, float]] = []  # in time order; indices below refer to this
        self._xs: FloatArray = np.empty(0)
        self._ys: FloatArray = np.empty(0)
        self._items: list[Any] = []
        self.line: Any = None
        self.markers: Any = None
        self.alert_markers: Any = None
        self.reference_band: HorizontalBand | None = None
        self.target_line: Any = None
        self.target_label: str | None = None

        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.RichText)
        self.plot_widget = pg.PlotWidget(
            self, axisItems={"bottom": DanishDateAxis(), "left": DecimalCommaAxis("left")}
        )
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.empty_label)
        self._stack.addWidget(self.plot_widget)

        plot = self.plot_widget.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)  # pyqtgraph's context menu is English-only
        plot.showGrid(x=False, y=True, alpha=0.25)
        self.view_box.setLimits(minXRange=MIN_VISIBLE_SECONDS)
        self.plot_widget.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot_widget.installEventFilter(self)
        self.setFocusProxy(self.plot_widget)
        self.setAccessibleName(self.tr("Forløb"))
        self.clear()

    @property
    def view_box(self) -> Any:
        return self.plot_widget.getPlotItem().getViewBox()

    # --- data -------------------------------------------------------------------------------------

    def set_series(self, series: TrendSeries) -> None:
        self._series = series
        self._points = series.sorted_points()
        self._xs = np.array([to_epoch_seconds(when) for when, _ in self._points], dtype=np.float64)
        self._ys = np.array([value for _, value in self._points], dtype=np.float64)
        self._render()
        self.reset_view()

    def clear(self) -> None:
        self._series = None
        self._points = []
        self._xs, self._ys = np.empty(0), np.empty(0)
        self._render()

    def summary_text(self) -> str:
        return summary_text(self._series)

    def tooltip_for(self, index: int) -> str:
        """Tooltip text for the index-th point in time order."""
        assert self._series is not None
        when, value = self._points[index]
        return point_tooltip(self._series, when, value)

    def point_at(self, scene_pos: QPointF) -> int | None:
        """Index (time order) of the point under a scene position, if any."""
        return nearest_within(self.view_box, scene_pos, self._xs, self._ys, HOVER_RADIUS_PX)

    # --- view range -------------------------------------------------------------------------------

    def reset_view(self) -> None:
        """Show every point with a margin, and the reference band and target with them."""
        if self._series is None or len(self._xs) == 0:
            return
        x0, x1 = float(self._xs.min()), float(self._xs.max())
        x_margin = max((x1 - x0) * 0.05, _MIN_X_MARGIN)
        levels = [float(self._ys.min()), float(self._ys.max())]
        levels += [
            v for v in (self._series.ref_low, self._series.ref_high, self._series.target) if v is not None
        ]
        y0, y1 = min(levels), max(levels)
        y_margin = (y1 - y0) * 0.1 if y1 > y0 else max(abs(y1) * 0.1, 1.0)
        self.view_box.setRange(
            xRange=(x0 - x_margin, x1 + x_margin), yRange=(y0 - y_margin, y1 + y_margin), padding=0
        )

    def zoom_x(self, factor: float) -> None:
        """factor < 1 zooms in around the centre of the view."""
        (x0, x1), _ = self.view_box.viewRange()
        centre, half = (x0 + x1) / 2, (x1 - x0) / 2 * factor
        self.view_box.setXRange(centre - half, centre + half, padding=0)

    def pan_x(self, fraction: float) -> None:
        (x0, x1), _ = self.view_box.viewRange()
        shift = (x1 - x0) * fraction
        self.view_box.setXRange(x0 + shift, x1 + shift, padding=0)

    def handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_x(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom_x(ZOOM_STEP)
        elif key == Qt.Key.Key_Left:
            self.pan_x(-PAN_STEP)
        elif key == Qt.Key.Key_Right:
            self.pan_x(PAN_STEP)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Home):
            self.reset_view()
        else:
            return False
        return True

    # --- Qt events --------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.handle_key(event):
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The focused QGraphicsView would otherwise use the arrow keys to scroll itself.
        if watched is self.plot_widget and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self.handle_key(event)
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            x_range, y_range = self.view_box.viewRange()
            self._render()
            self.view_box.setRange(xRange=x_range, yRange=y_range, padding=0)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        index = self.point_at(scene_pos) if self._series is not None else None
        self.view_box.setToolTip(self.tooltip_for(index) if index is not None else "")

    # --- drawing ----------------------------------------------------------------------------------

    def _render(self) -> None:
        colors = ChartColors.from_palette(self.palette())
        plot = self.plot_widget.getPlotItem()
        for item in self._items:
            plot.removeItem(item)
        self._items.clear()
        self.line = self.markers = self.alert_markers = self.reference_band = self.target_line = None
        self.target_label = None
        plot.hideAxis("right")
        self._style_frame(colors)
        summary = self.summary_text()
        self.setAccessibleDescription(summary)
        self.plot_widget.setAccessibleDescription(summary)
        series = self._series
        if series is None or len(self._xs) == 0:
            title = f"<b>{escape(series.title)}</b><br>" if series is not None else ""
            self.empty_label.setText(title + escape(self.tr("Ingen målinger")))
            self._stack.setCurrentWidget(self.empty_label)
            return
        self.setAccessibleName(self.tr("Forløb: {title}").format(title=series.title))
        plot.setTitle(escape(series.title), color=colors.text.name())
        plot.getAxis("left").setLabel(text=escape(series.unit), color=colors.text.name())
        self._add_reference(series, colors)
        self._add_points(series, colors)
        self._stack.setCurrentWidget(self.plot_widget)

    def _style_frame(self, colors: ChartColors) -> None:
        self.plot_widget.setBackground(colors.background)
        for name in ("left", "bottom"):
            axis = self.plot_widget.getPlotItem().getAxis(name)
            axis.setPen(pg.mkPen(colors.muted))
            axis.setTextPen(pg.mkPen(colors.text))

    def _add(self, item: Any, ignore_bounds: bool = False) -> Any:
        self.plot_widget.getPlotItem().addItem(item, ignoreBounds=ignore_bounds)
        self._items.append(item)
        return item

    def _add_reference(self, series: TrendSeries, colors: ChartColors) -> None:
        if series.ref_low is not None or series.ref_high is not None:
            band = HorizontalBand(series.ref_low, series.ref_high, colors.band_fill, colors.band_edge)
            self.reference_band = self._add(band, ignore_bounds=True)
        if series.target is not None:
            pen = pg.mkPen(colors.target, width=2, style=Qt.PenStyle.DashLine)
            line = pg.InfiniteLine(pos=series.target, angle=0, pen=pen)
            line.setZValue(-5)
            self.target_line = self._add(line, ignore_bounds=True)
            self._label_target(series.target, series.target_text(), colors)

    def _label_target(self, target: float, text: str, colors: ChartColors) -> None:
        """Name the target line in the right margin, where no point or band can cover the label."""
        plot = self.plot_widget.getPlotItem()
        plot.showAxis("right")
        axis = plot.getAxis("right")
        axis.setTicks([[(target, text)], []])
        axis.setPen(pg.mkPen(colors.muted))
        axis.setTickPen(pg.mkPen(colors.target, width=2))
        axis.setTextPen(pg.mkPen(colors.target))
        axis.setWidth(QFontMetrics(self.plot_widget.font()).horizontalAdvance(text) + 16)
        self.target_label = text

    def _add_points(self, series: TrendSeries, colors: ChartColors) -> None:
        self.line = self._add(pg.PlotCurveItem(self._xs, self._ys, pen=pg.mkPen(colors.series, width=2)))
        statuses = [range_status(series, float(y)) for y in self._ys]
        normal = np.array([s is RangeStatus.NORMAL for s in statuses], dtype=bool)
        outline = pg.mkPen(colors.background, width=1.5)
        self.markers = self._add(
            pg.ScatterPlotItem(
                self._xs[normal], self._ys[normal], size=9, symbol="o", brush=colors.series, pen=outline
            )
        )
        # Shape as well as colour marks a value outside the range: triangle up for high, down for low.
        symbols = ["t1" if s is RangeStatus.HIGH else "t" for s in statuses if s is not RangeStatus.NORMAL]
        self.alert_markers = self._add(
            pg.ScatterPlotItem(
                self._xs[~normal], self._ys[~normal], size=13, symbol=symbols, brush=colors.alert, pen=outline
            )
        )
