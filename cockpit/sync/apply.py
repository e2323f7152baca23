"""Apply a staged run in ONE transaction: import the resources (the importer's mapping, quarantine and
idempotence), apply deletions, on a full sync remove what the server no longer has, advance the watermark
and clear the staging. Any failure rolls all of it back: the GP never sees half a sync."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

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
from cockpit.fhir.types import RawResource, SourceLocation
from cockpit.models import Base
from cockpit.store import Store
from cockpit.store.errors import translate_db_errors
from cockpit.store.transactions import immediate_connection
from cockpit.store.tuning import larger_page_cache
from cockpit.sync.progress import APPLYING, Reporter
from cockpit.sync.staging import DELETED, StagedRun, Staging, ensure_source_row

# Where each kept FHIR type's rows live (a deleted resource's rows are found by type and id).
TYPE_TABLES: Final = {
    "Patient": "patients",
    "Condition": "conditions",
    "MedicationStatement": "medications",
    "MedicationRequest": "medications",
    "Observation": "observations",
    "Encounter": "encounters",
    "ServiceRequest": "home_care_services",
}
_SEEN_BATCH: Final = 5000


class MalformedDataError(SyncError):
    """The server sent something that is not FHIR NDJSON; the staged run is useless and is dropped."""


@dataclass(slots=True)
class Applied:
    summary: ImportSummary
    deleted: int = 0
    changed_patient_ids: set[int] = field(default_factory=set)
    changed_patient_fhir_ids: set[str] = field(default_factory=set)


def apply_run(
    store: Store, staging: Staging, run: StagedRun, reporter: Reporter, *, label: str, today: date
) -> Applied:
    """Apply everything staged for ``run``; ``label`` names the source in provenance and quarantine."""
    summary = ImportSummary(source=label)
    with (
        cyclic_gc_paused(),
        translate_db_errors(),
        immediate_connection(store) as conn,
        larger_page_cache(conn, IMPORT_CACHE_KIB),
    ):
        session: ImportSession | None = None  # made on the first resource: a quiet sync records no import
        applied = Applied(summary)
        # A full sync into a store without clinical rows has nothing to remove afterwards: every row then
        # in the store came from this run. So only a store with rows keeps track of what was received.
        seen = _Seen(conn) if run.full and _has_rows(conn) else None
        deletions: list[tuple[str, str]] = []
        for raw, deleted in _staged_resources(conn, staging, run, reporter):
            if deleted:
                deletions.append((str(raw.resource["resourceType"]), str(raw.resource["id"])))
                continue
            if session is None:
                session = ImportSession(conn, summary, source=label[:200], today=today)
            session.take(raw)
            if seen is not None:
                seen.add(raw.resource)
        fhir_ids: set[str] = set()
        if session is not None:
            session.finish()
            fhir_ids = set(session.changed_patients)
        applied.deleted = _delete(conn, deletions, applied)
        if seen is not None:
            seen.flush()
            applied.deleted += _remove_unseen(conn, applied)
            seen.drop()
        applied.changed_patient_ids |= _internal_ids(conn, fhir_ids)
        applied.changed_patient_fhir_ids |= fhir_ids | _fhir_ids(conn, applied.changed_patient_ids)
        _advance(conn, run, summary)
        staging.discard(conn)
    fold_wal(store)
    return applied


def _has_rows(conn: Connection) -> bool:
    tables = dict.fromkeys(TYPE_TABLES.values())
    probe = " UNION ALL ".join(f"SELECT 1 FROM (SELECT 1 FROM {name} LIMIT 1)" for name in tables)
    return conn.exec_driver_sql(probe).first() is not None


def _staged_resources(
    conn: Connection, staging: Staging, run: StagedRun, reporter: Reporter
) -> Iterator[tuple[RawResource, bool]]:
    """(resource, is a deletion) for every staged line; for a history run only the newest event per
    type/id (a resource changed twice and then deleted is just deleted)."""
    events = _parsed(conn, staging, reporter)
    if run.method != "history":
        return events
    return _newest(events)


def _newest(events: Iterator[tuple[RawResource, bool]]) -> Iterator[tuple[RawResource, bool]]:
    newest: dict[tuple[str, str], tuple[str, RawResource, bool]] = {}
    for raw, deleted in events:
        resource = raw.resource
        key = (str(resource["resourceType"]), str(resource.get("id")))
        meta = resource.get("meta")
        stamp = str(resource.get("at") if deleted else (meta or {}).get("lastUpdated", ""))
        known = newest.get(key)
        if known is None or stamp > known[0]:  # history comes newest first: a tie keeps the first
            newest[key] = (stamp, raw, deleted)
    for _, raw, deleted in newest.values():
        yield raw, deleted


def _parsed(conn: Connection, staging: Staging, reporter: Reporter) -> Iterator[tuple[RawResource, bool]]:
    loads, decode_error = orjson.loads, orjson.JSONDecodeError
    for chunk in staging.chunks(conn):
        reporter.report(APPLYING)
        where = _unit_label(chunk.unit)
        deleted = chunk.kind == DELETED
        count = 0
        for number, line in enumerate(chunk.payload.split(b"\n"), chunk.first_line + 1):
            if not line or line.isspace():
                continue
            try:
                resource = loads(line)
            except decode_error:
                resource = None
            if type(resource) is not dict or type(resource.get("resourceType")) is not str:
                raise MalformedDataError(
                    f"The server sent data that is not FHIR NDJSON ({where}, line {number}). The store was "
                    "not changed; tell the server's administrator, then sync again."
                )
            count += 1
            yield RawResource(resource, line, SourceLocation(where, number)), deleted
        reporter.resources += count  # progress is reported per chunk, so it is counted per chunk
        reporter.units_done += count


def _unit_label(unit: str) -> str:
    """A short name for quarantine and errors: the output file or the search, not the whole URL."""
    return unit.rsplit("/", 1)[-1] if unit.startswith("http") else unit


def _delete(conn: Connection, deletions: list[tuple[str, str]], applied: Applied) -> int:
    """Delete the rows of deleted resources (a Patient's rows go with it: ON DELETE CASCADE)."""
    count = 0
    for fhir_type, fhir_id in deletions:
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
    return count


class _Seen:
    """The type/ids a full sync received, in a temporary table (memory: temp_store = MEMORY)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.batch: list[tuple[str, str]] = []
        conn.exec_driver_sql(
            "CREATE TEMP TABLE IF NOT EXISTS sync_seen (fhir_type TEXT NOT NULL, fhir_id TEXT NOT NULL, "
            "PRIMARY KEY (fhir_type, fhir_id)) WITHOUT ROWID"
        )
        conn.exec_driver_sql("DELETE FROM temp.sync_seen")

    def add(self, resource: dict[str, Any]) -> None:
        resource_type = resource["resourceType"]
        if resource_type in TYPE_TABLES:
            self.batch.append((resource_type, str(resource.get("id"))))
            if len(self.batch) >= _SEEN_BATCH:
                self.flush()

    def flush(self) -> None:
        if self.batch:
            self.conn.exec_driver_sql("INSERT OR IGNORE INTO temp.sync_seen VALUES (?, ?)", self.batch)
            self.batch = []

    def drop(self) -> None:
        self.conn.exec_driver_sql("DROP TABLE temp.sync_seen")


def _remove_unseen(conn: Connection, applied: Applied) -> int:
    """After a full sync: delete the rows of resources the server no longer has."""
    received_patients = conn.exec_driver_sql(
        "SELECT count(*) FROM temp.sync_seen WHERE fhir_type = 'Patient'"
    ).scalar_one()
    if not received_patients and conn.exec_driver_sql("SELECT count(*) FROM patients").scalar_one():
        # A wrong URL or an empty export must not wipe the practice's data.
        raise SyncError(
            "The server sent no patients at all, so a full sync would empty the store; nothing was changed. "
            "Check the server URL (and export level or group) in the sync settings."
        )
    removed = 0
    for name in dict.fromkeys(TYPE_TABLES.values()):
        unseen = (
            f"NOT EXISTS (SELECT 1 FROM temp.sync_seen s WHERE s.fhir_type = {name}.fhir_type "
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


def _internal_ids(conn: Connection, fhir_ids: set[str]) -> set[int]:
    patients = _table("patients")
    found: set[int] = set()
    ids = list(fhir_ids)
    for start in range(0, len(ids), 500):
        found.update(
            conn.execute(select(patients.c.id).where(patients.c.fhir_id.in_(ids[start : start + 500])))
            .scalars()
            .all()
        )
    return found


def _fhir_ids(conn: Connection, internal_ids: set[int]) -> set[str]:
    patients = _table("patients")
    found: set[str] = set()
    ids = list(internal_ids)
    for start in range(0, len(ids), 500):
        found.update(
            conn.execute(select(patients.c.fhir_id).where(patients.c.id.in_(ids[start : start + 500])))
            .scalars()
            .all()
        )
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
