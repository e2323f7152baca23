"""Apply a staged run in ONE transaction: import the resources (the importer's mapping, quarantine and
idempotence), apply deletions, on a full sync remove what the server no longer has, advance the watermark
and clear the staging. Any failure rolls all of it back: the GP never sees half a sync.

The chunks come from a ``ChunkSource``: what is staged, or (``ChunkFeed``) the chunks of a download
still running on another thread, each as soon as it is committed. The staging is cleared in the same
transaction where it shares the store's database; a side database's is cleared right after the commit
(a crash in between leaves a run that is applied again, to the same result: applying is idempotent)."""

import functools
import queue
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final, Protocol

import orjson
from sqlalchemy import Connection, Table, bindparam, select, update

from cockpit.errors import SyncError
from cockpit.fhir.importer import (
    IMPORT_CACHE_KIB,
    ImportSession,
    ImportSummary,
    cyclic_gc_paused,
    fold_wal,
)
from cockpit.fhir.limits import DEFAULT_LIMITS, Limits
from cockpit.fhir.prepare import PRODUCTS, Prepared
from cockpit.fhir.types import SourceLocation
from cockpit.models import Base
from cockpit.store import Store, medication_products
from cockpit.store.errors import translate_db_errors
from cockpit.store.idsets import chunked
from cockpit.store.transactions import immediate_connection
from cockpit.store.tuning import larger_page_cache, refresh_statistics
from cockpit.sync.mapper import (
    DELETED as DELETED_EVENT,
)
from cockpit.sync.mapper import (
    PREPARED,
    QUARANTINED,
    SKIPPED,
    ChunkJob,
    ChunkMapper,
    ChunkResult,
    Event,
    map_chunk,
    unit_label,
)
from cockpit.sync.packing import unpack
from cockpit.sync.progress import APPLYING, Reporter
from cockpit.sync.staging import DELETED, RESOURCES, ChunkHead, StagedRun, Staging, ensure_source_row

# Where each kept FHIR type's rows live (a deleted resource's rows are found by type and id).
TYPE_TABLES: Final = {
    "Patient": "patients",
    "Condition": "conditions",
    "MedicationStatement": "medications",
    "MedicationRequest": "medications",
    "Observation": "observations",
    "Encounter": "encounters",
    "ServiceRequest": "home_care_services",
    "Medication": "medication_products",  # no patient: a drug that statements and requests name
}
_SEEN_BATCH: Final = 5000
_LOOKAHEAD: Final = 2  # chunks being read, inflated or mapped ahead of the one being written


class MalformedDataError(SyncError):
    """The server sent something that is not FHIR NDJSON; the staged run is useless and is dropped."""


class ChunkSource(Protocol):
    def take(self, *, block: bool) -> ChunkHead | None:
        """The next chunk; None at the end, or (``block=False``) if none is there yet."""
        ...


class StagedChunks:
    """The chunks staged so far (the download is over)."""

    def __init__(self, staging: Staging) -> None:
        self._heads = deque(staging.heads())

    def take(self, *, block: bool) -> ChunkHead | None:  # noqa: ARG002 (never waits: all are there)
        return self._heads.popleft() if self._heads else None


class ChunkFeed:
    """The chunks of a download running on another thread, for an apply running meanwhile: first those
    staged before (a resumed run), then each new one once it is committed (``Staging.listener``). The
    download ends with ``finish`` or ``fail`` (its error is raised here, on the apply's thread)."""

    _END: Final = object()

    def __init__(self, staging: Staging) -> None:
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        for head in staging.heads():
            self._queue.put(head)
        staging.listener = self._queue.put
        self.lines = 0  # of the chunks taken
        self.downloaded_at: float | None = None  # perf_counter() at the download's end
        self.on_finish: Callable[[], None] | None = None  # when the apply has taken the last chunk
        self._ended = False

    def finish(self) -> None:
        self.downloaded_at = time.perf_counter()
        self._queue.put(self._END)

    def fail(self, error: BaseException) -> None:
        self._queue.put(error)

    def take(self, *, block: bool) -> ChunkHead | None:
        if self._ended:
            return None
        try:
            item = self._queue.get(block=block)
        except queue.Empty:
            return None
        if isinstance(item, BaseException):
            raise item
        if item is self._END:
            self._ended = True
            if self.on_finish is not None:
                self.on_finish()
            return None
        assert isinstance(item, ChunkHead)
        self.lines += item.lines
        return item


