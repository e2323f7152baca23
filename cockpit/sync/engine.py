"""The sync engine: keep the store current from the practice's FHIR server (or a folder of NDJSON files).

One run: find or resume the staged run, download what is missing into staging (``bulk``/``search``), then
apply it whole (``apply``). The first run of a source is full; later ones fetch only changes since the
watermark, which is always the server's time. ``full=True`` also removes what the server no longer has.

Failures are SyncErrors whose message says what to do; the store keeps its previous state and what was
downloaded stays staged, so the next run continues (a malformed download is dropped instead: fetching it
again is the only way on). The engine runs on the caller's thread; ``cancel`` stops it between chunks.
"""

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Final

import orjson
from sqlalchemy import select, update

from cockpit.errors import CockpitError, SyncError
from cockpit.fhir.limits import MIB
from cockpit.models import Base
from cockpit.store import Store
from cockpit.store.errors import translate_db_errors
from cockpit.store.transactions import immediate_connection
from cockpit.sync.apply import Applied, ChunkFeed, MalformedDataError, apply_run, store_is_empty
from cockpit.sync.bulk import ExportGoneError, download_export, prepare_export, stage_outputs
from cockpit.sync.fetch import Fetch, PagingError, server_time
from cockpit.sync.http import FhirHttp
from cockpit.sync.mapper import ChunkMapper
from cockpit.sync.progress import (
    APPLYING,
    CONNECTING,
    ProgressCallback,
    Reporter,
    SyncCancelledError,
    SyncResult,
)
from cockpit.sync.search import download_everything, download_history, download_search
from cockpit.sync.settings import SyncSettings
from cockpit.sync.shapes import check_capabilities, parse_object
from cockpit.sync.staging import StagedRun, Staging, ensure_source_row

log = logging.getLogger(__name__)

FULL_METHODS: Final = ("export", "everything", "search")


def source_key(base_url: str) -> str:
    """How a server is named in the store: its base URL without a trailing slash."""
    return base_url.rstrip("/")


