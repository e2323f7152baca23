"""Dates and numbers as a Danish GP reads them: the one home the engine, the overview and the window use."""

from datetime import date, datetime

import pytest

from cockpit.models.danish import dk_date, dk_number
from cockpit.models.danish import format_fixed as format_number


def test_dates_are_dd_mm_yyyy() -> None:
    assert dk_date(date(2026, 3, 2)) == "02-03-2026"
    assert dk_date(datetime(1999, 12, 31, 23, 59)) == "31-12-1999"
    assert dk_date(None) == "ukendt dato"


# Moved from tests/services/test_labcatalogue.py (the lab catalogue's own format_number is gone).
@pytest.mark.parametrize(("value", "decimals", "text"), [(71, 0, "71"), (4.0, 1, "4,0"), (5.55, 2, "5,55")])
def test_danish_numbers(value: float, decimals: int, text: str) -> None:
    assert format_number(value, decimals) == text


def test_fixed_decimals_never_read_minus_zero_and_take_another_separator() -> None:
    assert format_number(-0.04, 1) == "0,0"
    assert format_number(-1.25, 2) == "-1,25"
    assert format_number(1234.5, 1) == "1234,5"  # no thousands separator, as on Danish lab sheets
    assert format_number(7.24, 1, ".") == "7.2"


@pytest.mark.parametrize(
    ("value", "decimals", "text"), [(80.33, 1, "80,3"), (75.0, 1, "75"), (5.50, 2, "5,5"), (120.0, 0, "120")]
)
def test_evidence_numbers_drop_trailing_zeros(value: float, decimals: int, text: str) -> None:
    assert dk_number(value, decimals) == text