@dataclass(slots=True)
class Applied:
    summary: ImportSummary
    deleted: int = 0
    changed_patient_ids: set[int] = field(default_factory=set)
    changed_patient_fhir_ids: set[str] = field(default_factory=set)


def apply_run(
    store: Store,
    staging: Staging,
    run: StagedRun,
    reporter: Reporter,
    *,
    label: str,
    today: date,
    mapper: ChunkMapper | None = None,
    chunks: ChunkSource | None = None,
) -> Applied:
    """Apply everything staged for ``run``; ``label`` names the source in provenance and quarantine.
    ``mapper`` maps chunks on its worker process (and has the ones it was given while downloading);
    ``chunks``: where the chunks come from (by default: all that are staged)."""
    summary = ImportSummary(source=label)
    source = label[:200]
    limits = mapper.limits if mapper is not None else DEFAULT_LIMITS
    with (
        cyclic_gc_paused(),
        translate_db_errors(),
        immediate_connection(store) as conn,
        larger_page_cache(conn, IMPORT_CACHE_KIB),
    ):
        heads: list[ChunkHead] = []  # taken so far
        applied = Applied(summary)
        # A full sync into a store without clinical rows has nothing to remove afterwards: every row then
        # in the store came from this run. So only a store with rows keeps track of what was received.
        seen = _Seen(conn) if run.full and _has_rows(conn) else None
        taker = _Taker(
            conn,
            summary,
            source=source,
            today=today,
            seen=seen,
            raw_of=_raw_lookup(staging, heads),
            limits=limits,
        )
        history = run.method == "history"
        newest: dict[tuple[str, str], Event] = {}
        for result in _mapped(
            staging,
            chunks or StagedChunks(staging),
            heads,
            mapper,
            reporter,
            history=history,
            today=today,
            source=source,
            limits=limits,
        ):
            if history:
                # What stands for a malformed entry is quarantined whatever else came for its type/id
                # (it has no time of its own to compare).
                taker.take(e for e in result.events if e[0] == QUARANTINED and not e[3])
                _keep_newest(newest, [e for e in result.events if e[0] != QUARANTINED or e[3]])
            else:
                taker.take_prepared(result.prepared)
                taker.take(result.events)
        if history:
            taker.take(newest.values())
        fhir_ids: set[str] = set()
        if taker.session is not None:
            taker.session.finish()
            fhir_ids = set(taker.session.changed_patients)
        applied.deleted = _delete(conn, taker.deletions, applied)
        if seen is not None:
            seen.flush()
            applied.deleted += _remove_unseen(conn, applied)
            seen.drop()
        summary.unresolved_medication_refs = medication_products.unresolved_count(conn)  # after deletions
        applied.changed_patient_ids |= _internal_ids(conn, fhir_ids)
        applied.changed_patient_fhir_ids |= fhir_ids | _fhir_ids(conn, applied.changed_patient_ids)
        _advance(conn, run, summary)
        if not staging.separate:
            staging.discard(conn)
    if staging.separate:
        staging.discard()
    fold_wal(store)
    # a first sync of a practice on PostgreSQL: the planner must see the new rows (as after an import)
    refresh_statistics(store.engine, summary.inserted + summary.updated + applied.deleted)
    return applied


