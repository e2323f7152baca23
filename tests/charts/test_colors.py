"""Colours come from the palette and stay readable on light and dark backgrounds."""

import pytest
from PySide6.QtGui import QColor, QPalette

from cockpit.views.charts.colors import (
    GRAPHIC_CONTRAST,
    TEXT_CONTRAST,
    ChartColors,
    contrast_ratio,
    readable,
    relative_luminance,
)
from cockpit.views.charts.contacts import ALL_LANES
from tests.charts.conftest import dark_palette, light_palette

pytestmark = pytest.mark.gui


def test_contrast_ratio_matches_the_wcag_reference_values() -> None:
    assert contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)
    assert relative_luminance(QColor("white")) == pytest.approx(1.0)


def test_readable_darkens_on_light_and_lightens_on_dark_keeping_the_hue() -> None:
    yellow = QColor("#F0E442")
    on_white = readable(yellow, QColor("white"))
    on_black = readable(QColor("#0000AA"), QColor("#101010"))
    assert contrast_ratio(on_white, QColor("white")) >= GRAPHIC_CONTRAST
    assert on_white.lightnessF() < yellow.lightnessF()
    assert abs(on_white.hslHueF() - yellow.hslHueF()) < 0.02
    assert contrast_ratio(on_black, QColor("#101010")) >= GRAPHIC_CONTRAST


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_every_chart_colour_contrasts_with_the_background(palette: QPalette) -> None:
    colors = ChartColors.from_palette(palette)
    assert colors.background == palette.color(QPalette.ColorRole.Base)
    assert contrast_ratio(colors.text, colors.background) >= TEXT_CONTRAST
    for graphic in (colors.series, colors.alert, colors.band_edge, colors.target):
        assert contrast_ratio(graphic, colors.background) >= GRAPHIC_CONTRAST
    for lane in ALL_LANES:
        assert contrast_ratio(colors.on_background(lane.hue), colors.background) >= GRAPHIC_CONTRAST
    # The band must be visible as a band, yet leave the text and the curve readable on top of it.
    assert contrast_ratio(colors.band_fill, colors.background) > 1.1
    assert contrast_ratio(colors.text, colors.band_fill) >= TEXT_CONTRAST
    assert contrast_ratio(colors.series, colors.band_fill) >= 2.5
