"""What every criterion's SQL is built from: the clinical tables, the statuses that void a row, the
evaluation ``Context`` (as-of date, parameter values) and two small helpers
(``where_exists``, ``compare``)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlalchemy import (
    ColumnElement,
    literal_column,
    select,
)

from cockpit.indicators import model as m
from cockpit.indicators.dates import months_before, next_midnight, start_of_day
from cockpit.models.base import Base

PATIENTS: Final = Base.metadata.tables["patients"]


CONDITIONS: Final = Base.metadata.tables["conditions"]


MEDICATIONS: Final = Base.metadata.tables["medications"]


OBSERVATIONS: Final = Base.metadata.tables["observations"]


ENCOUNTERS: Final = Base.metadata.tables["encounters"]


# The reference definitions (docs/indicators.md) in data.
CONDITION_NOT_ACTIVE: Final = ("inactive", "resolved", "remission")


CONDITION_NOT_TRUE: Final = ("refuted", "entered-in-error")


MEDICATION_NEVER: Final = ("entered-in-error", "cancelled", "draft", "not-taken")


MEDICATION_ENDED: Final = ("stopped", "completed")  # only counts when no end date is recorded


# The one status that makes a medication without a start date active (FMK-derived lists often lack dates).
MEDICATION_ACTIVE: Final = "active"


OBSERVATION_VOID: Final = ("entered-in-error", "cancelled")


ENCOUNTER_VOID: Final = ("entered-in-error", "cancelled")


# v3 ActPriority codes of a planned contact (elective, routine); any other priority, or none, is acute.
NOT_ACUTE_PRIORITIES: Final = ("EL", "R")


ATC_LENGTH: Final = {1: 1, 2: 3, 3: 4, 4: 5, 5: 7}


@dataclass(frozen=True, slots=True)
class Context:
    """What a criterion is evaluated against: the as-of date and the parameter values."""

    as_of: date
    thresholds: Mapping[str, float]
    # The evaluation is for a few known patients (one patient's attention panel): an observation criterion
    # then looks up each patient's own rows instead of scanning everyone's rows of its codes.
    per_patient: bool = False

    def number(self, value: m.Number | None) -> float:
        if isinstance(value, m.Param):
            return self.thresholds[value.name]
        assert value is not None
        return value

    def whole(self, value: m.Number | None) -> int:
        return round(self.number(value))

    def window_start(self, window: m.Window) -> date:
        """The day before the window's first day: a date is in the window when it is after this one."""
        if window.months is not None:
            return months_before(self.as_of, self.whole(window.months))
        return self.as_of - timedelta(days=self.whole(window.days))

    def window_bounds(self, window: m.Window) -> tuple[datetime, datetime]:
        """[first moment, end) of the window as naive datetimes, for datetime columns."""
        return start_of_day(self.window_start(window) + timedelta(days=1)), next_midnight(self.as_of)


def where_exists(*terms: ColumnElement[bool]) -> ColumnElement[bool]:
    """``EXISTS (SELECT 1 ... WHERE terms)``. Not ``SELECT *`` (SQLAlchemy's ``exists()``): for that
    SQLite reads the table row even when an index covers every term, one random page per candidate."""
    return select(literal_column("1")).where(*terms).exists()


PatientFilter = Callable[[ColumnElement[int]], ColumnElement[bool]]


def compare(value: ColumnElement[float | None], op: m.Comparator, threshold: float) -> ColumnElement[bool]:
    if op == ">=":
        return value >= threshold
    if op == ">":
        return value > threshold
    if op == "<=":
        return value <= threshold
    return value < threshold
