"""Opening (and creating) the encrypted store.

The order matters: the keyring is checked before anything is written; a new database file is created
with mode 0600 before SQLCipher writes its first byte; an existing file is checked with its key before
it is opened for writing, so a wrong key or a damaged file is reported and the file left exactly as it
was.
"""

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from cockpit.errors import (
    CockpitError,
    StoreDamagedError,
    StoreKeyMissingError,
    StoreLockedError,
)
from cockpit.security.keys import KeyStore, key_check_value
from cockpit.store.driver import dbapi2
from cockpit.store.errors import translate_db_errors
from cockpit.store.meta import StoreMeta, read_meta, write_meta
from cockpit.store.paths import DB_NAME, META_NAME, StorePaths
from cockpit.store.rekey import finish_interrupted_rekey, key_opens
from cockpit.store.server import ServerSettings, make_server_engine, read_server_settings, server_meta

log = logging.getLogger(__name__)

__all__ = ["DB_NAME", "META_NAME", "Store", "StorePaths", "open_store"]


class Store:
    """An open store: the engine and a session factory. Sessions are short: one per operation.

    Attributes:
        paths: where the store's files are.
        meta: its ``store.json``.
        engine: the SQLAlchemy engine (SQLCipher connections, keyed).
    """

    def __init__(
        self,
        paths: StorePaths,
        meta: StoreMeta,
        engine: Engine,
        side_engines: Callable[[Path], Engine] | None = None,
    ) -> None:
        self.paths = paths
        self.meta = meta
        self.engine = engine
        self._make_side_engine = side_engines
        self._side_engines: dict[str, Engine] = {}
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._in_use: set[Any] = set()
        event.listen(engine, "checkout", lambda dbapi, _record, _proxy: self._in_use.add(dbapi))
        event.listen(engine, "checkin", lambda dbapi, _record: self._in_use.discard(dbapi))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed if the block ends normally, rolled back otherwise."""
        with translate_db_errors(), self._sessions.begin() as session:
            yield session

    @property
    def on_server(self) -> bool:
        """True for the practice server's PostgreSQL store, False for the embedded SQLCipher file."""
        return self.engine.dialect.name == "postgresql"

    def interrupt(self) -> None:
        """Stop the statements running right now, from any thread (the app is closing). A read just
        ends; a write is rolled back whole, as after any error."""
        for connection in list(self._in_use):
            if self.on_server:
                connection.cancel_safe()  # psycopg: asks the server to cancel the running statement
            else:
                connection.interrupt()

    def side_engine(self, name: str) -> Engine:
        """An encrypted side database ``<name>.side.db`` in the data directory, keyed like the store, for
        data that must be committed while the store's own write transaction is open (a sync stages its
        download there while it applies). Created on first use; one whose key is not the store's (left
        by a re-key or a restore) holds nothing worth keeping and is replaced. The practice server's
        store has none: this returns its engine."""
        if self._make_side_engine is None:
            return self.engine
        engine = self._side_engines.get(name)
        if engine is None:
            engine = self._make_side_engine(self.paths.side_database(name))
            self._side_engines[name] = engine
        return engine

    def close(self) -> None:
        for engine in self._side_engines.values():
            engine.dispose()
        self._side_engines.clear()
        self.engine.dispose()


def open_store(home: Path, keys: KeyStore, *, create: bool = True) -> Store:
    """Open the store in ``home``, creating it (and its key) if there is none and ``create`` is set."""
    keys.check_available()
    paths = StorePaths(home)
    server = read_server_settings(home)
    if server is not None:  # this data directory uses the practice server (cockpit.store.server)
        return _open_server_store(paths, server, keys)
    finish_interrupted_rekey(home, keys)  # a key rotation cut short is completed or undone first
    meta = read_meta(paths.meta)
    if paths.db.exists() and paths.db.stat().st_size > 0:
        key = _existing_key(paths, meta, keys)
        _check_readable(paths.db, key)
        assert meta is not None
    else:
        if not create:
            raise CockpitError(f"There is no Patient Cockpit store in {home}.")
        meta, key = _create(paths, meta, keys)
    engine = _make_engine(paths.db, key)
    try:
        from cockpit.store.migrate import upgrade_schema  # noqa: PLC0415 (keeps alembic off the hot path)

        upgrade_schema(engine, paths)
    except BaseException:
        engine.dispose()
        raise
    return Store(paths, meta, engine, side_engines=lambda db: _side_engine(db, key))


