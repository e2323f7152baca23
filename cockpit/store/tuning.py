"""Per-operation tuning of an open connection, undone when the operation ends."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection


@contextmanager
def larger_page_cache(conn: Connection, kib: int) -> Iterator[None]:
    """Give SQLite a bigger page cache for a heavy operation (an import, a whole-practice evaluation)
    and the connection's own back afterwards: browsing keeps a small cache, so the window stays lean."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
    conn.exec_driver_sql(f"PRAGMA cache_size = {-kib}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {before}")
