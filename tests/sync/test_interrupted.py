"""An interrupted sync (a connection dropped mid-download, a cancel, kill -9 of the process) resumes where
it stopped and ends with the same store as a clean sync; a malformed download leaves the store as it was."""

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from cockpit.errors import SyncError, SyncNetworkError
from cockpit.security.keys import KeyStore
from cockpit.store import open_store
from cockpit.sync.engine import sync_server
from cockpit.sync.fetch import CHUNK_BYTES
from cockpit.sync.http import FhirHttp
from cockpit.sync.progress import SyncCancelledError, SyncProgress
from cockpit.sync.retry import RetryPolicy
from cockpit.sync.settings import SyncSettings
from tests.conftest import REPO
from tests.sync.content import staged_rows, store_content


class _Body(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, change: Any) -> None:
        self.inner, self.change = inner, change

    def __iter__(self) -> Iterator[bytes]:
        yield from self.change(iter(self.inner))

    def close(self) -> None:
        self.inner.close()


class FaultyTransport(httpx.HTTPTransport):
    """A real transport that counts export kick-offs and lets a test change one output file's body."""

    def __init__(self, file_type: str, change: Any) -> None:
        super().__init__()
        self.file_type, self.change, self.kickoffs, self.tripped = file_type, change, 0, False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("$export"):
            self.kickoffs += 1
        response = super().handle_request(request)
        if not self.tripped and request.url.path.endswith(f"/{self.file_type}.ndjson"):
            self.tripped = True
            assert isinstance(response.stream, httpx.SyncByteStream)
            return httpx.Response(
                response.status_code,
                headers=[(k, v) for k, v in response.headers.items() if k.lower() != "content-length"],
                stream=_Body(response.stream, self.change),
                request=request,
            )
        return response


def _break_after(limit: int) -> Any:
    def change(blocks: Iterator[bytes]) -> Iterator[bytes]:
        sent = 0
        for block in blocks:
            yield block
            sent += len(block)
            if sent >= limit:
                raise httpx.ReadError("connection reset by peer")

    return change


def _client(base_url: str, transport: httpx.BaseTransport) -> FhirHttp:
    return FhirHttp(base_url, transport=transport, policy=RetryPolicy(), sleep=lambda _s: None)


def test_a_connection_dropped_mid_download_resumes_without_a_second_export(
    fhir_server: str, make_store: Any, imported_content: dict[str, Any]
) -> None:
    store = make_store()
    settings = SyncSettings(server_url=fhir_server)
    transport = FaultyTransport("Observation", _break_after(CHUNK_BYTES * 5 // 2))  # past two chunks
    with pytest.raises(SyncNetworkError, match="sync again"):
        sync_server(store, settings, http=_client(fhir_server, transport))
    assert store_content(store)["patients"] == []  # nothing applied
    staged = staged_rows(store, "sync_chunks", "WHERE unit LIKE '%Observation%'")
    with store.engine.connect() as conn:
        error = conn.execute(text("SELECT last_error FROM sync_sources")).scalar()
    assert staged == 2
    assert error is not None and "sync again" in error

    result = sync_server(store, settings, http=_client(fhir_server, transport))

    assert result.resumed
    assert transport.kickoffs == 1  # the saved status URL was polled again, not a new export
    assert store_content(store) == imported_content


def test_a_cancelled_sync_stops_cleanly_and_the_next_one_completes(
    fhir_server: str, make_store: Any, imported_content: dict[str, Any]
) -> None:
    store = make_store()
    cancel = threading.Event()

    def progress(p: SyncProgress) -> None:
        if p.phase == "downloading" and p.resources > 0:
            cancel.set()

    with pytest.raises(SyncCancelledError):
        sync_server(store, SyncSettings(server_url=fhir_server), progress=progress, cancel=cancel)
    assert staged_rows(store, "sync_runs") == 1
    result = sync_server(store, SyncSettings(server_url=fhir_server))
    assert result.resumed
    assert store_content(store) == imported_content


def test_a_malformed_line_from_the_server_is_refused_and_the_store_keeps_its_state(
    fhir_server: str, make_store: Any
) -> None:
    store = make_store()
    settings = SyncSettings(server_url=fhir_server)
    sync_server(store, settings)
    before = store_content(store)

    def corrupt(blocks: Iterator[bytes]) -> Iterator[bytes]:
        body = b"".join(blocks)
        first_end = body.index(b"\n") + 1
        yield body[:first_end] + b'{"resourceType": "Condition", "id": "cut-off\n' + body[first_end:]

    transport = FaultyTransport("Condition", corrupt)
    with pytest.raises(SyncError, match=r"not FHIR NDJSON \(Condition.ndjson, line 2\)") as raised:
        sync_server(store, settings, full=True, http=_client(fhir_server, transport))
    assert "cut-off" not in str(raised.value)
    assert store_content(store) == before
    assert staged_rows(store, "sync_chunks") == 0  # the useless download is dropped: the next starts afresh


def _run_pending(home: Path, keys: KeyStore) -> int:
    """1 if the store in ``home`` holds a run that was cut off (staged, not applied)."""
    if not (home / "cockpit.db").exists():
        return 0
    store = open_store(home, keys)
    try:
        return staged_rows(store, "sync_runs")
    finally:
        store.close()


def test_killing_the_sync_process_at_random_points_never_hurts_the_store(
    fhir_server: str, tmp_path: Path, make_store: Any, keys: KeyStore, imported_content: dict[str, Any]
) -> None:
    home = tmp_path / "killed"
    env = {**os.environ, "COCKPIT_HOME": str(home)}
    command = [sys.executable, "-m", "cockpit", "sync", "--server", fhir_server]
    chooser = random.Random(4)  # fixed: the same kill points every run
    interrupted = 0
    for delay in sorted(chooser.uniform(0.8, 4.5) for _ in range(4)):
        process = subprocess.Popen(
            command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        interrupted += _run_pending(home, keys)
    assert interrupted >= 1  # at least one kill hit a run in progress (the others: start-up or the end)
    done = subprocess.run(
        command, env=env, cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Synced (")
    store = make_store("killed")
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert staged_rows(store, "sync_chunks") == 0
    assert store_content(store) == imported_content