def _open_server_store(paths: StorePaths, server: ServerSettings, keys: KeyStore) -> Store:
    paths.home.mkdir(parents=True, exist_ok=True, mode=0o700)  # local state: sync staging, settings
    engine = make_server_engine(server, keys)
    try:
        from cockpit.store.migrate import upgrade_schema  # noqa: PLC0415 (alembic, as above)

        upgrade_schema(engine, paths)
    except BaseException:
        engine.dispose()
        raise
    return Store(paths, server_meta(server), engine)


def _existing_key(paths: StorePaths, meta: StoreMeta | None, keys: KeyStore) -> bytes:
    if meta is None:
        raise StoreDamagedError(
            f"{paths.meta} is missing, so the key of the store in {paths.home} cannot be found. "
            "Restore the file from a backup of the data directory."
        )
    key = keys.get(meta.store_id)
    if key is None:
        raise StoreKeyMissingError(
            f"The encryption key of the store in {paths.home} is not in the OS keyring "
            f"({keys.backend_name}), so the store cannot be read. Restore the keyring (e.g. from the "
            "user's keyring backup) or, to start afresh, move the data directory aside. "
            "The store was not changed."
        )
    if key_check_value(key) != meta.key_check:
        raise StoreLockedError(
            f"The key in the OS keyring does not belong to the store in {paths.home}, so it cannot be "
            "decrypted. The store was not changed."
        )
    return key


def _create(paths: StorePaths, meta: StoreMeta | None, keys: KeyStore) -> tuple[StoreMeta, bytes]:
    paths.home.mkdir(parents=True, exist_ok=True, mode=0o700)
    store_id = meta.store_id if meta is not None else StoreMeta.new("").store_id
    key = keys.create(store_id)  # the keyring first: no data file exists without its key
    meta = StoreMeta(store_id=store_id, key_check=key_check_value(key))
    write_meta(paths.meta, meta)
    # 0600 before SQLCipher writes anything; SQLite gives the -wal and -shm files the same mode.
    fd = os.open(paths.db, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(paths.db, 0o600)
    log.info("created a new encrypted store")
    return meta, key


def _raw_connect(db: Path, key: bytes) -> dbapi2.Connection:
    con = dbapi2.connect(str(db), check_same_thread=False, isolation_level=None)
    con.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our error to report, not stderr noise
    con.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return con


def _check_readable(db: Path, key: bytes) -> None:
    """Read the schema with the key on a connection that writes nothing."""
    con = _raw_connect(db, key)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except dbapi2.DatabaseError:
        raise StoreDamagedError(
            f"The store in {db.parent} is damaged: its key is right but the file cannot be read. "
            "Restore it from a backup. The file was not changed."
        ) from None
    finally:
        con.close()


def _side_engine(db: Path, key: bytes) -> Engine:
    """The engine of a side database (``Store.side_engine``): created 0600 like the store."""
    if db.exists() and db.stat().st_size > 0 and not key_opens(db, key):
        log.info("replaced a side database of another key")
        for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            with suppress(FileNotFoundError):
                leftover.unlink()
    fd = os.open(db, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(db, 0o600)
    return _make_engine(db, key)


def _make_engine(db: Path, key: bytes) -> Engine:
    def connect() -> dbapi2.Connection:
        con = _raw_connect(db, key)
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA temp_store = MEMORY",  # temporary tables and sorts never touch the disk
            "PRAGMA cache_size = -16384",  # 16 MB per connection: the GUI keeps two open
            "PRAGMA busy_timeout = 10000",
        ):
            con.execute(pragma)
        return con

    engine = create_engine(
        # A plain sqlite URL: the key is set by ``connect`` (raw key, no KDF), not by the pysqlcipher
        # dialect, which would derive it from a passphrase in the URL.
        "sqlite://",
        module=dbapi2,  # so that SQLAlchemy recognises sqlcipher3's exceptions as DBAPI errors
        creator=connect,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
    )

    # pysqlite's own transaction handling starts transactions late (not before SELECTs); take it over
    # so that every SQLAlchemy transaction is one real SQLite transaction (consistent reads, atomic writes).
    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # BEGIN IMMEDIATE when asked (cockpit.store.transactions): a read that will write locks first.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("immediate") else "BEGIN")

    return engine
