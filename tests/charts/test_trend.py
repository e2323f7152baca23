"""TrendChart: points, reference band, target, tooltips, keyboard zoom/pan, empty state, dark palette."""

from datetime import datetime

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from cockpit.views.charts import TrendChart, TrendSeries
from cockpit.views.charts.colors import GRAPHIC_CONTRAST, TEXT_CONTRAST, contrast_ratio
from tests.charts.conftest import DAY, dark_palette

pytestmark = pytest.mark.gui

# Hand-computed epoch seconds of the HbA1c points (2024-01-01T00:00Z is 1704067200).
FIRST_POINT = 1_704_067_200 + 2 * DAY + 9.5 * 3600  # 03-01-2024 09:30
LAST_POINT = 1_772_409_600 + 8 * 3600  # 02-03-2026 08:00


@pytest.fixture
def chart(qtbot: QtBot) -> TrendChart:
    widget = TrendChart()
    qtbot.addWidget(widget)
    widget.resize(640, 320)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def x_range(chart: TrendChart) -> tuple[float, float]:
    (x0, x1), _ = chart.view_box.viewRange()
    return float(x0), float(x1)


def test_points_are_placed_at_their_utc_times_in_time_order(chart: TrendChart, hba1c: TrendSeries) -> None:
    chart.set_series(hba1c)
    xs, ys = chart.line.getData()
    assert xs[0] == FIRST_POINT
    assert xs[-1] == LAST_POINT
    assert list(ys) == [48, 52, 58, 55, 63, 71]
    assert chart.plot_widget.isVisible() and not chart.empty_label.isVisible()


def test_values_outside_the_reference_range_are_marked_with_their_direction(
    chart: TrendChart, potassium: TrendSeries
) -> None:
    chart.set_series(potassium)
    _, normal = chart.markers.getData()
    _, flagged = chart.alert_markers.getData()
    assert list(normal) == [4.0, 5.04]  # 5.04 prints as 5,0, which is not above 5,0
    assert list(flagged) == [3.2, 5.3]
    assert list(chart.alert_markers.data["symbol"]) == ["t", "t1"]  # down for low, up for high


def test_reference_band_and_target_line_sit_at_their_values(chart: TrendChart, hba1c: TrendSeries) -> None:
    chart.set_series(hba1c)
    assert chart.reference_band is not None
    assert (chart.reference_band.low, chart.reference_band.high) == (20.0, 48.0)
    assert chart.target_line.value() == 53.0
    assert chart.target_label == "Mål 53"
    assert chart.plot_widget.getPlotItem().getAxis("right").isVisible()
    # The band covers the visible width and exactly the reference y range.
    band = chart.reference_band.boundingRect()
    assert (band.top(), band.bottom()) == (20.0, 48.0)
    assert (band.left(), band.right()) == pytest.approx(x_range(chart))


def test_a_one_sided_reference_range_shades_to_the_edge_and_target_defaults_its_label(
    chart: TrendChart,
) -> None:
    egfr = TrendSeries("eGFR", "ml/min/1,73m²", [(datetime(2025, 1, 1), 55.0)], ref_low=60.0, target=60.0)
    chart.set_series(egfr)
    assert chart.reference_band is not None
    _, (_, y_top) = chart.view_box.viewRange()
    assert chart.reference_band.boundingRect().bottom() == pytest.approx(y_top)
    assert chart.target_label == "Mål 60,0"
    assert chart.summary_text() == "eGFR: 1 måling den 01-01-2025: 55,0 ml/min/1,73m² (under målet 60,0)"


def test_tooltip_for_a_point_has_the_danish_date_and_decimal_comma(
    chart: TrendChart, hba1c: TrendSeries, potassium: TrendSeries
) -> None:
    chart.set_series(hba1c)
    assert chart.tooltip_for(5) == "02-03-2026: 71 mmol/mol"
    chart.set_series(potassium)
    assert chart.tooltip_for(2) == "14-05-2025: 5,3 mmol/l"


def test_hovering_a_point_sets_its_tooltip_and_leaving_it_clears_it(
    chart: TrendChart, hba1c: TrendSeries
) -> None:
    chart.set_series(hba1c)
    scene = chart.plot_widget.scene()
    on_point = chart.view_box.mapViewToScene(QPointF(LAST_POINT, 71.0))
    scene.sigMouseMoved.emit(on_point + QPointF(3, -2))  # a few pixels off still counts
    assert chart.view_box.toolTip() == "02-03-2026: 71 mmol/mol"
    scene.sigMouseMoved.emit(on_point + QPointF(0, 40))
    assert chart.view_box.toolTip() == ""