def sync_server(
    store: Store,
    settings: SyncSettings,
    *,
    full: bool = False,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    http: FhirHttp | None = None,
    today: date | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncResult:
    """Sync from ``settings.server_url``. ``http`` is for tests and the bench (a client with a fault-
    injecting transport); by default one is built from the settings (auth and CA bundle included)."""
    if not settings.server_url:
        raise SyncError("No sync server is set: run 'cockpit sync --server URL' once to set it.")
    source = source_key(settings.server_url)
    own_http = http is None
    client = http if http is not None else _client(settings)
    client.deadline = time.monotonic() + settings.deadline_minutes * 60
    staging = Staging(store, source)
    reporter = Reporter(progress, cancel)
    text_dates = store.engine.dialect.name == "sqlite"
    mapper = ChunkMapper(
        today=today or date.today(),
        source=_label(source)[:200],
        text_dates=text_dates,
        limits=settings.limits(),
    )
    try:
        fetch = Fetch(
            client,
            staging,
            reporter,
            sleep,
            mapper=mapper,
            max_pages=int(settings.max_pages),
            limits=mapper.limits,
            export_wait_s=settings.export_wait_minutes * 60,
        )
        return _run(store, settings, staging, fetch, full=full)
    except SyncCancelledError:
        raise
    except CockpitError as exc:
        if isinstance(exc, MalformedDataError | PagingError):
            staging.discard()
        record_failure(store, source, str(exc))
        raise
    finally:
        mapper.close()
        client.deadline = None
        if own_http:
            client.close()


def _label(source: str) -> str:
    """How a server names itself in provenance and quarantine."""
    return f"sync:{source}"


def _client(settings: SyncSettings) -> FhirHttp:
    from cockpit.sync.auth import auth_from_settings  # noqa: PLC0415 (keyring only when syncing)

    assert settings.server_url is not None
    auth = auth_from_settings(
        settings.auth_kind, settings.client_id, settings.token_url, scope=settings.scope
    )
    ca_bundle = Path(settings.ca_bundle) if settings.ca_bundle else None
    return FhirHttp(
        settings.server_url,
        auth=auth,
        ca_bundle=ca_bundle,
        timeout=settings.read_timeout_seconds,
        min_rate=settings.min_rate_kb_s * 1024,
        grace=settings.stall_grace_seconds,
        max_body=int(settings.max_page_mb * MIB),
    )


def _run(store: Store, settings: SyncSettings, staging: Staging, fetch: Fetch, *, full: bool) -> SyncResult:
    fetch.reporter.report(CONNECTING, force=True)
    started = time.perf_counter()
    run = staging.run()
    resumed = run is not None and (run.full or not full)  # a pending full run also serves an incremental
    if run is None or not resumed:
        run = _begin(fetch, settings, staging, full)
    assert run is not None
    mapper = fetch.mapper
    assert mapper is not None
    if run.full and run.method != "export":
        # A full run is big: its chunks are mapped on a second core as they are staged. The worker starts
        # now (for an export: while the server prepares it).
        mapper.start()
    try:
        done = _fetch_and_apply(store, settings, staging, fetch, run, resumed=resumed)
    except ExportGoneError:
        log.info("the resumed export is gone from the server; starting it again")
        mapper.forget()
        run = _begin(fetch, settings, staging, run.full)
        resumed = False
        done = _fetch_and_apply(store, settings, staging, fetch, run, resumed=False)
    result = _result(done.run, done.applied, resumed, done.downloaded_bytes)
    result.downloaded = done.received
    result.seconds_download = done.downloaded_at - started
    result.seconds_apply = time.perf_counter() - done.downloaded_at
    _record_summary(store, done.run.source, result)
    return result


@dataclass(frozen=True, slots=True)
class _Done:
    run: StagedRun
    applied: Applied
    received: int
    downloaded_bytes: int
    downloaded_at: float  # perf_counter() when the download had ended


def _fetch_and_apply(
    store: Store, settings: SyncSettings, staging: Staging, fetch: Fetch, run: StagedRun, *, resumed: bool
) -> _Done:
    if run.method == "export" and staging.separate and store_is_empty(store):
        # Applying while downloading holds the store's write lock for the whole download: only where
        # nobody can be looking anything up yet (each look-up is audited, i.e. written). A store in use
        # stays writable while its download runs and is locked only while the run is applied.
        return _export_while_applying(store, settings, staging, fetch, run, resumed=resumed)
    _download(fetch, settings, run, resumed=resumed)
    downloaded_at = time.perf_counter()
    run = _staged_run(staging)
    received = staging.staged_lines()
    reporter = fetch.reporter
    reporter.resources, reporter.units_done, reporter.units_total = 0, 0, received  # progress of the apply
    reporter.report(APPLYING, force=True)
    assert fetch.mapper is not None
    applied = apply_run(
        store, staging, run, reporter, label=_label(run.source), today=fetch.mapper.today, mapper=fetch.mapper
    )
    return _Done(run, applied, received, reporter.bytes, downloaded_at)


def _export_while_applying(
    store: Store, settings: SyncSettings, staging: Staging, fetch: Fetch, run: StagedRun, *, resumed: bool
) -> _Done:
    """An export into a store that stages beside itself: once the export is ready, its files are
    streamed into the staging on a thread of their own while this one applies each chunk as soon as it
    is committed (and mapped). The apply's transaction waits for the download to end, so it still
    applies the whole run or nothing; the staged chunks and checkpoints are committed as before, so an
    interrupted run resumes from them. Progress: the download's, then the rest of the apply's."""
    _, outputs = prepare_export(fetch, settings, run.status_url, resumed=resumed)
    run = _staged_run(staging)  # with its watermark
    loader = dataclasses.replace(fetch, reporter=fetch.reporter.sibling())
    applier = fetch.reporter
    applier.resources = applier.units_done = 0
    applier.quiet = True
    feed = ChunkFeed(staging)

    def download() -> None:
        try:
            stage_outputs(loader, outputs, resumed=resumed)
        except BaseException as error:  # raised again on the applying thread
            feed.fail(error)
        else:
            feed.finish()

    def downloaded() -> None:
        applier.units_total = feed.lines
        applier.quiet = False
        applier.report(APPLYING, force=True)

    feed.on_finish = downloaded
    thread = threading.Thread(target=download, name="sync-download", daemon=True)
    thread.start()
    assert fetch.mapper is not None
    try:
        applied = apply_run(
            store,
            staging,
            run,
            applier,
            label=_label(run.source),
            today=fetch.mapper.today,
            mapper=fetch.mapper,
            chunks=feed,
        )
    finally:
        loader.reporter.stop()  # the download ends at its next block if the apply did not get to its end
        thread.join()
        staging.listener = None
        applier.quiet = False
    assert feed.downloaded_at is not None
    return _Done(run, applied, feed.lines, loader.reporter.bytes, feed.downloaded_at)


def _staged_run(staging: Staging) -> StagedRun:
    run = staging.run()
    if run is None:
        raise SyncError("The staged sync disappeared while it ran (another sync?): run 'cockpit sync' again.")
    return run


def _begin(fetch: Fetch, settings: SyncSettings, staging: Staging, full: bool) -> StagedRun:
    """Start a run: choose the method from the server's CapabilityStatement and the watermark."""
    watermark = _watermark(staging)
    if watermark is None or settings.export_level == "group":
        # A group's changes cannot be told from the system history (it has everyone's): each run is a
        # group export, which also removes who left the group.
        full = True
    capabilities = _capabilities(fetch)
    if full:
        method = _full_method(settings, capabilities)
        return staging.begin(method, full=True, since=None)
    method = "history" if "history-system" in capabilities else "search"
    run = staging.begin(method, full=False, since=watermark)
    return run


def _download(fetch: Fetch, settings: SyncSettings, run: StagedRun, *, resumed: bool) -> None:
    if run.method == "export":
        download_export(fetch, settings, run.status_url, resumed=resumed)
        return
    if run.new_watermark is None:
        # The server's time before the first byte of data: what changes after it comes next time.
        probe = fetch.http.get("Patient", params={"_summary": "count"})
        fetch.staging.remember(new_watermark=server_time(probe))
    if run.method == "search":
        download_search(fetch, run.since)
    elif run.method == "everything":
        download_everything(fetch)
    elif run.method == "history":
        assert run.since is not None
        download_history(fetch, run.since)
    else:
        raise SyncError(f"A staged sync uses an unknown method {run.method!r}: run 'cockpit sync --full'.")


def _capabilities(fetch: Fetch) -> set[str]:
    """What the server says it can do: system operations/interactions and Patient operations."""
    response = fetch.http.get("metadata")
    statement = parse_object(
        response.content, "CapabilityStatement", "check the server URL in the sync settings"
    )
    rest = check_capabilities(statement)
    found: set[str] = set()
    for operation in rest.get("operation") or []:
        found.add(str(operation.get("name")))
    for interaction in rest.get("interaction") or []:
        found.add(str(interaction.get("code")))
    for resource in rest.get("resource") or []:
        if resource.get("type") == "Patient":
            found.update(f"Patient/{op.get('name')}" for op in resource.get("operation") or [])
    return found


def _full_method(settings: SyncSettings, capabilities: set[str]) -> str:
    if settings.method != "auto":
        return settings.method
    export_op = "export" if settings.export_level == "system" else "Patient/export"
    if export_op in capabilities or (settings.export_level == "group" and "export" in capabilities):
        return "export"
    if "Patient/everything" in capabilities:
        return "everything"
    return "search"


def _watermark(staging: Staging) -> str | None:
    sources = Base.metadata.tables["sync_sources"]
    with translate_db_errors(), staging.store.engine.connect() as conn:
        row = conn.execute(select(sources.c.watermark).where(sources.c.source == staging.source)).first()
    return None if row is None else row.watermark


def _result(run: StagedRun, applied: Applied, resumed: bool, downloaded_bytes: int) -> SyncResult:
    summary = applied.summary
    return SyncResult(
        source=run.source,
        method=run.method,
        full=run.full,
        resumed=resumed,
        downloaded_bytes=downloaded_bytes,
        inserted=summary.inserted,
        updated=summary.updated,
        unchanged=summary.unchanged,
        deleted=applied.deleted,
        quarantined=summary.quarantined,
        skipped=sum(summary.skipped_by_type.values()),
        changed_patient_ids=frozenset(applied.changed_patient_ids),
        changed_patient_fhir_ids=frozenset(applied.changed_patient_fhir_ids),
        watermark=run.new_watermark,
        quarantine_examples=list(summary.quarantine_examples),
        named_from_catalogue=summary.named_from_catalogue,
        unresolved_medication_refs=summary.unresolved_medication_refs,
    )


def record_failure(store: Store, source: str, message: str) -> None:
    """Remember the last error for the status bar (best effort: the store itself may be the problem)."""
    sources = Base.metadata.tables["sync_sources"]
    try:
        with immediate_connection(store) as conn:
            ensure_source_row(conn, source)
            conn.execute(
                update(sources)
                .where(sources.c.source == source)
                .values(last_error=message[:1000], last_error_at=datetime.now())
            )
    except CockpitError:
        log.warning("could not record the sync failure in the store")


def _record_summary(store: Store, source: str, result: SyncResult) -> None:
    sources = Base.metadata.tables["sync_sources"]
    with immediate_connection(store) as conn:
        conn.execute(
            update(sources)
            .where(sources.c.source == source)
            .values(last_summary_json=orjson.dumps(result.as_dict()).decode())
        )
