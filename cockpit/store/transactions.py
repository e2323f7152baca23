"""Write transactions that start as such (BEGIN IMMEDIATE).

In WAL mode a transaction that has read and then writes fails at once with SQLITE_BUSY (a stale snapshot)
if another connection committed in between; SQLite's busy timeout cannot help, because waiting would not
make the snapshot fresh. An audited read (read, then append its audit entry) therefore takes the write
lock up front, where the busy timeout does apply.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from cockpit.store.engine import Store
from cockpit.store.errors import translate_db_errors


@contextmanager
def immediate_connection(store: Store) -> Iterator[Connection]:
    """A connection in one BEGIN IMMEDIATE transaction: committed if the block ends normally, rolled
    back otherwise."""
    with immediate_engine_connection(store.engine) as conn:
        yield conn


@contextmanager
def immediate_engine_connection(engine: Engine) -> Iterator[Connection]:
    """``immediate_connection`` on one of the store's engines (a side database's: ``Store.side_engine``)."""
    with (
        translate_db_errors(),
        engine.connect().execution_options(immediate=True) as conn,
        conn.begin(),
    ):
        yield conn


@contextmanager
def immediate_session(store: Store) -> Iterator[Session]:
    """``Store.session`` as a BEGIN IMMEDIATE transaction."""
    with immediate_connection(store) as conn, Session(bind=conn, expire_on_commit=False) as session:
        yield session
        session.flush()
