"""Staging of a sync run, encrypted: raw NDJSON chunks, each committed with its checkpoint.

Nothing is downloaded to a plain file: a chunk goes from the socket into ``sync_chunks`` in the same
transaction that moves its unit's cursor on, so after any interruption the staged data and the cursor
agree and the run resumes exactly where it stopped.

Where: beside an embedded store, in its side database ``sync-staging.side.db`` (SQLCipher, keyed like the
store, ``Store.side_engine``), so that chunks are committed while the store's own write transaction
applies the run (``separate``: an export is applied while it downloads). A store on the practice server
stages in its own tables (same names and columns), and applies after the download.
"""

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, update

from cockpit.models import Base
from cockpit.store import Store
from cockpit.store.errors import translate_db_errors
from cockpit.store.transactions import immediate_connection, immediate_engine_connection
from cockpit.sync.packing import pack, unpack

RESOURCES: Final = "resources"
DELETED: Final = "deleted"  # lines {"resourceType": T, "id": I, "at": instant} of deleted resources
SIDE_DATABASE: Final = "sync-staging"
# The staging tables in the side database: those of cockpit.models.sync, without the reference to
# sync_sources (which lives in the store).
_SIDE_SCHEMA: Final = (
    "CREATE TABLE IF NOT EXISTS sync_runs (source VARCHAR(300) NOT NULL PRIMARY KEY, "
    "method VARCHAR(20) NOT NULL, full BOOLEAN NOT NULL, since VARCHAR(40), status_url TEXT, "
    "new_watermark VARCHAR(40), started_at DATETIME NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sync_units (source VARCHAR(300) NOT NULL "
    "REFERENCES sync_runs (source) ON DELETE CASCADE, unit VARCHAR(500) NOT NULL, cursor TEXT, "
    "lines INTEGER NOT NULL, done BOOLEAN NOT NULL, PRIMARY KEY (source, unit))",
    "CREATE TABLE IF NOT EXISTS sync_chunks (id INTEGER NOT NULL PRIMARY KEY, source VARCHAR(300) NOT NULL "
    "REFERENCES sync_runs (source) ON DELETE CASCADE, unit VARCHAR(500) NOT NULL, kind VARCHAR(10) NOT NULL, "
    "first_line INTEGER NOT NULL, lines INTEGER NOT NULL, payload BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_sync_chunks_source ON sync_chunks (source)",
)
_prepared: "weakref.WeakSet[Engine]" = weakref.WeakSet()  # side databases whose schema is in place
_preparing = threading.Lock()


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


@dataclass(frozen=True, slots=True)
class StagedRun:
    source: str
    method: str
    full: bool
    since: str | None
    status_url: str | None
    new_watermark: str | None
    started_at: datetime


@dataclass(frozen=True, slots=True)
class UnitState:
    cursor: str | None
    lines: int
    done: bool


@dataclass(frozen=True, slots=True)
class ChunkHead:
    """A staged chunk without its payload."""

    id: int
    unit: str
    kind: str
    first_line: int
    lines: int


