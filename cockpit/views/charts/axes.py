"""Axis items: UTC dates (dd-mm-yyyy, month abbreviations in the interface language) and numbers with the
language's decimal separator (comma in Danish, point in English).

pyqtgraph is untyped, so its classes are ``Any`` to mypy; subclassing them needs the ignores below.
"""

import itertools
from collections import OrderedDict
from typing import Any, Final

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import (
    DAY_SPACING,
    MONTH_SPACING,
    YEAR_SPACING,
    TickSpec,
    ZoomLevel,
    makeMStepper,
    makeSStepper,
    makeYStepper,
)
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from cockpit.views.charts.formatting import (
    format_date,
    from_epoch_seconds,
    localise_decimal,
    month_abbreviation,
)

# TickSpec.format is only read by our tickStrings, so it holds a label style instead of a strftime pattern
# (strftime's %b would follow the C locale, not the interface language).
_YEAR: Final = "year"
_MONTH: Final = "month"
_DATE: Final = "date"

# Below this width the axis would start offering hour ticks; a lab value or a contact has no useful
# time of day on an overview, so views keep at least this much visible (ViewBox minXRange).
MIN_VISIBLE_SECONDS: Final = 7 * DAY_SPACING


class DanishDateAxis(pg.DateAxisItem):  # type: ignore[misc]
    """Bottom axis over UTC epoch seconds: years and month names when coarse, dd-mm-yyyy when fine.

    The month names follow the interface language (Danish by default, hence the name)."""

    def __init__(self, **kwargs: Any) -> None:
        # utcOffset=0: ticks fall on UTC midnights and labels read UTC, matching to_epoch_seconds.
        super().__init__(orientation="bottom", utcOffset=0, **kwargs)
        coarse = ZoomLevel(
            [
                TickSpec(YEAR_SPACING, makeYStepper(1), _YEAR, autoSkip=[1, 2, 5, 10]),
                TickSpec(MONTH_SPACING, makeMStepper(1), _MONTH, autoSkip=[1, 3, 6]),
            ],
            "maj 0000",
        )
        fine = ZoomLevel(
            [
                TickSpec(MONTH_SPACING, makeMStepper(1), _DATE),
                TickSpec(DAY_SPACING, makeSStepper(DAY_SPACING), _DATE, autoSkip=[1, 2, 7, 14]),
            ],
            "00-00-0000",
        )
        self.zoomLevels = OrderedDict([(np.inf, coarse), (5 * DAY_SPACING, fine)])
        # DateAxisItem measures labels with metrics it only learns while painting; seed them so tick
        # values can be computed (and tested) before the first paint.
        self.fontMetrics = QFontMetrics(QApplication.font())
        self._first_year_tick = np.inf

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        values: list[tuple[float, list[float]]] = super().tickValues(minVal, maxVal, size)
        year_ticks = [tick for spacing, ticks in values if spacing == YEAR_SPACING for tick in ticks]
        self._first_year_tick = min(year_ticks, default=np.inf)
        if year_ticks and self.zoomLevel.tickSpecs[0].format == _YEAR:
            values = [
                (spacing, _clear_of(ticks, year_ticks) if spacing == MONTH_SPACING else ticks)
                for spacing, ticks in values
            ]
        return values

    def tickStrings(self, values: list[float], _scale: float, spacing: float) -> list[str]:
        style = next((s.format for s in self.zoomLevel.tickSpecs if s.spacing == spacing), _DATE)
        moments = [from_epoch_seconds(v) for v in values]
        if style == _YEAR:
            return [str(m.year) for m in moments]
        if style == _MONTH:
            labels = [month_abbreviation(m.month) for m in moments]
            if labels and values[0] < self._first_year_tick:
                # Months left of the first year tick (or with none in view) would have no year to read.
                labels[0] = f"{labels[0]} {moments[0].year}"
            return labels
        return [format_date(m) for m in moments]


def _clear_of(month_ticks: list[float], year_ticks: list[float]) -> list[float]:
    """Drop month ticks crowding a year tick when months are thinned out (every 3rd or 6th labelled).

    A month just left of a year reads as one date ("nov 2025" for November 2024); one just right of it
    would overlap the year's label.
    """
    if len(month_ticks) < 2:
        return month_ticks
    step = min(b - a for a, b in itertools.pairwise(month_ticks))

    def crowded(month: float, year: float) -> bool:
        return 0 < year - month < 0.75 * step or 0 < month - year < 0.5 * step

    return [m for m in month_ticks if not any(crowded(m, y) for y in year_ticks)]


class DecimalCommaAxis(pg.AxisItem):  # type: ignore[misc]
    """Numeric axis in the interface language's decimal separator: 7,5 in Danish, 7.5 in English."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [localise_decimal(text) for text in super().tickStrings(values, scale, spacing)]
