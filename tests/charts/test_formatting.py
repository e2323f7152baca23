"""Danish dates and numbers, UTC epoch conversion, calendar arithmetic: pure functions, no Qt."""

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from cockpit.models.months import months_before
from cockpit.views.charts.formatting import (
    days_label,
    format_date,
    format_epoch_date,
    format_number,
    format_quantity,
    to_epoch_seconds,
)
from tests.charts.conftest import AS_OF_EPOCH


@pytest.fixture
def far_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run with a local zone 13 hours from UTC, so any accidental local-time conversion shows."""
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("far_from_utc")
def test_a_naive_datetime_is_read_as_utc_whatever_the_local_zone() -> None:
    assert time.localtime(0).tm_hour == 12  # the zone really is in effect (NZST, UTC+12 in 1970)
    assert to_epoch_seconds(datetime(2026, 3, 2)) == AS_OF_EPOCH
    assert to_epoch_seconds(datetime(2024, 1, 3, 9, 30)) == 1_704_067_200 + 2 * 86_400 + 9.5 * 3600
    assert to_epoch_seconds(date(2026, 3, 2)) == AS_OF_EPOCH
    assert to_epoch_seconds(datetime(2026, 3, 2, 1, tzinfo=UTC)) == AS_OF_EPOCH + 3600


@pytest.mark.usefixtures("far_from_utc")
def test_dates_are_dd_mm_yyyy_in_utc() -> None:
    assert format_date(datetime(2026, 3, 2, 23, 59)) == "02-03-2026"
    assert format_date(date(1999, 12, 31)) == "31-12-1999"
    assert format_epoch_date(AS_OF_EPOCH) == "02-03-2026"
    assert format_epoch_date(AS_OF_EPOCH - 1) == "01-03-2026"


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (7.24, 1, "7,2"),
        (71.0, 0, "71"),
        (5.04, 1, "5,0"),
        (-1.25, 2, "-1,25"),
        (-0.04, 1, "0,0"),
        (1234.5, 1, "1234,5"),
    ],
)
def test_numbers_use_a_decimal_comma(value: float, decimals: int, text: str) -> None:
    assert format_number(value, decimals) == text


def test_quantities_and_day_counts_read_naturally() -> None:
    assert format_quantity(71, "mmol/mol", 0) == "71 mmol/mol"
    assert format_quantity(7.2, "", 1) == "7,2"
    assert [days_label(n) for n in (0, 1, 5)] == ["0 dage", "1 dag", "5 dage"]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 2), 12, date(2025, 3, 2)),
        (date(2026, 3, 2), 3, date(2025, 12, 2)),
        (date(2026, 5, 31), 3, date(2026, 2, 28)),
        (date(2024, 5, 31), 3, date(2024, 2, 29)),
        (date(2026, 3, 2), 60, date(2021, 3, 2)),
    ],
)
def test_months_before_keeps_the_day_or_clamps_to_the_month_end(
    day: date, months: int, expected: date
) -> None:
    assert months_before(day, months) == expected
