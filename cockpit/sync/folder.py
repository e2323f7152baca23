"""Sync from a folder of FHIR NDJSON files (a clinic system's file drop): what ``cockpit import`` reads.

Each file is checkpointed by name, size and modification time: a file already applied is not read again,
a new or rewritten one is. All new files of one run are applied in ONE transaction together with their
checkpoints, so an interrupted run applies nothing and the next run reads them again (the files are local:
nothing needs staging). A file drop carries no deletions; ``cockpit sync --full`` from a server does.
"""

import threading
import time
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select

from cockpit.errors import CockpitError, MalformedInputError, SyncError
from cockpit.fhir.importer import (
    IMPORT_CACHE_KIB,
    ImportSession,
    ImportSummary,
    cyclic_gc_paused,
    fold_wal,
)
from cockpit.fhir.reader import NDJSON_SUFFIXES, ResourceStream
from cockpit.models import Base
from cockpit.store import Store
from cockpit.store.errors import translate_db_errors
from cockpit.store.idsets import chunked
from cockpit.store.transactions import immediate_connection
from cockpit.store.tuning import larger_page_cache
from cockpit.sync.engine import record_failure
from cockpit.sync.progress import APPLYING, ProgressCallback, Reporter, SyncCancelledError, SyncResult
from cockpit.sync.staging import ensure_source_row


def folder_source(folder: Path) -> str:
    return f"folder:{folder.resolve()}"[:300]


def sync_folder(
    store: Store,
    folder: Path,
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    today: date | None = None,
) -> SyncResult:
    """Apply the folder's new and changed NDJSON files (Patients first). A cancel rolls back the run."""
    if not folder.is_dir():
        raise SyncError(f"{folder} is not a folder: give the folder the clinic system writes its files to.")
    source = folder_source(folder)
    reporter = Reporter(progress, cancel)
    started = time.perf_counter()
    try:
        result = _apply_new_files(store, folder, source, reporter, today or date.today())
    except MalformedInputError as exc:
        error = SyncError(f"{exc} Nothing was applied; fix or remove that file and sync again.")
        record_failure(store, source, str(error))
        raise error from None
    except SyncCancelledError:
        raise
    except CockpitError as exc:
        record_failure(store, source, str(exc))
        raise
    result.seconds_apply = time.perf_counter() - started
    return result


def _candidates(folder: Path) -> list[Path]:
    files = [
        child
        for child in folder.iterdir()
        if child.is_file() and not child.name.startswith(".") and child.name.endswith(NDJSON_SUFFIXES)
    ]
    return sorted(files, key=lambda child: (not child.name.startswith("Patient"), child.name))


def _apply_new_files(store: Store, folder: Path, source: str, reporter: Reporter, today: date) -> SyncResult:
    files_table = Base.metadata.tables["sync_folder_files"]
    result = SyncResult(source=source, method="folder", full=False)
    summary = ImportSummary(source=source)
    with (
        cyclic_gc_paused(),
        translate_db_errors(),
        immediate_connection(store) as conn,
        larger_page_cache(conn, IMPORT_CACHE_KIB),
    ):
        ensure_source_row(conn, source)
        known = {
            row.name: (row.size, row.mtime_ns)
            for row in conn.execute(select(files_table).where(files_table.c.source == source))
        }
        fresh = []
        for file in _candidates(folder):
            stat = file.stat()
            if known.get(file.name) != (stat.st_size, stat.st_mtime_ns):
                fresh.append((file, stat.st_size, stat.st_mtime_ns))
        session = ImportSession(conn, summary, source=source[:200], today=today)
        reporter.units_total = len(fresh)
        for file, size, _ in fresh:
            for raw in ResourceStream(file):
                session.take(raw)
                reporter.resources += 1
            reporter.bytes += size
            reporter.units_done += 1
            reporter.report(APPLYING)
        session.finish()
        _remember(conn, source, fresh)
        changed = session.changed_patients
        patients = Base.metadata.tables["patients"]
        internal: set[int] = set()
        for chunk in chunked(changed):
            internal.update(
                conn.execute(select(patients.c.id).where(patients.c.fhir_id.in_(chunk))).scalars()
            )
        sources = Base.metadata.tables["sync_sources"]
        conn.execute(
            sources.update()
            .where(sources.c.source == source)
            .values(last_success_at=datetime.now(), last_error=None, last_error_at=None)
        )
    if fresh:
        fold_wal(store)
    result.downloaded = summary.read
    result.downloaded_bytes = reporter.bytes
    result.inserted, result.updated, result.unchanged = summary.inserted, summary.updated, summary.unchanged
    result.quarantined = summary.quarantined
    result.skipped = sum(summary.skipped_by_type.values())
    result.quarantine_examples = list(summary.quarantine_examples)
    result.named_from_catalogue = summary.named_from_catalogue
    result.unresolved_medication_refs = summary.unresolved_medication_refs
    result.changed_patient_fhir_ids = frozenset(changed)
    result.changed_patient_ids = frozenset(internal)
    return result


def _remember(conn: Connection, source: str, files: list[tuple[Path, int, int]]) -> None:
    table = Base.metadata.tables["sync_folder_files"]
    now = datetime.now()
    for file, size, mtime_ns in files:
        conn.execute(delete(table).where(table.c.source == source, table.c.name == file.name))
        conn.execute(
            insert(table).values(source=source, name=file.name, size=size, mtime_ns=mtime_ns, applied_at=now)
        )