class Staging:
    """The staging of one source (``source`` is the server's base URL or ``folder:PATH``).

    ``listener``, if set, is called with each chunk once it is committed (from the thread that staged it).
    """

    def __init__(self, store: Store, source: str) -> None:
        self.store = store
        self.source = source
        self.separate = not store.on_server  # in its own database, committed beside the store's
        self.engine = staging_engine(store)
        self.listener: Callable[[ChunkHead], None] | None = None

    def run(self) -> StagedRun | None:
        """The run in progress (to resume), or None."""
        runs = _table("sync_runs")
        with translate_db_errors(), self.engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.source == self.source)).first()
        if row is None:
            return None
        return StagedRun(
            row.source, row.method, row.full, row.since, row.status_url, row.new_watermark, row.started_at
        )

    def begin(self, method: str, *, full: bool, since: str | None) -> StagedRun:
        """Start a new run, dropping whatever an older one staged."""
        started = datetime.now()
        with immediate_engine_connection(self.engine) as conn:
            if not self.separate:
                ensure_source_row(conn, self.source)  # the server's sync_runs refer to it
            conn.execute(delete(_table("sync_runs")).where(_table("sync_runs").c.source == self.source))
            conn.execute(
                insert(_table("sync_runs")).values(
                    source=self.source, method=method, full=full, since=since, started_at=started
                )
            )
        return StagedRun(self.source, method, full, since, None, None, started)

    def remember(self, *, status_url: str | None = None, new_watermark: str | None = None) -> None:
        """Save the export's status URL and/or the run's server time, so a resumed run reuses them."""
        values: dict[str, str] = {}
        if status_url is not None:
            values["status_url"] = status_url
        if new_watermark is not None:
            values["new_watermark"] = new_watermark
        if not values:
            return
        runs = _table("sync_runs")
        with immediate_engine_connection(self.engine) as conn:
            conn.execute(update(runs).where(runs.c.source == self.source).values(**values))

    def units(self) -> dict[str, UnitState]:
        units = _table("sync_units")
        with translate_db_errors(), self.engine.connect() as conn:
            rows = conn.execute(
                select(units.c.unit, units.c.cursor, units.c.lines, units.c.done).where(
                    units.c.source == self.source
                )
            ).all()
        return {row.unit: UnitState(row.cursor, row.lines, row.done) for row in rows}

    def add_units(self, names: list[str]) -> None:
        """Register units not yet known (known ones keep their progress)."""
        known = self.units()
        fresh = [{"source": self.source, "unit": n, "cursor": None, "lines": 0, "done": False} for n in names]
        fresh = [row for row in fresh if row["unit"] not in known]
        if fresh:
            with immediate_engine_connection(self.engine) as conn:
                conn.execute(insert(_table("sync_units")), fresh)

    def stage(
        self,
        unit: str,
        *,
        kind: str = RESOURCES,
        payload: bytes,
        lines: int,
        first_line: int,
        cursor: str | None,
        done: bool,
        compressed: bytes | None = None,
    ) -> None:
        """Commit one chunk together with its unit's new cursor (an empty payload moves only the cursor).
        ``compressed``: the payload already through ``packing.pack``."""
        units = _table("sync_units")
        chunk_id: int | None = None
        with immediate_engine_connection(self.engine) as conn:
            if lines:
                chunk_id = conn.execute(
                    insert(_table("sync_chunks"))
                    .values(
                        source=self.source,
                        unit=unit,
                        kind=kind,
                        first_line=first_line,
                        lines=lines,
                        payload=pack(payload) if compressed is None else compressed,
                    )
                    .returning(_table("sync_chunks").c.id)
                ).scalar_one()
            conn.execute(
                update(units)
                .where(units.c.source == self.source, units.c.unit == unit)
                .values(cursor=cursor, lines=units.c.lines + lines, done=done)
            )
        if chunk_id is not None and self.listener is not None:
            self.listener(ChunkHead(chunk_id, unit, kind, first_line, lines))

    def heads(self) -> list[ChunkHead]:
        """The staged chunks in the order they were downloaded, without their payloads."""
        chunks = _table("sync_chunks")
        with translate_db_errors(), self.engine.connect() as conn:
            rows = conn.execute(
                select(chunks.c.id, chunks.c.unit, chunks.c.kind, chunks.c.first_line, chunks.c.lines)
                .where(chunks.c.source == self.source)
                .order_by(chunks.c.id)
            ).all()
        return [ChunkHead(*row) for row in rows]

    def payload(self, chunk_id: int, *, inflate: bool = True) -> bytes:
        """A chunk's NDJSON (``inflate=False``: as staged, see ``cockpit.sync.packing``)."""
        chunks = _table("sync_chunks")
        with translate_db_errors(), self.engine.connect() as conn:
            data = conn.execute(select(chunks.c.payload).where(chunks.c.id == chunk_id)).scalar_one()
        return unpack(data) if inflate else bytes(data)

    def staged_lines(self) -> int:
        units = _table("sync_units")
        with translate_db_errors(), self.engine.connect() as conn:
            total = conn.execute(
                select(func.coalesce(func.sum(units.c.lines), 0)).where(units.c.source == self.source)
            ).scalar_one()
        return int(total)

    def discard(self, conn: Connection | None = None) -> None:
        """Drop the run and everything it staged (units and chunks go with it). ``conn``: in that
        transaction (of the store that stages in its own tables)."""
        statement = delete(_table("sync_runs")).where(_table("sync_runs").c.source == self.source)
        if conn is not None:
            conn.execute(statement)
            return
        with immediate_engine_connection(self.engine) as own:
            if self.separate:
                # The side database runs with auto_vacuum = FULL: the freed pages leave the file at this
                # commit, so zeroing them first (SQLCipher's default secure_delete) would only cost time.
                own.exec_driver_sql("PRAGMA secure_delete = OFF")
            own.execute(statement)


def ensure_source_row(conn: Connection, source: str) -> None:
    sources = _table("sync_sources")
    if conn.execute(select(sources.c.source).where(sources.c.source == source)).first() is None:
        conn.execute(insert(sources).values(source=source))


def has_staging(store: Store) -> bool:
    """Whether ``store`` has anywhere a run could be staged (its side database exists, or it is on the
    practice server)."""
    return store.on_server or store.paths.side_database(SIDE_DATABASE).exists()


def staging_engine(store: Store) -> Engine:
    """Where ``store`` stages (see the module's docstring); a side database gets its tables once, and a
    run staged by an earlier version in the store itself is dropped (the next sync starts it again)."""
    engine = store.side_engine(SIDE_DATABASE)
    if engine is store.engine or engine in _prepared:
        return engine
    with _preparing:
        if engine not in _prepared:
            _vacuum_automatically(engine)
            with immediate_engine_connection(engine) as conn:
                for statement in _SIDE_SCHEMA:
                    conn.exec_driver_sql(statement)
            with immediate_connection(store) as conn:
                runs = _table("sync_runs")
                if conn.execute(select(runs.c.source).limit(1)).first() is not None:
                    conn.execute(delete(runs))
            _prepared.add(engine)
    return engine


def _vacuum_automatically(engine: Engine) -> None:
    """A new side database gets auto_vacuum = FULL, so that a discarded run's pages leave the file (set
    outside a transaction, and made to hold by a VACUUM of the still empty file)."""
    raw = engine.raw_connection()
    try:
        if raw.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
            raw.execute("PRAGMA auto_vacuum = FULL")
            raw.execute("VACUUM")
    finally:
        raw.close()
