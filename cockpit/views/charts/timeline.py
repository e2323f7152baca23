"""ContactsTimeline: GP, hospital and municipal contacts on one time axis, one lane per kind."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedLayout,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from cockpit.models.months import months_before
from cockpit.views.charts.axes import MIN_VISIBLE_SECONDS, DanishDateAxis
from cockpit.views.charts.colors import ChartColors, with_alpha
from cockpit.views.charts.contacts import (
    RANGE_PRESETS,
    Lane,
    TimelineItem,
    event_tooltip,
    is_ongoing,
    lane_for,
    present_lanes,
    preset_label,
    preset_labels,
    span_end,
    stay_days,
    summary_text,
)
from cockpit.views.charts.flow_layout import FlowLayout
from cockpit.views.charts.formatting import DAY_SECONDS, days_label, format_epoch_date, to_epoch_seconds
from cockpit.views.charts.items import FloatArray, TextLabels, nearest_point, symbol_icon

BAR_HEIGHT: Final = 0.5  # in lane units; lanes are 1 apart
MARKER_SIZE: Final = 10
# pyqtgraph's thin shapes cover less area than its circle and square at the same size.
_SYMBOL_SCALE: Final = {"+": 1.4, "x": 1.3, "d": 1.25}
HIT_RADIUS_PX: Final = 7.0
LANE_HEIGHT_PX: Final = 26  # fixed, so one lane or nine read the same; extra height stays below the plot
_PLOT_FRAME_PX: Final = 36  # the date axis and a little air above the first lane
DEFAULT_MONTHS: Final = 12


@dataclass
class _LaneItems:
    """One lane's events as arrays, and the few graphics items that draw all of them."""

    lane: Lane
    row: int
    indices: npt.NDArray[np.intp]  # positions in the events given to set_events
    starts: FloatArray
    ends: FloatArray  # equal to starts for point contacts
    checkbox: QCheckBox
    graphics: list[Any] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.checkbox.isChecked()

    def visible_mask(self, x0: float, x1: float) -> npt.NDArray[np.bool_]:
        return (self.starts <= x1) & (self.ends >= x0)


