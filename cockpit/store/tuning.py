"""Per-operation tuning of an open connection, undone when the operation ends."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine


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


# PostgreSQL plans by its statistics; after a bulk write (a first import or sync of a practice) they still
# describe the empty tables until autovacuum gets round to them, and the indicator queries pick nested
# loops over millions of rows (seen: 6 s instead of 1.6 s for all indicators at 50,000 patients).
BULK_WRITE_ROWS = 5_000


def refresh_statistics(engine: Engine, written_rows: int) -> None:
    """After a bulk write of ``written_rows`` rows: let PostgreSQL re-read its statistics (a second or
    two at 50,000 patients). SQLite's queries are written to need none."""
    if engine.dialect.name != "postgresql" or written_rows < BULK_WRITE_ROWS:
        return
    with engine.begin() as conn:  # committed: statistics written in a rolled-back transaction are lost
        conn.exec_driver_sql("ANALYZE")
