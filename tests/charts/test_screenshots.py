"""Light and dark renders of both charts, saved as PNGs for a human look and checked pixel by pixel for the
basics; and renders at 125 % and 150 % scaling in a child process."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from cockpit.views.charts import ContactsTimeline, TimelineItem, TrendChart, TrendSeries
from cockpit.views.charts.colors import ChartColors, mix
from tests.charts.conftest import AS_OF, dark_palette, light_palette

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]


def save(widget: QWidget, path: Path) -> QImage:
    image = widget.grab().toImage()
    assert image.save(str(path))
    return image


def pixel_inside_plot(widget: QWidget, plot_widget: QWidget, view_box: object, image: QImage) -> QColor:
    """The colour just inside the top-right corner of the plotting area."""
    corner = view_box.sceneBoundingRect().topRight().toPoint() + QPoint(-4, 4)  # type: ignore[attr-defined]
    in_widget = plot_widget.mapTo(widget, corner)
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(in_widget.x() * ratio), round(in_widget.y() * ratio))


def count_near(image: QImage, color: QColor, tolerance: int = 40) -> int:
    """Pixels within tolerance of color on every channel."""
    rgb32 = image.convertToFormat(QImage.Format.Format_RGB32)  # 0xffRRGGBB words, BGRA bytes here
    rows = np.frombuffer(rgb32.constBits(), dtype=np.uint8).reshape(rgb32.height(), rgb32.bytesPerLine())
    bgr = rows[:, : rgb32.width() * 4].reshape(rgb32.height(), rgb32.width(), 4)[..., :3].astype(int)
    target = np.array([color.blue(), color.green(), color.red()])
    return int(np.count_nonzero(np.abs(bgr - target).max(axis=2) <= tolerance))


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_trend_chart_renders_on_its_palette(
    qtbot: QtBot, tmp_path: Path, palette: QPalette, hba1c: TrendSeries, request: pytest.FixtureRequest
) -> None:
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.setPalette(palette)
    chart.resize(640, 320)
    chart.set_series(hba1c)
    chart.show()
    qtbot.waitExposed(chart)
    image = save(chart, tmp_path / f"trend-{request.node.callspec.id}.png")

    colors = ChartColors.from_palette(palette)
    assert pixel_inside_plot(chart, chart.plot_widget, chart.view_box, image) == colors.background
    assert count_near(image, colors.series) > 400  # the curve and the in-range marker
    assert count_near(image, colors.alert, tolerance=25) > 150  # five out-of-range triangles
    assert count_near(image, colors.band_fill, tolerance=4) > 40_000  # the shaded reference band
    plot_right = chart.plot_widget.mapTo(chart, chart.view_box.sceneBoundingRect().topRight().toPoint()).x()
    right_margin = image.copy(plot_right + 2, 0, image.width() - plot_right - 2, image.height())
    assert count_near(right_margin, colors.target, tolerance=60) > 30  # "Mål 53", beside the data


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_timeline_renders_on_its_palette(
    qtbot: QtBot,
    tmp_path: Path,
    palette: QPalette,
    contacts: list[TimelineItem],
    request: pytest.FixtureRequest,
) -> None:
    timeline = ContactsTimeline()
    qtbot.addWidget(timeline)
    timeline.setPalette(palette)
    timeline.resize(900, 420)
    timeline.set_events(contacts, AS_OF)
    timeline.show()
    qtbot.waitExposed(timeline)
    image = save(timeline, tmp_path / f"timeline-{request.node.callspec.id}.png")

    colors = ChartColors.from_palette(palette)
    assert pixel_inside_plot(timeline, timeline.plot_widget, timeline.view_box, image) == colors.background
    bar_fill = timeline.lane_bars["home_care"].opts["brush"]  # translucent over the background
    seen_fill = mix(colors.background, QColor(bar_fill.rgb()), bar_fill.alphaF())
    assert count_near(image, seen_fill, tolerance=6) > 2000  # the ongoing home care bar, months long


@pytest.mark.parametrize(("factor", "trend_width", "timeline_width"), [("1.25", 500, 750), ("1.5", 600, 900)])
def test_both_charts_render_at_fractional_scaling(
    tmp_path: Path, factor: str, trend_width: int, timeline_width: int
) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": factor}
    command = [sys.executable, "-m", "tests.charts.render_scaled", str(tmp_path)]
    result = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "trend",
        factor,
        str(trend_width),
        "timeline",
        factor,
        str(timeline_width),
    ]
    noise = [line for line in result.stderr.splitlines() if "propagateSizeHints" not in line]
    assert noise == []  # no Qt warnings at fractional scaling
