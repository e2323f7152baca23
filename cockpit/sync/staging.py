"""Staging of a sync run in the encrypted store: raw NDJSON chunks, each committed with its checkpoint.

Nothing is downloaded to a plain file: a chunk goes from the socket into ``sync_chunks`` (SQLCipher) in
the same transaction that moves its unit's cursor on, so after any interruption the staged data and the
cursor agree and the run resumes exactly where it stopped.
"""

import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import Connection, Table, delete, insert, select, update

from cockpit.models import Base
from cockpit.store import Store
from cockpit.store.errors import translate_db_errors
from cockpit.store.transactions import immediate_connection

RESOURCES: Final = "resources"
# Chunks are zlib-compressed (level 1): JSON shrinks ~10x for a few ms per MB, so a first sync of a large
# practice stages a tenth of the bytes and SQLCipher encrypts and writes a tenth of the pages.
_COMPRESSION: Final = 1
DELETED: Final = "deleted"  # lines {"resourceType": T, "id": I, "at": instant} of deleted resources


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
    """The staging of one source (``source`` is the server's base URL or ``folder:PATH``)."""

    def __init__(self, store: Store, source: str) -> None:
        self.store = store
        self.source = source

    def run(self) -> StagedRun | None:
        """The run in progress (to resume), or None."""
        runs = _table("sync_runs")
        with translate_db_errors(), self.store.engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.source == self.source)).first()
        if row is None:
            return None
        return StagedRun(
            row.source, row.method, row.full, row.since, row.status_url, row.new_watermark, row.started_at
        )

    def begin(self, method: str, *, full: bool, since: str | None) -> StagedRun:
        """Start a new run, dropping whatever an older one staged."""
        started = datetime.now()
        with immediate_connection(self.store) as conn:
            ensure_source_row(conn, self.source)
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
        with immediate_connection(self.store) as conn:
            conn.execute(update(runs).where(runs.c.source == self.source).values(**values))

    def units(self) -> dict[str, UnitState]:
        units = _table("sync_units")
        with translate_db_errors(), self.store.engine.connect() as conn:
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
            with immediate_connection(self.store) as conn:
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
        ``compressed``: the payload already through ``compress``."""
        units = _table("sync_units")
        with immediate_connection(self.store) as conn:
            if lines:
                conn.execute(
                    insert(_table("sync_chunks")).values(
                        source=self.source,
                        unit=unit,
                        kind=kind,
                        first_line=first_line,
                        lines=lines,
                        payload=compress(payload) if compressed is None else compressed,
                    )
                )
            conn.execute(
                update(units)
                .where(units.c.source == self.source, units.c.unit == unit)
                .values(cursor=cursor, lines=units.c.lines + lines, done=done)
            )

    def heads(self, conn: Connection) -> list[ChunkHead]:
        """The staged chunks in the order they were downloaded, without their payloads."""
        chunks = _table("sync_chunks")
        rows = conn.execute(
            select(chunks.c.id, chunks.c.unit, chunks.c.kind, chunks.c.first_line, chunks.c.lines)
            .where(chunks.c.source == self.source)
            .order_by(chunks.c.id)
        ).all()
        return [ChunkHead(*row) for row in rows]

    def payload(self, conn: Connection, chunk_id: int, *, inflate: bool = True) -> bytes:
        """A chunk's NDJSON (``inflate=False``: as staged, zlib-compressed)."""
        chunks = _table("sync_chunks")
        data = conn.execute(select(chunks.c.payload).where(chunks.c.id == chunk_id)).scalar_one()
        return zlib.decompress(data) if inflate else bytes(data)

    def staged_lines(self) -> int:
        units = _table("sync_units")
        with translate_db_errors(), self.store.engine.connect() as conn:
            rows = conn.execute(select(units.c.lines).where(units.c.source == self.source)).scalars()
            return sum(rows)

    def discard(self, conn: Connection | None = None) -> None:
        """Drop the run and everything it staged (units and chunks go with it)."""
        statement = delete(_table("sync_runs")).where(_table("sync_runs").c.source == self.source)
        if conn is not None:
            conn.execute(statement)
            return
        with immediate_connection(self.store) as own:
            own.execute(statement)


def compress(payload: bytes) -> bytes:
    """A chunk as it is staged (zlib lets go of the GIL: any thread may do it)."""
    return zlib.compress(payload, _COMPRESSION)


def ensure_source_row(conn: Connection, source: str) -> None:
    sources = _table("sync_sources")
    if conn.execute(select(sources.c.source).where(sources.c.source == source)).first() is None:
        conn.execute(insert(sources).values(source=source))
