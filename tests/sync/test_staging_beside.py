"""An embedded store stages a sync in its side database (sync-staging.db, SQLCipher, keyed like the store)
and applies an export while it downloads: the side file is private and encrypted, survives the store's
own transaction, gives way when the store's key changes, and a run applied but not yet cleared from it
is applied again to the same result."""

import stat
import zlib
from typing import Any

import pytest
import zstandard
from sqlalchemy import text

from cockpit.errors import SyncNetworkError
from cockpit.security.keys import KeyStore
from cockpit.store import Store
from cockpit.store.driver import dbapi2
from cockpit.store.meta import side_database_files
from cockpit.store.rekey import rekey_store
from cockpit.sync import staging as staging_module
from cockpit.sync.engine import sync_server
from cockpit.sync.fetch import CHUNK_BYTES
from cockpit.sync.progress import SyncProgress
from cockpit.sync.settings import SyncSettings
from cockpit.sync.staging import SIDE_DATABASE, Staging, staging_engine
from cockpit.sync.status import sync_status
from tests.sync.content import staged_rows, store_content
from tests.sync.test_interrupted import FaultyTransport, _break_after, _client


def _cut_off_in_observations(store: Store, fhir_server: str) -> None:
    """A first sync whose connection drops past two chunks of the Observation file."""
    transport = FaultyTransport("Observation", _break_after(CHUNK_BYTES * 5 // 2))
    with pytest.raises(SyncNetworkError, match="sync again"):
        sync_server(store, SyncSettings(server_url=fhir_server), http=_client(fhir_server, transport))


def test_a_cut_off_download_is_staged_beside_the_store_encrypted_and_private(
    fhir_server: str, make_store: Any
) -> None:
    store = make_store()
    _cut_off_in_observations(store, fhir_server)
    side = store.paths.side_database(SIDE_DATABASE)
    assert stat.S_IMODE(side.stat().st_mode) == 0o600
    assert staged_rows(store, "sync_chunks") > 2  # the files before Observation and two of its chunks
    with store.engine.connect() as conn:  # nothing of the run in the store's own tables
        assert conn.execute(text("SELECT count(*) FROM sync_chunks")).scalar() == 0
    staging_engine(store).dispose()  # everything folded into the file, then look at its bytes
    raw = b"".join(p.read_bytes() for p in side_database_files(store.paths.home))
    assert side in side_database_files(store.paths.home)
    assert b"SQLite format 3" not in raw
    assert b"resourceType" not in raw and b"Observation" not in raw and b"sync_chunks" not in raw


def test_a_rekey_takes_the_side_database_along_and_the_next_sync_starts_afresh(
    fhir_server: str, make_store: Any, keys: KeyStore, imported_content: dict[str, Any]
) -> None:
    store = make_store()
    settings = SyncSettings(server_url=fhir_server)
    _cut_off_in_observations(store, fhir_server)
    assert staged_rows(store, "sync_runs") == 1
    home = store.paths.home
    store.close()
    rekey_store(home, keys)  # the side database had the old key: gone with it
    assert side_database_files(home) == []

    store = make_store()
    assert Staging(store, fhir_server.rstrip("/")).run() is None  # a new, empty one
    result = sync_server(store, settings)
    assert not result.resumed
    assert store_content(store) == imported_content


def test_a_run_applied_but_not_yet_cleared_is_applied_again_to_the_same_store(
    fhir_server: str, make_store: Any, monkeypatch: pytest.MonkeyPatch, imported_content: dict[str, Any]
) -> None:
    store = make_store()
    settings = SyncSettings(server_url=fhir_server)

    def crash(_self: Staging, _conn: object = None) -> None:
        raise KeyboardInterrupt  # as if the process died between the store's commit and the clearing

    with monkeypatch.context() as patched:
        patched.setattr(Staging, "discard", crash)
        with pytest.raises(KeyboardInterrupt):
            sync_server(store, settings)
    assert store_content(store) == imported_content  # committed
    assert staged_rows(store, "sync_runs") == 1  # and still staged

    result = sync_server(store, settings)
    assert result.resumed
    assert (result.inserted, result.updated, result.deleted) == (0, 0, 0)
    assert result.unchanged == result.downloaded > 20_000
    assert store_content(store) == imported_content
    assert staged_rows(store, "sync_runs") == 0
    with staging_engine(store).connect() as conn:  # the run's pages have left the side database
        assert conn.execute(text("PRAGMA freelist_count")).scalar() == 0
        assert conn.execute(text("PRAGMA page_count")).scalar_one() < 20


def test_a_run_an_earlier_version_packed_with_zlib_is_resumed(
    fhir_server: str, make_store: Any, imported_content: dict[str, Any]
) -> None:
    store = make_store()
    _cut_off_in_observations(store, fhir_server)
    with staging_engine(store).begin() as conn:  # the chunks as the version before zstd staged them
        chunks = conn.execute(text("SELECT id, payload FROM sync_chunks")).all()
        for chunk_id, payload in chunks:
            assert payload[:4] == b"\x28\xb5\x2f\xfd"  # zstd, as staged now
            older = zlib.compress(zstandard.ZstdDecompressor().decompress(payload), 1)
            conn.execute(
                text("UPDATE sync_chunks SET payload = :p WHERE id = :id"), {"p": older, "id": chunk_id}
            )
    assert len(chunks) > 2

    result = sync_server(store, SyncSettings(server_url=fhir_server))
    assert result.resumed
    assert store_content(store) == imported_content


def test_a_run_staged_in_the_store_by_an_earlier_version_is_dropped(
    fhir_server: str, make_store: Any
) -> None:
    store = make_store()
    with store.engine.begin() as conn:  # what a version that staged in the store left behind
        conn.execute(text("INSERT INTO sync_sources (source) VALUES ('http://old.example/fhir')"))
        conn.execute(
            text(
                "INSERT INTO sync_runs (source, method, full, started_at) "
                "VALUES ('http://old.example/fhir', 'export', 1, '2026-11-01 10:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO sync_chunks (source, unit, kind, first_line, lines, payload) "
                "VALUES ('http://old.example/fhir', 'u', 'resources', 0, 1, x'00')"
            )
        )
    staging_module._prepared.clear()  # as in a new process
    Staging(store, fhir_server)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sync_runs")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM sync_chunks")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM sync_sources")).scalar() == 1  # kept


def test_reading_the_sync_status_creates_no_side_database(make_store: Any) -> None:
    store = make_store()
    status = sync_status(store, "https://fhir.example/r4")
    assert (status.resumable, status.staged) == (False, 0)
    assert not store.paths.side_database(SIDE_DATABASE).exists()


def test_a_side_database_of_another_key_is_replaced(fhir_server: str, make_store: Any) -> None:
    first, second = make_store("first"), make_store("second")
    Staging(first, fhir_server).begin("export", full=True, since=None)
    side = first.paths.side_database(SIDE_DATABASE)
    first.close()
    (second.paths.side_database(SIDE_DATABASE)).write_bytes(side.read_bytes())  # another store's file
    assert Staging(second, fhir_server).run() is None
    assert staged_rows(second, "sync_runs") == 0


def _writable_now(store: Store) -> bool:
    """Whether BEGIN IMMEDIATE (what an audited look-up begins with) gets the store's lock within 0.1 s."""
    raw = store.engine.raw_connection()
    try:
        raw.execute("PRAGMA busy_timeout = 100")
        try:
            raw.execute("BEGIN IMMEDIATE")
        except dbapi2.OperationalError:
            return False
        raw.execute("ROLLBACK")
        return True
    finally:
        raw.execute("PRAGMA busy_timeout = 10000")
        raw.close()


def test_only_a_first_sync_holds_the_write_lock_while_it_downloads(fhir_server: str, make_store: Any) -> None:
    store = make_store()
    settings = SyncSettings(server_url=fhir_server)
    seen: list[bool] = []

    def progress(report: SyncProgress) -> None:
        if report.phase == "downloading" and report.resources > 0 and not seen:
            seen.append(_writable_now(store))

    sync_server(store, settings, progress=progress)  # empty: applied while it downloads
    assert seen == [False]
    seen.clear()
    result = sync_server(store, settings, full=True, progress=progress)  # in use: applied afterwards
    assert seen == [True]
    assert result.unchanged == result.downloaded