class ContactsTimeline(QWidget):
    """All contacts of one patient on a shared time axis.

    Keyboard: Alt+P focuses the period chooser; Tab then walks the lane checkboxes (Space toggles one).
    The mouse pans and zooms the time axis; hovering shows a tooltip, a click activates the event.

    Signals:
        item_activated(int): an event was clicked; the int indexes the sequence given to set_events.
    """

    item_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._events: list[TimelineItem] = []
        self._as_of: date | None = None
        self._months: int | None = DEFAULT_MONTHS
        self._preset_range: tuple[float, float] | None = None
        self._hidden_kinds: set[str] = set()  # survives set_events, so a filter sticks across patients
        self._lanes: list[_LaneItems] = []
        # Per lane key, for tests and the overview: the lane's checkbox and its graphics items.
        self.filter_checkboxes: dict[str, QCheckBox] = {}
        self.lane_markers: dict[str, Any] = {}  # pg.ScatterPlotItem, one per lane
        self.lane_bars: dict[str, Any] = {}  # pg.BarGraphItem, admissions and home care
        self.stay_labels: TextLabels | None = None  # "5 dage" next to each finished admission

        self.range_combo = QComboBox(self)
        for label, months in preset_labels():
            self.range_combo.addItem(label, months)
        self.range_combo.setCurrentIndex(self._preset_index(DEFAULT_MONTHS))
        self.range_combo.currentIndexChanged.connect(self._on_preset_chosen)
        period_label = QLabel(self.tr("&Periode:"), self)
        period_label.setBuddy(self.range_combo)
        filters = QWidget(self)  # the checkboxes double as the legend: marker shape and colour per lane
        self._filter_row = FlowLayout(filters)
        toolbar = QHBoxLayout()
        toolbar.addWidget(period_label, alignment=Qt.AlignmentFlag.AlignTop)
        toolbar.addWidget(self.range_combo, alignment=Qt.AlignmentFlag.AlignTop)
        toolbar.addSpacing(12)
        toolbar.addWidget(filters, stretch=1)

        self.plot_widget = pg.PlotWidget(self, axisItems={"bottom": DanishDateAxis()})
        plot = self.plot_widget.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)  # pyqtgraph's context menu is English-only
        plot.showGrid(x=True, y=False, alpha=0.2)
        self.view_box.invertY(True)  # first lane on top
        self.view_box.setMouseEnabled(x=True, y=False)
        self.view_box.setLimits(minXRange=MIN_VISIBLE_SECONDS)
        self.view_box.sigXRangeChanged.connect(self._update_description)
        scene = self.plot_widget.scene()
        scene.sigMouseMoved.connect(self._on_mouse_moved)
        scene.sigMouseClicked.connect(self._on_mouse_clicked)
        self.plot_widget.setAccessibleName(self.tr("Kontakter"))

        self.empty_label = QLabel(self.tr("Ingen kontakter"), self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack = QStackedLayout()
        self._stack.addWidget(self.empty_label)
        self._stack.addWidget(self.plot_widget)
        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addLayout(self._stack)
        layout.addStretch(1)
        self.setAccessibleName(self.tr("Kontakttidslinje"))
        self._render()

    @property
    def view_box(self) -> Any:
        return self.plot_widget.getPlotItem().getViewBox()

    # --- data and range ---------------------------------------------------------------------------

    def set_events(self, events: Sequence[TimelineItem], as_of: date) -> None:
        self._events = list(events)
        self._as_of = as_of
        self._render()
        self._apply_range()

    def set_range_months(self, months: int | None) -> None:
        """Show the last ``months`` months up to as_of; None shows every event."""
        self._months = months
        self.range_combo.blockSignals(True)
        self.range_combo.setCurrentIndex(self._preset_index(months))  # -1 (blank) for a non-preset span
        self.range_combo.blockSignals(False)
        self._apply_range()

    def lanes(self) -> list[str]:
        """Lane keys from top to bottom: the kinds present (unknown kinds as "other"), in clinical order."""
        return [items.lane.key for items in self._lanes]

    def visible_range(self) -> tuple[float, float]:
        (x0, x1), _ = self.view_box.viewRange()
        return float(x0), float(x1)

    def visible_counts(self) -> dict[str, int]:
        """Events per lane key (kind or "other") in the visible time range; filtered lanes are left out."""
        x0, x1 = self.visible_range()
        return {items.lane.key: int(items.visible_mask(x0, x1).sum()) for items in self._lanes if items.shown}

    def summary_text(self) -> str:
        x0, x1 = self.visible_range()
        if self._preset_range is not None and np.allclose((x0, x1), self._preset_range, rtol=0, atol=60):
            period = preset_label(self._months)
        else:  # zoomed or panned by hand
            period = f"{format_epoch_date(x0)}–{format_epoch_date(x1 - 1)}"
        inpatient_days = 0
        for items in self._lanes:
            if items.lane.key == "inpatient" and items.shown:
                visible = items.indices[items.visible_mask(x0, x1)]
                inpatient_days = sum(stay_days(self._events[i]) or 0 for i in visible)
        return summary_text(period, self.visible_counts(), inpatient_days)

    def tooltip_for(self, index: int) -> str:
        assert self._as_of is not None
        return event_tooltip(self._events[index], self._as_of)

    def event_at(self, scene_pos: QPointF) -> int | None:
        """Index of the event under a scene position: a marker first, else a bar."""
        markers = []
        for items in self._shown_lanes():
            rows = np.full(len(items.starts), float(items.row))
            hit = nearest_point(self.view_box, scene_pos, items.starts, rows, HIT_RADIUS_PX)
            if hit is not None:
                markers.append((hit[1], int(items.indices[hit[0]])))
        if markers:
            return min(markers)[1]
        view_pos = self.view_box.mapSceneToView(scene_pos)
        tolerance = 2 * self.view_box.viewPixelSize()[0]
        for items in self._shown_lanes():
            if items.lane.is_span and abs(view_pos.y() - items.row) <= BAR_HEIGHT / 2:
                x = view_pos.x()
                inside = np.flatnonzero((items.starts - tolerance <= x) & (x <= items.ends + tolerance))
                if len(inside):
                    shortest = inside[np.argmin(items.ends[inside] - items.starts[inside])]
                    return int(items.indices[shortest])
        return None

    # --- Qt events --------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            x_range = self.visible_range()
            self._render()
            self.view_box.setXRange(*x_range, padding=0)

    def _on_preset_chosen(self, index: int) -> None:
        self.set_range_months(self.range_combo.itemData(index))

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        index = self.event_at(scene_pos)
        self.view_box.setToolTip(self.tooltip_for(index) if index is not None else "")

    def _on_mouse_clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        index = self.event_at(event.scenePos())
        if index is not None:
            self.item_activated.emit(index)

    def _on_filter_toggled(self, kind: str, shown: bool) -> None:
        if shown:
            self._hidden_kinds.discard(kind)
        else:
            self._hidden_kinds.add(kind)
        for items in self._lanes:
            if items.lane.key == kind:
                for graphic in items.graphics:
                    graphic.setVisible(shown)
        self._update_description()

    def _update_description(self, *_: object) -> None:
        summary = self.summary_text() if self._lanes else self.tr("Ingen kontakter")
        self.setAccessibleDescription(summary)
        self.plot_widget.setAccessibleDescription(summary)

    # --- drawing ----------------------------------------------------------------------------------

    def _preset_index(self, months: int | None) -> int:
        return next((i for i, (_, value) in enumerate(RANGE_PRESETS) if value == months), -1)

    def _shown_lanes(self) -> list[_LaneItems]:
        return [items for items in self._lanes if items.shown]

    def _apply_range(self) -> None:
        if self._as_of is None:
            return
        end = to_epoch_seconds(self._as_of + timedelta(days=1))  # through the whole of as_of
        if self._months is not None:
            start = to_epoch_seconds(months_before(self._as_of, self._months))
        elif self._lanes:
            start = min(float(items.starts.min()) for items in self._lanes)
            end = max(end, *(float(items.ends.max()) for items in self._lanes))
            margin = max((end - start) * 0.02, DAY_SECONDS)
            start, end = start - margin, end + margin
        else:
            start = to_epoch_seconds(months_before(self._as_of, DEFAULT_MONTHS))
        self.view_box.setXRange(start, end, padding=0)
        self._preset_range = self.visible_range()
        self._update_description()

    def _render(self) -> None:
        colors = ChartColors.from_palette(self.palette())
        plot = self.plot_widget.getPlotItem()
        for items in self._lanes:
            for graphic in items.graphics:
                plot.removeItem(graphic)
            self._filter_row.removeWidget(items.checkbox)
            items.checkbox.deleteLater()
        self._lanes.clear()
        self.filter_checkboxes.clear()
        self.lane_markers.clear()
        self.lane_bars.clear()
        self.stay_labels = None
        self.plot_widget.setBackground(colors.background)
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(colors.muted))
            axis.setTextPen(pg.mkPen(colors.text))

        lanes = present_lanes(self._events) if self._as_of is not None else []
        by_lane: dict[str, list[int]] = {lane.key: [] for lane in lanes}
        for index, event in enumerate(self._events):
            by_lane[lane_for(event.kind).key].append(index)
        for row, lane in enumerate(lanes):
            self._lanes.append(
                self._build_lane(row, lane, np.array(by_lane[lane.key], dtype=np.intp), colors)
            )
        self._set_lane_ticks(lanes)
        self.view_box.setYRange(-0.6, len(lanes) - 0.4, padding=0)
        self.plot_widget.setFixedHeight(LANE_HEIGHT_PX * max(len(lanes), 1) + _PLOT_FRAME_PX)
        self._stack.setCurrentWidget(self.plot_widget if lanes else self.empty_label)
        self._update_description()

    def _set_lane_ticks(self, lanes: list[Lane]) -> None:
        axis = self.plot_widget.getPlotItem().getAxis("left")
        titles = [lane.title() for lane in lanes]
        axis.setTicks([[(float(row), title) for row, title in enumerate(titles)], []])
        # Sized from the labels: pyqtgraph would widen the axis only after a first paint without them.
        metrics = QFontMetrics(self.plot_widget.font())
        axis.setWidth(max((metrics.horizontalAdvance(title) for title in titles), default=0) + 16)

    def _build_lane(
        self, row: int, lane: Lane, indices: npt.NDArray[np.intp], colors: ChartColors
    ) -> _LaneItems:
        assert self._as_of is not None
        as_of = self._as_of
        events = [self._events[i] for i in indices]
        starts = np.array([to_epoch_seconds(e.start) for e in events], dtype=np.float64)
        ends = (
            np.array([to_epoch_seconds(span_end(e, as_of)) for e in events], dtype=np.float64)
            if lane.is_span
            else starts.copy()
        )
        color = colors.on_background(lane.hue)
        shown = lane.key not in self._hidden_kinds
        checkbox = self._make_checkbox(lane, color, colors.background, shown)
        items = _LaneItems(lane, row, indices, starts, ends, checkbox)

        rows = np.full(len(starts), float(row))
        if lane.is_span:
            bars = pg.BarGraphItem(
                x0=starts,
                x1=ends,
                y=rows,
                height=BAR_HEIGHT,
                brush=with_alpha(color, 90),
                pen=pg.mkPen(color),
            )
            self.lane_bars[lane.key] = bars
            items.graphics.append(bars)
            if lane.key == "inpatient":
                self.stay_labels = self._stay_labels(events, ends, row, colors.text)
                items.graphics.append(self.stay_labels)
        size = MARKER_SIZE * _SYMBOL_SCALE.get(lane.symbol, 1.0)
        outline = pg.mkPen(colors.background, width=1)  # keeps overlapping markers apart
        markers = pg.ScatterPlotItem(starts, rows, size=size, symbol=lane.symbol, brush=color, pen=outline)
        self.lane_markers[lane.key] = markers
        items.graphics.append(markers)
        for graphic in items.graphics:
            graphic.setVisible(shown)
            self.plot_widget.getPlotItem().addItem(graphic)
        return items

    def _stay_labels(
        self, events: list[TimelineItem], ends: FloatArray, row: int, color: QColor
    ) -> TextLabels:
        """'5 dage' just right of each finished admission's bar."""
        labelled = [
            (float(end), days)
            for event, end in zip(events, ends, strict=True)
            if not is_ongoing(event) and (days := stay_days(event)) is not None
        ]
        xs = [end for end, _ in labelled]
        return TextLabels(xs, [row] * len(xs), [days_label(days) for _, days in labelled], color)

    def _make_checkbox(self, lane: Lane, color: QColor, background: QColor, shown: bool) -> QCheckBox:
        checkbox = QCheckBox(lane.title(), self)
        checkbox.setChecked(shown)
        checkbox.setToolTip(lane.toggle_tooltip())
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        checkbox.setIcon(symbol_icon(lane.symbol, color, background, size, self.devicePixelRatioF()))
        checkbox.toggled.connect(lambda checked, kind=lane.key: self._on_filter_toggled(kind, checked))
        self._filter_row.addWidget(checkbox)
        self.filter_checkboxes[lane.key] = checkbox
        return checkbox