class _Taker:
    """Feeds a chunk's events to the importer (made on the first resource: a quiet sync records no
    import), collects the deletions and what a full sync received."""

    def __init__(
        self,
        conn: Connection,
        summary: ImportSummary,
        *,
        source: str,
        today: date,
        seen: "_Seen | None",
        raw_of: Callable[[Prepared], bytes],
        limits: Limits,
    ) -> None:
        self.conn, self.summary, self.source, self.today = conn, summary, source, today
        self.seen = seen
        self.raw_of = raw_of
        self.limits = limits
        self.session: ImportSession | None = None
        self.deletions: list[tuple[str, str]] = []

    def _session(self) -> ImportSession:
        if self.session is None:
            self.session = ImportSession(
                self.conn,
                self.summary,
                source=self.source,
                today=self.today,
                raw_of=self.raw_of,
                limits=self.limits,
            )
        return self.session

    def take_prepared(self, items: list[Prepared]) -> None:
        if not items:
            return
        self.summary.read += len(items)
        self._session().add_all(items, write=True)
        if self.seen is not None:
            for item in items:
                self.seen.add(item[1], item[2])  # type and id: all kept types have a table

    def take(self, events: Iterable[Event]) -> None:
        session, seen, summary = self.session, self.seen, self.summary
        for kind, resource_type, resource_id, _, data in events:
            if kind == DELETED_EVENT:
                self.deletions.append((resource_type, resource_id))
                continue
            summary.read += 1
            if session is None:
                session = self._session()
            if kind == PREPARED:
                session.add(data)
            elif kind == SKIPPED:
                session.skip(resource_type)
            else:
                file, line, sent_id, raw, reason = data
                session.quarantine(SourceLocation(file, line), resource_type, sent_id, raw, reason)
            if seen is not None and resource_type in TYPE_TABLES:
                seen.add(resource_type, resource_id)


def store_is_empty(store: Store) -> bool:
    """No clinical rows yet (a first sync): nobody can be looking anything up in it."""
    with translate_db_errors(), store.engine.connect() as conn:
        return not _has_rows(conn)


def _has_rows(conn: Connection) -> bool:
    tables = dict.fromkeys(TYPE_TABLES.values())
    probe = " UNION ALL ".join(
        f"SELECT 1 FROM (SELECT 1 FROM {name} LIMIT 1) AS any_{name}" for name in tables
    )
    return conn.exec_driver_sql(probe).first() is not None


def _keep_newest(newest: dict[tuple[str, str], Event], events: list[Event]) -> None:
    """A history run: only the newest event per type/id counts (a resource changed twice and then deleted
    is just deleted). History comes newest first: a tie keeps the first."""
    for event in events:
        key = (event[1], event[2])
        known = newest.get(key)
        if known is None or event[3] > known[3]:
            newest[key] = event


