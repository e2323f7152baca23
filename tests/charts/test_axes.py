"""Axis labels: Danish month names, dd-mm-yyyy, decimal comma, and UTC regardless of the local zone."""

import time
from collections.abc import Iterator
from datetime import datetime

import pytest

from cockpit.views.charts.axes import DanishDateAxis, DecimalCommaAxis
from cockpit.views.charts.formatting import to_epoch_seconds

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("qtbot")]  # a QApplication, for font metrics
WIDE_PX = 2000  # wide enough that no tick level is thinned out


@pytest.fixture
def axis(monkeypatch: pytest.MonkeyPatch) -> Iterator[DanishDateAxis]:
    monkeypatch.setenv("TZ", "America/Los_Angeles")  # labels must not shift by the local offset
    time.tzset()
    yield DanishDateAxis()
    monkeypatch.undo()
    time.tzset()


def labels(axis: DanishDateAxis, start: datetime, end: datetime, width: int = WIDE_PX) -> list[list[str]]:
    levels = axis.tickValues(to_epoch_seconds(start), to_epoch_seconds(end), width)
    return [axis.tickStrings(values, 1.0, spacing) for spacing, values in levels]


def test_a_year_shows_the_year_then_danish_month_abbreviations(axis: DanishDateAxis) -> None:
    years, months = labels(axis, datetime(2025, 12, 1), datetime(2026, 12, 31))
    assert years == ["2026"]
    # 1 January is the year tick; no month needs a year of its own.
    assert months == ["feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def test_months_before_the_first_year_tick_say_which_year_they_are_in(axis: DanishDateAxis) -> None:
    years, months = labels(axis, datetime(2025, 9, 15), datetime(2026, 2, 20))
    assert years == ["2026"]
    assert months == ["okt 2025", "nov", "dec", "feb"]
    three_months = labels(axis, datetime(2025, 9, 15), datetime(2025, 12, 20), width=600)
    assert three_months == [[], ["okt 2025", "nov", "dec"]]


def test_thinned_month_ticks_keep_clear_of_year_ticks(axis: DanishDateAxis) -> None:
    # 600 px for two years leaves room for every third month: aug, nov, feb, maj, ... "nov" two months
    # before "2025" would read as "nov 2025"; "feb" one month after it would overlap its label.
    years, months = labels(axis, datetime(2024, 5, 20), datetime(2026, 4, 10), width=600)
    assert years == ["2025", "2026"]
    assert months == ["aug 2024", "maj", "aug"]
    # With every sixth month (jun, dec, ...), "jun" five months after a year stays, "dec" goes.
    years, months = labels(axis, datetime(2023, 12, 20), datetime(2026, 3, 10), width=560)
    assert years == ["2024", "2025", "2026"]
    assert months == ["jun", "jun"]


def test_two_weeks_are_labelled_day_by_day_as_dd_mm_yyyy(axis: DanishDateAxis) -> None:
    months, days = labels(axis, datetime(2026, 2, 1), datetime(2026, 2, 15))
    assert months == []
    assert days == [f"{d:02d}-02-2026" for d in range(2, 16)]


def test_the_numeric_axis_writes_a_decimal_comma() -> None:
    axis = DecimalCommaAxis("left")
    assert axis.tickStrings([4.5, 5.0, 5.5], 1.0, 0.5) == ["4,5", "5,0", "5,5"]
    assert axis.tickStrings([40.0, 60.0], 1.0, 20.0) == ["40", "60"]
