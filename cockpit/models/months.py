"""Month arithmetic shared by the indicator engine, the overview's rules and the charts, so that "within
12 months" means the same everywhere: after ``as_of`` minus 12 months and on or before ``as_of``; a month
back from the 31st lands on the last day of the shorter month. Dates in texts: ``cockpit.models.danish``.
"""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (negative: back), clamped to the last day of the target month."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_before(day: date, months: int) -> date:
    return add_months(day, -months)


def within_months(day: date, as_of: date, months: int) -> bool:
    return months_before(as_of, months) < day <= as_of


def whole_months_between(earlier: date, later: date) -> int:
    """Completed months from ``earlier`` to ``later`` (02-03-2025 to 22-05-2026: 14)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if add_months(earlier, months) > later else months
