"""Dates and times for the demo: Danish local time with its UTC offset, and random days in a window.

The offset follows the EU summer-time rule (last Sunday of March to last Sunday of October) computed
here rather than from a time-zone database, which Windows Pythons lack. The switch hour itself is ignored:
no demo event happens between 02:00 and 03:00 on those two nights.
"""

from datetime import date, datetime, timedelta
from functools import cache
from random import Random

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
FRIDAY = 4
SATURDAY = 5


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 6) % 7)


@cache
def _summer_time(year: int) -> tuple[date, date]:
    return _last_sunday(year, 3), _last_sunday(year, 10)


def utc_offset(day: date) -> str:
    start, end = _summer_time(day.year)
    return "+02:00" if start <= day < end else "+01:00"


def local_datetime(moment: datetime) -> str:
    """``2024-03-05T08:23:00+01:00``: the Danish wall-clock time with its offset."""
    return f"{moment.isoformat(timespec='seconds')}{utc_offset(moment.date())}"


def at_minutes(day: date, minutes: int) -> datetime:
    """``day`` at ``minutes`` after midnight."""
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60)


def random_day(rng: Random, first: date, last: date) -> date:
    """A day in [first, last], uniformly."""
    span = (last - first).days
    return first if span <= 0 else first + timedelta(days=rng.randrange(span + 1))


def working_day(day: date, earliest: date, latest: date) -> date:
    """``day`` if it is a weekday; a Saturday or Sunday moves back to Friday, or forward to Monday when
    Friday is before ``earliest`` (and stays put when neither fits between ``earliest`` and ``latest``)."""
    weekday = day.weekday()
    if weekday < SATURDAY:
        return day
    friday = day - timedelta(days=weekday - FRIDAY)
    if friday >= earliest:
        return friday
    monday = day + timedelta(days=7 - weekday)
    return monday if monday <= latest else day


def years_between(first: date, last: date) -> float:
    return (last - first).days / DAYS_PER_YEAR


def shift_years(day: date, years: float) -> date:
    """``day`` moved by ``years`` (fractional, negative for earlier), to the day."""
    return day + timedelta(days=round(years * DAYS_PER_YEAR))


def shift_months(day: date, months: float) -> date:
    return day + timedelta(days=round(months * DAYS_PER_MONTH))


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
