"""Calendar-day arithmetic on a row's own date, the one thing the dialects spell differently: SQLAlchemy
compiles each construct per dialect (SQLite ``date()``/``julianday()``, PostgreSQL ``CAST ... AS DATE``)."""

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    literal_column,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Date


class DayShift(FunctionElement[Any]):
    """The calendar day of a date or datetime column plus (or minus) a whole number of days, as a date.

    The one place where SQL needs date arithmetic on a row's own value ("onset within 7 days of the
    prescription", "two results 90 days apart"); the dialects spell it differently, so it is compiled per
    dialect: SQLite ``date(x, '+7 days')``, PostgreSQL (and others) ``CAST(x AS DATE) + 7``. The number is
    written into the SQL (it comes from the pack, checked to be whole), so it is part of the cache key."""

    type = Date()
    inherit_cache = True
    name = "day_shift"


def day_shift(column: ColumnElement[Any], days: int) -> ColumnElement[Any]:
    return DayShift(column, literal_column(str(int(days))))


def _shift_parts(element: DayShift, compiler: SQLCompiler, **kw: Any) -> tuple[str, int]:
    column, days = list(element.clauses)
    return compiler.process(column, **kw), int(str(days))


@compiles(DayShift)
def _day_shift_generic(element: DayShift, compiler: SQLCompiler, **kw: Any) -> str:
    column, days = _shift_parts(element, compiler, **kw)
    sign = "+" if days >= 0 else "-"
    return f"(CAST({column} AS DATE) {sign} {abs(days)})"


@compiles(DayShift, "sqlite")
def _day_shift_sqlite(element: DayShift, compiler: SQLCompiler, **kw: Any) -> str:
    column, days = _shift_parts(element, compiler, **kw)
    return f"date({column}, '{days:+d} days')"


class DayNumber(FunctionElement[int]):
    """The calendar day of a datetime column as a whole number of days (the time of day dropped), so
    that two rows' days can be subtracted. Each dialect says it its own way; both agree on differences."""

    type = Integer()
    inherit_cache = True


@compiles(DayNumber, "sqlite")
def _day_number_sqlite(element: DayNumber, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(julianday(date({compiler.process(element.clauses, **kw)})) AS INTEGER)"


@compiles(DayNumber)
def _day_number_default(element: DayNumber, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(CAST({compiler.process(element.clauses, **kw)} AS DATE) - DATE '2000-01-01')"