def test_plus_minus_arrows_zoom_and_pan_and_zero_restores_the_overview(
    qtbot: QtBot, chart: TrendChart, hba1c: TrendSeries
) -> None:
    chart.set_series(hba1c)
    home = x_range(chart)
    assert home[0] < FIRST_POINT and home[1] > LAST_POINT  # all points, with a margin

    qtbot.keyClick(chart.plot_widget, Qt.Key.Key_Plus)  # through the focused plot, as a user would
    zoomed = x_range(chart)
    assert zoomed[1] - zoomed[0] == pytest.approx((home[1] - home[0]) / 1.5)
    assert (zoomed[0] + zoomed[1]) / 2 == pytest.approx((home[0] + home[1]) / 2)

    qtbot.keyClick(chart.plot_widget, Qt.Key.Key_Left)
    panned = x_range(chart)
    assert panned[0] == pytest.approx(zoomed[0] - 0.2 * (zoomed[1] - zoomed[0]))

    qtbot.keyClick(chart, Qt.Key.Key_Minus)  # and on the chart widget itself
    assert x_range(chart)[1] - x_range(chart)[0] == pytest.approx(home[1] - home[0])

    qtbot.keyClick(chart.plot_widget, Qt.Key.Key_0)
    assert x_range(chart) == pytest.approx(home)
    qtbot.keyClick(chart.plot_widget, Qt.Key.Key_Right)
    qtbot.keyClick(chart.plot_widget, Qt.Key.Key_Home)
    assert x_range(chart) == pytest.approx(home)


def test_summary_is_the_accessible_description(chart: TrendChart, hba1c: TrendSeries) -> None:
    chart.set_series(hba1c)
    expected = "HbA1c: 6 målinger fra 03-01-2024 til 02-03-2026, seneste 71 mmol/mol (over målet 53)"
    assert chart.summary_text() == expected
    assert chart.accessibleDescription() == expected
    assert chart.accessibleName() == "Forløb: HbA1c"


def test_summary_without_a_target_compares_with_the_reference_range(
    chart: TrendChart, potassium: TrendSeries
) -> None:
    chart.set_series(potassium)
    assert chart.target_line is None and chart.target_label is None
    assert not chart.plot_widget.getPlotItem().getAxis("right").isVisible()
    assert chart.summary_text() == "P-Kalium: 4 målinger fra 10-01-2025 til 16-07-2025, seneste 5,0 mmol/l"
    high_last = TrendSeries("P-Kalium", "mmol/l", [(datetime(2025, 5, 14), 5.3)], ref_low=3.5, ref_high=5.0)
    chart.set_series(high_last)
    assert chart.summary_text().endswith("5,3 mmol/l (over referenceintervallet 3,5–5,0)")


def test_an_empty_series_shows_a_message_instead_of_a_plot(chart: TrendChart, hba1c: TrendSeries) -> None:
    chart.set_series(hba1c)
    chart.set_series(TrendSeries("HbA1c", "mmol/mol", []))
    assert chart.empty_label.isVisible() and not chart.plot_widget.isVisible()
    assert "Ingen målinger" in chart.empty_label.text()
    assert "HbA1c" in chart.empty_label.text()
    assert chart.line is None and chart.reference_band is None
    assert chart.summary_text() == "HbA1c: ingen målinger"
    chart.clear()
    assert chart.empty_label.text() == "Ingen målinger"
    assert chart.accessibleDescription() == "Ingen målinger"


def test_dark_palette_gives_a_dark_plot_with_contrasting_marks(chart: TrendChart, hba1c: TrendSeries) -> None:
    chart.set_series(hba1c)
    chart.view_box.setXRange(FIRST_POINT, LAST_POINT, padding=0)
    before = x_range(chart)
    chart.setPalette(dark_palette())

    background = chart.plot_widget.backgroundBrush().color()
    assert background == QColor("#1e1e1e")
    marks = {
        "line": chart.line.opts["pen"].color(),
        "markers": chart.markers.opts["brush"].color(),
        "alerts": chart.alert_markers.opts["brush"].color(),
        "target": chart.target_line.pen.color(),
        "band edge": chart.reference_band.edge if chart.reference_band else QColor(),
    }
    for name, color in marks.items():
        assert contrast_ratio(color, background) >= GRAPHIC_CONTRAST, name
    axis_text = chart.plot_widget.getPlotItem().getAxis("bottom").textPen().color()
    assert contrast_ratio(axis_text, background) >= TEXT_CONTRAST
    assert chart.reference_band is not None
    assert contrast_ratio(chart.reference_band.fill, background) > 1.1
    assert x_range(chart) == pytest.approx(before)  # restyling keeps the user's zoom


def test_markers_are_one_item_each_not_one_per_point(chart: TrendChart, hba1c: TrendSeries) -> None:
    chart.set_series(hba1c)
    chart.set_series(hba1c)  # replacing the series must not leave old items behind
    items = chart.plot_widget.getPlotItem().items
    assert len(items) == 5  # band, target line, curve, normal markers, alert markers
    assert np.count_nonzero(chart.alert_markers.getData()[0]) == 5
