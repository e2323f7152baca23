"""``cockpit import``: FHIR R4 files into the store, in one transaction.

Streaming: resources are read one at a time and written in batches per table, so memory stays flat in
the size of the files (it grows only with the number of patients, whose ids are kept for references).

All or nothing: the whole import is one transaction. A file that cannot be read (malformed NDJSON, a
truncated download) aborts it and the store is exactly as before. A well-formed resource that does not
fit the model is quarantined (kept in the store with file, line and reason) and the import goes on.

Idempotent: each row carries a digest of its source resource; a resource delivered again unchanged is
left alone, a changed one replaces its rows.
"""

import gc
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

import orjson
from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update

from cockpit.codelists import atc
from cockpit.fhir.limits import (
    DEFAULT_LIMITS,
    MARKER_KEY,
    Limits,
    OverLimitError,
    marker_raw,
    marker_reason,
    quarantine_head,
)
from cockpit.fhir.prepare import MAPPED_COLUMNS, PRODUCTS, PROVENANCE_COLUMNS, Prepared, prepare
from cockpit.fhir.reader import ResourceStream
from cockpit.fhir.types import RawResource, ResourceDoesNotFit, SourceLocation
from cockpit.models import Base
from cockpit.store import Store, medication_products
from cockpit.store.bulk import BulkInserter
from cockpit.store.errors import translate_db_errors
from cockpit.store.idsets import chunked
from cockpit.store.search_terms import replace_terms
from cockpit.store.transactions import immediate_connection
from cockpit.store.tuning import larger_page_cache, refresh_statistics

BATCH: Final = 2000
PROGRESS_EVERY: Final = 2000
MAX_EXAMPLES: Final = 20
IMPORT_CACHE_KIB: Final = 131_072
# Where a prepared medications row holds what the drug bookkeeping reads (see ``_note_drugs``).
_DRUG_COLUMNS: Final = MAPPED_COLUMNS["medications"]
_REF_AT, _SOURCE_AT = (_DRUG_COLUMNS.index(key) for key in ("medication_ref", "name_source"))


@dataclass(frozen=True, slots=True)
class ImportProgress:
    bytes_done: int
    total_bytes: int
    resources: int

    @property
    def fraction(self) -> float:
        return min(1.0, self.bytes_done / self.total_bytes) if self.total_bytes else 1.0


ProgressCallback = Callable[[ImportProgress], None]


@dataclass(slots=True)
class ImportSummary:
    """What an import did. ``quarantine_examples`` holds at most 20 (location, reason) pairs."""

    source: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    kept_by_type: dict[str, int] = field(default_factory=dict)
    skipped_by_type: dict[str, int] = field(default_factory=dict)
    quarantine_examples: list[tuple[str, str]] = field(default_factory=list)
    # Drugs (statements, requests and Medications) written with a name from the ATC catalogue: coded in ATC
    # and sent without a display or text (their name_source is "catalogue").
    named_from_catalogue: int = 0
    # Statements and requests in the store, after this import, that name their drug by a Medication the store
    # does not have: kept as "Ukendt lægemiddel", without a code (a data-quality problem).
    unresolved_medication_refs: int = 0
    # Resources quarantined by an earlier import or sync that were kept this time (their quarantine ended).
    released_from_quarantine: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "quarantined": self.quarantined,
            "kept_by_type": self.kept_by_type,
            "skipped_by_type": self.skipped_by_type,
            "quarantine_examples": [{"where": w, "reason": r} for w, r in self.quarantine_examples],
            "named_from_catalogue": self.named_from_catalogue,
            "unresolved_medication_refs": self.unresolved_medication_refs,
            "released_from_quarantine": self.released_from_quarantine,
            "seconds": round(self.seconds, 3),
        }


def import_path(
    store: Store,
    path: Path,
    progress: ProgressCallback | None = None,
    *,
    today: date | None = None,
) -> ImportSummary:
    """Import everything under ``path`` (see ``ResourceStream`` for what it reads)."""
    stream = ResourceStream(path)
    summary = ImportSummary(source=str(path))
    started = time.perf_counter()
    source = f"file:{path.resolve()}"[:200]
    with (
        cyclic_gc_paused(),
        translate_db_errors(),
        immediate_connection(store) as conn,
        larger_page_cache(conn, IMPORT_CACHE_KIB),
    ):
        ImportSession(conn, summary, source=source, today=today or date.today()).consume(stream, progress)
    fold_wal(store)
    refresh_statistics(store.engine, summary.inserted + summary.updated)
    summary.seconds = time.perf_counter() - started
    if progress is not None:
        progress(ImportProgress(stream.total_bytes, stream.total_bytes, summary.read))
    return summary


