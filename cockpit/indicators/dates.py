"""Date arithmetic of the reference definitions, done in Python so that the SQL only compares values.

"Within 12 months" means after ``as_of`` minus 12 months and on or before ``as_of``; a month back from
the 31st lands on the last day of the shorter month. Age is in whole years at ``as_of``.
"""

from datetime import date, datetime, time, timedelta

from cockpit.models.months import months_before

__all__ = [
    "age_on",
    "born_on_or_before_for_age",
    "months_before",
    "next_midnight",
    "start_of_day",
]


def born_on_or_before_for_age(as_of: date, age: int) -> date:
    """The latest birth date of someone at least ``age`` years old on ``as_of`` (29 February counts as
    having had its birthday on 1 March in a common year)."""
    return months_before(as_of, 12 * age)


def age_on(birth_date: date, as_of: date) -> int:
    had_birthday = (as_of.month, as_of.day) >= (birth_date.month, birth_date.day)
    return as_of.year - birth_date.year - (0 if had_birthday else 1)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time())


def next_midnight(day: date) -> datetime:
    """Naive datetime at the end of ``day``: a time on ``day`` is before it."""
    return start_of_day(day + timedelta(days=1))