def _mapped(
    staging: Staging,
    chunks: ChunkSource,
    taken: list[ChunkHead],
    mapper: ChunkMapper | None,
    reporter: Reporter,
    *,
    history: bool,
    today: date,
    source: str,
    limits: Limits,
) -> Iterator[ChunkResult]:
    """Every chunk of ``chunks`` mapped, in order (each also appended to ``taken``). A chunk the mapper
    got while downloading is taken as it comes back; the others are read ahead and mapped on its worker
    if it is up, else here (unpacked on a thread meanwhile: zstd lets go of the GIL). Only an empty
    read-ahead waits for the next chunk."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-inflate") as inflater:

        def start(head: ChunkHead) -> list[tuple[ChunkHead, Callable[[], ChunkResult]]]:
            def job(payload: bytes, *, compressed: bool, text_dates: bool = False) -> ChunkJob:
                deleted = head.kind == DELETED
                where = unit_label(head.unit)
                return ChunkJob(
                    payload,
                    compressed,
                    where,
                    head.first_line,
                    deleted,
                    history,
                    today,
                    source,
                    text_dates,
                    limits,
                )

            if mapper is not None:
                parts = mapper.claim((head.unit, head.kind, head.first_line, head.lines))
                if parts is None and mapper.ready:
                    payload = staging.payload(head.id, inflate=False)
                    parts = mapper.submit(job(payload, compressed=True, text_dates=mapper.text_dates))
                if parts is not None:
                    return [(head, functools.partial(mapper.result, part)) for part in parts]
            inflated = inflater.submit(unpack, staging.payload(head.id, inflate=False))
            return [(head, lambda: map_chunk(job(inflated.result(), compressed=False)))]

        ahead: deque[tuple[ChunkHead, Callable[[], ChunkResult]]] = deque()
        while True:
            while len(ahead) <= _LOOKAHEAD and (head := chunks.take(block=not ahead)) is not None:
                taken.append(head)
                ahead.extend(start(head))
            if not ahead:
                return
            head, result_now = ahead.popleft()
            reporter.report(APPLYING)
            result = result_now()
            if result.malformed_line is not None:
                raise MalformedDataError(
                    f"The server sent data that is not FHIR NDJSON ({unit_label(head.unit)}, line "
                    f"{result.malformed_line}). The store was not changed; tell the server's administrator, "
                    "then sync again."
                )
            yield result
            reporter.resources += result.resources  # progress is reported per chunk, so counted per chunk
            reporter.units_done += result.resources


def _raw_lookup(staging: Staging, heads: list[ChunkHead]) -> Callable[[Prepared], bytes]:
    """The staged bytes of a prepared resource (mapped without them): only a resource quarantined at the
    end (its Patient never came) needs them, so they are read again from its chunk."""

    def raw_of(item: Prepared) -> bytes:
        _, fhir_type, fhir_id, _, _, _, file, number, _ = item
        for head in heads:
            if (
                head.kind != RESOURCES
                or unit_label(head.unit) != file
                or not head.first_line < number <= head.first_line + head.lines
            ):
                continue
            line = staging.payload(head.id).split(b"\n")[number - head.first_line - 1]
            resource = orjson.loads(line)
            if resource.get("resourceType") == fhir_type and resource.get("id") == fhir_id:
                return line
        raise SyncError("A staged resource could not be read again: run 'cockpit sync --full'.")

    return raw_of


def _delete(conn: Connection, deletions: list[tuple[str, str]], applied: Applied) -> int:
    """Delete the rows of deleted resources (a Patient's rows go with it: ON DELETE CASCADE). A deleted
    Medication leaves the statements that name it unresolved ("Ukendt lægemiddel", no code)."""
    count = 0
    gone_products: list[str] = []
    for fhir_type, fhir_id in deletions:
        if fhir_type == "Medication":
            products = _table(PRODUCTS)
            if conn.execute(products.delete().where(products.c.fhir_id == fhir_id)).rowcount:
                gone_products.append(fhir_id)
                count += 1
            continue
        table = _table(TYPE_TABLES[fhir_type])
        match = (table.c.fhir_type == fhir_type) & (table.c.fhir_id == fhir_id)
        patient = table.c.id if fhir_type == "Patient" else table.c.patient_id
        affected = conn.execute(select(patient).where(match).distinct()).scalars().all()
        if not affected:
            continue
        conn.execute(table.delete().where(match))
        applied.changed_patient_ids.update(affected)
        if fhir_type == "Patient":
            applied.changed_patient_fhir_ids.add(fhir_id)
        count += 1
    if gone_products:
        applied.changed_patient_ids |= medication_products.unresolve(conn, gone_products)
    return count


class _Seen:
    """The type/ids a full sync received, in a temporary table (memory: temp_store = MEMORY)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.batch: list[tuple[str, str]] = []
        sqlite = conn.dialect.name == "sqlite"
        conn.exec_driver_sql(
            "CREATE TEMP TABLE IF NOT EXISTS sync_seen (fhir_type VARCHAR(40) NOT NULL, "
            "fhir_id VARCHAR(64) NOT NULL, PRIMARY KEY (fhir_type, fhir_id))"
            + (" WITHOUT ROWID" if sqlite else "")
        )
        conn.exec_driver_sql("DELETE FROM sync_seen")
        self.insert = (
            "INSERT INTO sync_seen (fhir_type, fhir_id) VALUES "
            f"({_marker(conn, 1)}, {_marker(conn, 2)}) ON CONFLICT DO NOTHING"
        )

    def add(self, resource_type: str, resource_id: str) -> None:
        self.batch.append((resource_type, resource_id))
        if len(self.batch) >= _SEEN_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            self.conn.exec_driver_sql(self.insert, self.batch)
            self.batch = []

    def drop(self) -> None:
        self.conn.exec_driver_sql("DROP TABLE sync_seen")


def _marker(conn: Connection, position: int) -> str:
    """A positional parameter in the driver's own style (sqlite3: ?, psycopg: %s), so that a batch goes
    to ``executemany`` as plain tuples."""
    style = conn.dialect.paramstyle
    if style == "qmark":
        return "?"
    if style in ("format", "pyformat"):
        return "%s"
    if style == "numeric":
        return f":{position}"
    if style == "numeric_dollar":
        return f"${position}"
    raise SyncError(f"The store's database driver uses the parameter style {style!r}, which sync lacks.")


def _remove_unseen(conn: Connection, applied: Applied) -> int:
    """After a full sync: delete the rows of resources the server no longer has."""
    received_patients = conn.exec_driver_sql(
        "SELECT count(*) FROM sync_seen WHERE fhir_type = 'Patient'"
    ).scalar_one()
    if not received_patients and conn.exec_driver_sql("SELECT count(*) FROM patients").scalar_one():
        # A wrong URL or an empty export must not wipe the practice's data.
        raise SyncError(
            "The server sent no patients at all, so a full sync would empty the store; nothing was changed. "
            "Check the server URL (and export level or group) in the sync settings."
        )
    removed = 0
    for name in dict.fromkeys(TYPE_TABLES.values()):
        if name == PRODUCTS:
            removed += _remove_unseen_products(conn, applied)
            continue
        unseen = (
            f"NOT EXISTS (SELECT 1 FROM sync_seen s WHERE s.fhir_type = {name}.fhir_type "
            f"AND s.fhir_id = {name}.fhir_id)"
        )
        patient = "id" if name == "patients" else "patient_id"
        found = conn.exec_driver_sql(
            f"SELECT DISTINCT {patient}, fhir_type, fhir_id FROM {name} WHERE {unseen}"
        ).all()
        if not found:
            continue
        applied.changed_patient_ids.update(row[0] for row in found)
        if name == "patients":
            applied.changed_patient_fhir_ids.update(row[2] for row in found)
        removed += len({(row[1], row[2]) for row in found})
        conn.exec_driver_sql(f"DELETE FROM {name} WHERE {unseen}")
    return removed


def _remove_unseen_products(conn: Connection, applied: Applied) -> int:
    """The Medications the server no longer has: gone, and the statements that named them unresolved."""
    gone = [
        row[0]
        for row in conn.exec_driver_sql(
            f"SELECT fhir_id FROM {PRODUCTS} p WHERE NOT EXISTS (SELECT 1 FROM sync_seen s "
            "WHERE s.fhir_type = p.fhir_type AND s.fhir_id = p.fhir_id)"
        ).all()
    ]
    if not gone:
        return 0
    products = _table(PRODUCTS)
    for chunk in chunked(gone):
        conn.execute(products.delete().where(products.c.fhir_id.in_(chunk)))
    applied.changed_patient_ids |= medication_products.unresolve(conn, gone)
    return len(gone)


def _internal_ids(conn: Connection, fhir_ids: set[str]) -> set[int]:
    patients = _table("patients")
    found: set[int] = set()
    for chunk in chunked(fhir_ids):
        found.update(conn.execute(select(patients.c.id).where(patients.c.fhir_id.in_(chunk))).scalars().all())
    return found


def _fhir_ids(conn: Connection, internal_ids: set[int]) -> set[str]:
    patients = _table("patients")
    found: set[str] = set()
    for chunk in chunked(internal_ids):
        found.update(conn.execute(select(patients.c.fhir_id).where(patients.c.id.in_(chunk))).scalars().all())
    return found


def _advance(conn: Connection, run: StagedRun, summary: ImportSummary) -> None:
    """The source's watermark moves to the run's server time, together with the data it covers."""
    sources = _table("sync_sources")
    ensure_source_row(conn, run.source)
    conn.execute(
        update(sources)
        .where(sources.c.source == bindparam("s"))
        .values(
            watermark=run.new_watermark,
            last_success_at=datetime.now(),
            last_error=None,
            last_error_at=None,
            last_summary_json=orjson.dumps(summary.as_dict()).decode(),
        ),
        {"s": run.source},
    )


def _table(name: str) -> Table:
    return Base.metadata.tables[name]
