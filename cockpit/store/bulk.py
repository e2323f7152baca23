"""Fast multi-row inserts that stay dialect-neutral.

``conn.execute(insert(table), rows)`` spends most of its time in per-row parameter bookkeeping. Here the
statement is built once for the connection's dialect with the columns in the caller's order, the type
conversions the dialect needs are looked up once per column, and the rows go to the driver's executemany
as plain tuples (no SQLAlchemy work per row). On the Synthea import this more than halves the time spent
writing.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Float, Table


class BulkInserter:
    """Insert rows into ``table``: ``columns`` (default: every column but the primary key, which the
    database assigns) in that order."""

    def __init__(self, conn: Connection, table: Table, columns: Sequence[str] | None = None) -> None:
        dialect = conn.dialect
        self._conn = conn
        names = (
            tuple(columns)
            if columns is not None
            else tuple(c.key for c in table.columns if not c.primary_key)
        )
        self.columns = names
        preparer = dialect.identifier_preparer
        targets = ", ".join(preparer.format_column(table.c[name]) for name in names)
        # psycopg (pyformat) takes positional %s as well: tuples are cheaper than a dict per row.
        style = "format" if dialect.paramstyle == "pyformat" else dialect.paramstyle
        marks = ", ".join(_marker(style, position, name) for position, name in enumerate(names, 1))
        self._sql = f"INSERT INTO {preparer.format_table(table)} ({targets}) VALUES ({marks})"
        self._named = style == "named"
        # A float column's processor only calls float() on what is already a number (the mapping's ints and
        # floats), which both drivers and both databases take as they are: skipped, one call per value less.
        converters = (
            (i, table.c[name].type.bind_processor(dialect))
            for i, name in enumerate(names)
            if not isinstance(table.c[name].type, Float)
        )
        self._processors: list[tuple[int, Callable[[Any], Any]]] = [(i, p) for i, p in converters if p]

    def insert(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Insert mappings of column name to value (a missing key is NULL)."""
        names = self.columns
        return self.insert_values([tuple(map(row.get, names)) for row in rows])

    def insert_values(self, rows: Sequence[Sequence[Any]]) -> int:
        """Insert rows given as sequences of values in the order of ``columns``."""
        if not rows:
            return 0
        params: list[Any]
        if self._processors:
            processors = self._processors
            params = []
            for row in rows:
                values = list(row)
                for index, process in processors:
                    values[index] = process(values[index])
                params.append(tuple(values))
        else:
            params = [row if type(row) is tuple else tuple(row) for row in rows]
        if self._named:
            params = [dict(zip(self.columns, values, strict=True)) for values in params]
        self._conn.exec_driver_sql(self._sql, params)
        return len(params)


def _marker(paramstyle: str, position: int, name: str) -> str:
    """The placeholder of one parameter in the driver's style."""
    return {
        "qmark": "?",
        "format": "%s",
        "numeric": f":{position}",
        "numeric_dollar": f"${position}",
        "named": f":{name}",
        "pyformat": f"%({name})s",
    }[paramstyle]