class ImportSession:
    """One import inside one open transaction (the caller's: a sync applies its staged data through it).

    Feed resources with ``take`` (or, already prepared, with ``add``, ``skip`` and ``quarantine``) and end
    with ``finish``; ``changed_patients`` then holds the FHIR ids of the patients whose rows were inserted
    or updated. ``raw_of`` finds the bytes of a resource prepared without them (only needed to quarantine
    one whose Patient never came).
    """

    def __init__(
        self,
        conn: Connection,
        summary: ImportSummary,
        *,
        source: str,
        today: date,
        raw_of: Callable[[Prepared], bytes] | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.conn = conn
        self.limits = limits
        self.per_patient: dict[str | None, int] = {}  # resources taken per patient (limits)
        self.summary = summary
        self.source = source
        self.today = today
        self.raw_of = raw_of
        self.started_at = datetime.now()
        self.run_id = self._start_run_row()
        self.patient_ids: dict[str, int] = dict(
            conn.execute(select(_table("patients").c.fhir_id, _table("patients").c.id)).all()
        )
        self.buffers: dict[str, list[Prepared]] = defaultdict(list)
        self.orphans: list[Prepared] = []
        self.inserters: dict[str, BulkInserter] = {}
        self.changed_patients: set[str] = set()
        # Per table: None if it had rows when this import first wrote to it; else the (type, id) pairs
        # written since, which are then all it holds (a first import or sync looks nothing up).
        self.written: dict[str, set[tuple[str, str]] | None] = {}
        # Medication ids named by the statements written, and the Medications written: resolved at the end.
        self.medication_refs: set[str] = set()
        self.products_written: set[str] = set()
        # (type, id) of the resources earlier imports quarantined (usually none), and those of them kept now.
        self.quarantined_before = self._quarantined_before()
        self.kept_again: set[tuple[str, str]] = set()

    def consume(self, stream: ResourceStream, progress: ProgressCallback | None) -> None:
        for raw in stream:
            self.take(raw)
            if progress is not None and self.summary.read % PROGRESS_EVERY == 0:
                progress(ImportProgress(stream.bytes_done, stream.total_bytes, self.summary.read))
        self.finish()

    def finish(self) -> None:
        """Write what is still buffered, quarantine what stayed without its Patient, record the run."""
        self._flush_all()
        self._settle_orphans()
        self._resolve_medications()
        self.summary.unresolved_medication_refs = medication_products.unresolved_count(self.conn)
        self._release_from_quarantine()
        self._finish_run_row()

    def take(self, raw: RawResource) -> None:
        self.summary.read += 1
        resource = raw.resource
        if MARKER_KEY in resource:  # a line over the length limit, read no further
            reason = marker_reason(resource) or ""
            self.quarantine(
                raw.location, resource["resourceType"], resource.get("id"), marker_raw(resource), reason
            )
            return
        try:
            prepared = prepare(
                resource, raw.raw, raw.location, today=self.today, source=self.source, limits=self.limits
            )
        except ResourceDoesNotFit as problem:
            resource_type, resource_id = resource.get("resourceType"), resource.get("id")
            kept = quarantine_head(raw.raw) if isinstance(problem, OverLimitError) else raw.raw
            self.quarantine(raw.location, resource_type, resource_id, kept, problem.reason)
            return
        if prepared is None:
            self.skip(str(resource.get("resourceType")))
            return
        self.add(prepared)

    def add(self, item: Prepared) -> None:
        """A prepared resource (``summary.read`` is the caller's to count)."""
        buffer = self.buffers[item[0]]
        buffer.append(item)
        if len(buffer) >= BATCH:
            self._flush(item[0])

    def add_all(self, items: list[Prepared], *, write: bool = False) -> None:
        """``add`` for many (a batch may then be somewhat larger than ``BATCH``); ``write``: write what
        is buffered now (a sync writes each part it gets while the next one is prepared)."""
        buffers = self.buffers
        for item in items:
            buffers[item[0]].append(item)
        if write:
            self._flush_all()
            return
        for table, buffer in list(buffers.items()):
            if len(buffer) >= BATCH:
                self._flush(table)

    def skip(self, resource_type: str) -> None:
        """A resource of a type the store does not keep."""
        skipped = self.summary.skipped_by_type
        skipped[resource_type] = skipped.get(resource_type, 0) + 1

    def _flush_all(self) -> None:
        self._flush("patients")  # first: the others need the patients' ids
        for table in list(self.buffers):
            self._flush(table)

    def _flush(self, table_name: str) -> None:
        items = self.buffers.pop(table_name, [])
        if not items:
            return
        if table_name == "patients":
            self._write_patients(items)
            return
        if table_name == PRODUCTS:
            self._write_products(items)
            return
        items = self._within_limit(items)
        patient_ids = self.patient_ids
        if any(item[3] not in patient_ids for item in items):
            self._flush("patients")  # they may be waiting in the patients' buffer
            ready = []
            for item in items:
                if item[3] in patient_ids:
                    ready.append(item)
                else:
                    self.orphans.append(item)  # its Patient may still come later in the input
            items = ready
        self._write_clinical(_table(table_name), items)

    def _within_limit(self, items: list[Prepared]) -> list[Prepared]:
        """The clinical resources within the limit of resources per patient; the rest quarantined."""
        limit, counts = self.limits.max_resources_per_patient, self.per_patient
        kept = []
        for item in items:
            ref = item[3]
            counts[ref] = taken = counts.get(ref, 0) + 1
            if taken <= limit:
                kept.append(item)
                continue
            raw = item[8] if item[8] is not None else self.raw_of(item) if self.raw_of else b""
            self.quarantine(
                SourceLocation(item[6], item[7]),
                item[1],
                item[2],
                quarantine_head(raw),
                f"its patient has more than the limit of {limit:,} resources",
            )
        return kept

    def _settle_orphans(self) -> None:
        orphans, self.orphans = self.orphans, []
        by_table: dict[str, list[Prepared]] = defaultdict(list)
        for item in orphans:
            table_name, fhir_type, fhir_id, patient_ref, _, _, file, line, raw = item
            if patient_ref in self.patient_ids:
                by_table[table_name].append(item)
                continue
            if raw is None:
                assert self.raw_of is not None, "a resource prepared without its bytes needs raw_of"
                raw = self.raw_of(item)
            self.quarantine(
                SourceLocation(file, line),
                fhir_type,
                fhir_id,
                raw,
                f"{fhir_type}.subject refers to a Patient that is "
                "neither in the store nor in this import (missing reference)",
            )
        for table_name, items in by_table.items():
            self._write_clinical(_table(table_name), items)

    # -- writing --------------------------------------------------------------------------------------

    def _existing(self, table: Table, keys: list[tuple[str, str]], *extra: str) -> dict[tuple[str, str], Any]:
        """(fhir_type, fhir_id) -> row (content_hash, *extra) of what the store already has."""
        if table.name not in self.written:
            has_rows = self.conn.execute(select(table.c.id).limit(1)).first() is not None
            self.written[table.name] = None if has_rows else set()
        written = self.written[table.name]
        if written is not None:
            if written.isdisjoint(keys):
                written.update(keys)
                return {}  # the table holds only what this import wrote, and none of these
            written.update(keys)
        ids = list({fhir_id for _, fhir_id in keys})
        columns = [table.c.fhir_type, table.c.fhir_id, table.c.content_hash, *(table.c[e] for e in extra)]
        rows = self.conn.execute(select(*columns).where(table.c.fhir_id.in_(ids))).all()
        return {(row[0], row[1]): row for row in rows}

    def _write_patients(self, items: list[Prepared]) -> None:
        table = _table("patients")
        items, keys = _last_of_each(items)
        existing = self._existing(table, keys, "id")
        inserts, updates = [], []
        self._note_kept(keys)
        for item in items:
            row = item[5][0]
            found = existing.get((item[1], item[2]))
            if found is None:
                inserts.append(row)
            elif found.content_hash == item[4]:
                self._count(item, "unchanged")
                continue
            else:
                updates.append({**row, "_id": found.id})
            self._count(item, "inserted" if found is None else "updated")
        if inserts:
            self.conn.execute(insert(table), inserts)
            new_ids = [row["fhir_id"] for row in inserts]
            self.patient_ids.update(
                self.conn.execute(
                    select(table.c.fhir_id, table.c.id).where(table.c.fhir_id.in_(new_ids))
                ).all()
            )
        if updates:
            self.conn.execute(update(table).where(table.c.id == bindparam("_id")), updates)
        replace_terms(self.conn, [(self.patient_ids[row["fhir_id"]], row) for row in inserts + updates])

    def _write_clinical(self, table: Table, items: list[Prepared]) -> None:
        if not items:
            return
        items, keys = _last_of_each(items)
        self._note_kept(keys)
        existing = self._existing(table, keys)
        if not existing:  # all new (always so in a first import or sync): no per-item decisions
            self._insert_new(table, items)
            return
        replaced: dict[str, list[str]] = defaultdict(list)
        rows: list[tuple[Any, ...]] = []
        append = rows.append
        patient_ids, changed = self.patient_ids, self.changed_patients
        kept = self.summary.kept_by_type
        inserted = updated = 0
        for _, fhir_type, fhir_id, patient_ref, digest, item_rows, _, _, _ in items:
            kept[fhir_type] = kept.get(fhir_type, 0) + 1
            if existing:
                found = existing.get((fhir_type, fhir_id))
                if found is not None:
                    if found.content_hash == digest:
                        self.summary.unchanged += 1
                        continue
                    replaced[fhir_type].append(fhir_id)
                    updated += 1
                else:
                    inserted += 1
            else:
                inserted += 1
            changed.add(patient_ref)  # type: ignore[arg-type]  # a clinical resource always has one
            patient_id = (patient_ids[patient_ref],)  # type: ignore[index]
            for row in item_rows:
                append(row + patient_id)
        self.summary.inserted += inserted
        self.summary.updated += updated
        for fhir_type, fhir_ids in replaced.items():
            self.conn.execute(
                delete(table).where(table.c.fhir_id.in_(fhir_ids)).where(table.c.fhir_type == fhir_type)
            )
        if table.name == "medications":
            self._note_drugs(rows)
        self._inserter(table).insert_values(rows)

    def _insert_new(self, table: Table, items: list[Prepared]) -> None:
        patient_ids = self.patient_ids
        kept = self.summary.kept_by_type
        for fhir_type, count in Counter(item[1] for item in items).items():
            kept[fhir_type] = kept.get(fhir_type, 0) + count
        self.summary.inserted += len(items)
        self.changed_patients.update(item[3] for item in items)  # type: ignore[misc]  # never None here
        # a tuple concatenation: faster than unpacking into a new tuple
        rows = [row + (patient_ids[item[3]],) for item in items for row in item[5]]  # type: ignore[index]  # noqa: RUF005
        if table.name == "medications":
            self._note_drugs(rows)
        self._inserter(table).insert_values(rows)

    def _write_products(self, items: list[Prepared]) -> None:
        """Medication resources: rows without a patient, written like patients' (one dict each)."""
        table = _table(PRODUCTS)
        items, keys = _last_of_each(items)
        self._note_kept(keys)
        existing = self._existing(table, keys, "id")
        summary, kept = self.summary, self.summary.kept_by_type
        inserts, updates = [], []
        for item in items:
            kept[item[1]] = kept.get(item[1], 0) + 1
            row = item[5][0]
            found = existing.get((item[1], item[2]))
            if found is None:
                inserts.append(row)
                summary.inserted += 1
            elif found.content_hash == item[4]:
                summary.unchanged += 1
                continue
            else:
                updates.append({**row, "_id": found.id})
                summary.updated += 1
            self.products_written.add(item[2])
            if row["name_source"] == atc.NAME_CATALOGUE:
                summary.named_from_catalogue += 1
        if inserts:
            self.conn.execute(insert(table), inserts)
        if updates:
            self.conn.execute(update(table).where(table.c.id == bindparam("_id")), updates)

    def _note_drugs(self, rows: list[tuple[Any, ...]]) -> None:
        """For the medications rows about to be written: the Medication ids they name (resolved at the end)
        and how many were named from the ATC catalogue."""
        refs = self.medication_refs
        named = 0
        catalogue = atc.NAME_CATALOGUE
        for row in rows:
            ref = row[_REF_AT]
            if ref is not None:
                refs.add(ref)
            elif row[_SOURCE_AT] == catalogue:
                named += 1
        self.summary.named_from_catalogue += named

    def _resolve_medications(self) -> None:
        """Statements and requests named by a Medication get its code and name: those written now, and
        those of every Medication written now (either may have come first, or in an earlier import)."""
        refs = self.medication_refs | self.products_written
        if not refs:
            return
        resolution = medication_products.resolve(self.conn, refs, refresh=self.products_written)
        if resolution.changed_patient_ids:
            patients = _table("patients")
            for chunk in chunked(resolution.changed_patient_ids):
                self.changed_patients.update(
                    self.conn.execute(select(patients.c.fhir_id).where(patients.c.id.in_(chunk))).scalars()
                )

    def _quarantined_before(self) -> set[tuple[str, str]]:
        table = _table("quarantined_resources")
        rows = self.conn.execute(
            select(table.c.resource_type, table.c.fhir_id).where(table.c.fhir_id.is_not(None)).distinct()
        ).all()
        return {(row[0], row[1]) for row in rows}

    def _note_kept(self, keys: list[tuple[str, str]]) -> None:
        if self.quarantined_before:
            self.kept_again.update(self.quarantined_before.intersection(keys))

    def _release_from_quarantine(self) -> None:
        """A resource an earlier import quarantined and this one kept (a new mapping, or a corrected
        resource) is no longer quarantined: its quarantine rows from earlier runs go."""
        if not self.kept_again:
            return
        table = _table("quarantined_resources")
        released = 0
        for resource_type, fhir_id in sorted(self.kept_again):
            result = self.conn.execute(
                delete(table)
                .where(table.c.resource_type == resource_type)
                .where(table.c.fhir_id == fhir_id)
                .where(table.c.import_run_id != self.run_id)
            )
            released += result.rowcount
        self.summary.released_from_quarantine += released

    def _inserter(self, table: Table) -> BulkInserter:
        """Columns: the mapped ones in table order, then ``PROVENANCE_COLUMNS``, then ``patient_id``."""
        inserter = self.inserters.get(table.name)
        if inserter is None:
            columns = [*MAPPED_COLUMNS[table.name], *PROVENANCE_COLUMNS, "patient_id"]
            inserter = BulkInserter(self.conn, table, columns)
            self.inserters[table.name] = inserter
        return inserter

    def _count(self, item: Prepared, outcome: str) -> None:
        setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)
        if outcome != "unchanged":
            self.changed_patients.add(item[3] or item[2])
        kept = self.summary.kept_by_type
        kept[item[1]] = kept.get(item[1], 0) + 1

    def quarantine(
        self, location: SourceLocation, resource_type: object, resource_id: object, raw: bytes, reason: str
    ) -> None:
        """Keep a resource that does not fit the model, with where it came from and why."""
        self.summary.quarantined += 1
        if len(self.summary.quarantine_examples) < MAX_EXAMPLES:
            self.summary.quarantine_examples.append((str(location), reason))
        self.conn.execute(
            insert(_table("quarantined_resources")),
            {
                "import_run_id": self.run_id,
                "file": location.file,
                "line": location.line,
                "resource_type": str(resource_type)[:40],
                "fhir_id": resource_id[:64] if isinstance(resource_id, str) else None,
                "reason": reason,
                "resource_json": raw.decode("utf-8", errors="replace"),
            },
        )

    def _start_run_row(self) -> int:
        result = self.conn.execute(
            insert(_table("import_runs")).values(
                source=self.summary.source,
                started_at=self.started_at,
                finished_at=self.started_at,
                summary_json="{}",
                quarantined=0,
            )
        )
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])

    def _finish_run_row(self) -> None:
        table = _table("import_runs")
        self.conn.execute(
            update(table)
            .where(table.c.id == self.run_id)
            .values(
                finished_at=datetime.now(),
                summary_json=orjson.dumps(self.summary.as_dict()).decode(),
                quarantined=self.summary.quarantined,
            )
        )


def fold_wal(store: Store) -> None:
    """A large import leaves a WAL as big as the data it wrote; fold it into the database now rather than
    making every later reader search it (best effort: a busy reader just postpones it)."""
    if store.engine.dialect.name != "sqlite":
        return
    with translate_db_errors(), store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """An import allocates millions of small, acyclic objects; the cyclic collector would scan the
    growing heap again and again for nothing (a third of the import's time on the demo practice).
    Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _last_of_each(items: list[Prepared]) -> tuple[list[Prepared], list[tuple[str, str]]]:
    """A batch may hold the same resource twice (re-delivered): the later one wins. Returns the items and
    their (fhir_type, fhir_id) keys."""
    keys = [(item[1], item[2]) for item in items]
    if len(set(keys)) == len(keys):
        return items, keys
    latest: dict[tuple[str, str], Prepared] = {}
    for key, item in zip(keys, items, strict=True):
        latest.pop(key, None)
        latest[key] = item
    return list(latest.values()), list(latest)
