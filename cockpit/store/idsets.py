"""Restricting a query to a set of ids: ``among`` for a set of patients, written the way each database
plans well, and ``chunked`` for the lists too long for one ``IN (...)``; for every layer above the store.

SQLite takes ``id IN (?, ?, …)`` and looks each id up. PostgreSQL, given thousands of ids, checks the whole
list once per candidate row when the list lands inside a nested loop (seen at 50,000 patients: evidence
queries of 2,000 ids took 0.2-0.9 s); the ids as one array, unnested into a set it can hash-join, take a
few milliseconds. One bound array is also one parameter instead of thousands (PostgreSQL allows 65,535).
"""

from collections.abc import Collection, Iterable, Iterator
from typing import Final, TypeVar

from sqlalchemy import ColumnElement, Connection, Integer, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY

T = TypeVar("T")

# Values per IN (...) list by default: well under the bound-parameter limits of both stores (SQLite's was
# 999 before 3.32; PostgreSQL allows 65,535). ``among`` binds one array on PostgreSQL, so its callers may
# take more at a time.
IN_CHUNK: Final = 500


def among(conn: Connection, column: ColumnElement[int], ids: Collection[int]) -> ColumnElement[bool]:
    """``column`` is one of ``ids``."""
    if conn.dialect.name == "postgresql":
        return column.in_(select(func.unnest(literal(list(ids), ARRAY(Integer)))))
    return column.in_(list(ids))


def chunked(items: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """``items`` in their order, as lists of at most ``size`` (one ``IN (...)`` or ``among`` each)."""
    batch = list(items)
    for start in range(0, len(batch), size):
        yield batch[start : start + size]
