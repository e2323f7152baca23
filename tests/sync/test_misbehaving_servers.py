"""Acceptance of issue 21: `cockpit sync` against a server that plays each fault ends within its deadline
with its message and exit code, the store's content as before (or only the resumable staging added), and
the resident memory of its whole process tree (the sync, multiprocessing's helpers, the mapping worker)
within 300 MB. Deadlines are set to seconds here; their defaults are in docs/sync.md.

Each test prints what it measured (run with -s): peak memory and time of the faulty run."""

import gzip
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cockpit.security.keys import KeyStore
from cockpit.store import open_store
from tests.sync.content import staged_rows, store_content
from tests.sync.misbehaving import (
    OBSERVATIONS,
    PATIENTS,
    Watched,
    bundle,
    manifest,
    ndjson,
    observation,
    patient,
    run_sync,
    serve_practice,
    streamed,
)
from tests.sync.transport_fixtures import FaultServer, respond, respond_json, serve

BUDGET_MB = 300
# Small deadlines, so that each fault ends in seconds: a download must average 1 KB/s after 1 s.
QUICK = ("--read-timeout", "1", "--stall-grace", "1", "--min-rate", "1", "--export-wait", "0.05")


@pytest.fixture
def server() -> Iterator[FaultServer]:
    yield from serve()


def _content(home: Path, keys: KeyStore) -> tuple[dict[str, Any], int]:
    """The store's clinical content and how many runs wait in its staging."""
    store = open_store(home, keys)
    try:
        return store_content(store), staged_rows(store, "sync_runs")
    finally:
        store.close()


def _report(name: str, run: Watched) -> None:
    said = run.stderr.strip()
    print(f"\n[{name}] exit {run.returncode}, {run.seconds:.1f} s, peak {run.peak_mb:.0f} MB: {said}")
    assert run.peak_mb < BUDGET_MB


def _synced_home(server: FaultServer, tmp_path: Path, *options: str) -> Path:
    """A home whose store holds the practice (2 patients, 3 observations) after a first sync."""
    serve_practice(server)
    home = tmp_path / "home"
    first = run_sync(home, "--server", server.url + "/fhir", *QUICK, *options)
    assert first.returncode == 0, first.stderr
    return home


def test_a_history_put_without_its_resource_deletes_nothing(
    server: FaultServer, tmp_path: Path, keys: KeyStore
) -> None:
    home = _synced_home(server, tmp_path)
    before, _ = _content(home, keys)
    entry = {"request": {"method": "PUT", "url": "Patient/p1"}, "response": {"status": "200 OK"}}
    server.route("/fhir/_history", respond_json(200, bundle([entry])))
    run = run_sync(home, "--json")
    _report("history PUT without resource", run)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert (summary["deleted"], summary["quarantined"]) == (0, 1)
    assert summary["quarantine_examples"][0]["reason"].startswith("a history entry that changes a resource")
    assert _content(home, keys) == (before, 0)


def test_a_history_whose_next_link_repeats_ends(server: FaultServer, tmp_path: Path, keys: KeyStore) -> None:
    home = _synced_home(server, tmp_path)
    before, _ = _content(home, keys)
    server.route("/fhir/_history", respond_json(200, bundle([], next_url="_history?_count=1000&_offset=0")))
    run = run_sync(home)
    _report("history paging cycle", run)
    assert run.returncode == 9
    assert "paging of the change history (_history) does not end" in run.stderr
    assert len(server.requests_to("/fhir/_history")) <= 3
    assert _content(home, keys) == (before, 0)


def _trickle(rate: int) -> Any:
    """An NDJSON body that never ends: ``rate`` bytes a second."""

    def blocks() -> Iterator[bytes]:
        line = json.dumps(observation("slow", "p1")).encode() + b"\n"
        for _ in range(600 * rate):
            yield line[: max(1, rate // 10)]
            time.sleep(0.1)

    return streamed(blocks)


@pytest.mark.parametrize(
    "case",
    [
        pytest.param((3, (), "came at less than 1.0 KB/s"), id="a-few-bytes-a-second"),
        pytest.param(
            (4000, ("--deadline", "0.1"), "was not done by the sync's deadline"), id="sync-deadline"
        ),
    ],
)
def test_a_body_that_never_finishes_stops_and_the_next_sync_resumes(
    server: FaultServer, tmp_path: Path, keys: KeyStore, case: tuple[int, tuple[str, ...], str]
) -> None:
    rate, options, said = case
    serve_practice(server)
    server.route("/files/Observation.ndjson", _trickle(rate))
    home = tmp_path / "home"
    run = run_sync(home, "--server", server.url + "/fhir", *QUICK, *options)
    _report(f"body at {rate} B/s", run)
    assert run.returncode == 9
    assert run.stderr.startswith("cockpit: The server stopped sending (")
    assert said in run.stderr
    assert run.seconds < 20
    content, pending = _content(home, keys)
    assert (content["patients"], pending) == ([], 1)  # only the resumable staging
    serve_practice(server)
    again = run_sync(home, "--json", "--deadline", "360")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["resumed"] is True


def test_an_export_that_stays_in_progress_is_given_up_at_its_limit(
    server: FaultServer, tmp_path: Path, keys: KeyStore
) -> None:
    serve_practice(server)
    server.route("/fhir/status/1", respond(202, headers={"Retry-After": "1", "X-Progress": "working"}))
    home = tmp_path / "home"
    run = run_sync(home, "--server", server.url + "/fhir", *QUICK)
    _report("export in progress for ever", run)
    assert run.returncode == 9
    assert "The server stopped sending (its bulk export was not ready within 0.05 minutes" in run.stderr
    assert 3 <= len(server.requests_to("/fhir/status/1")) <= 6
    content, pending = _content(home, keys)
    assert (content["patients"], pending) == ([], 1)  # the export's status URL, for the next run


def _giant_patient_line(pid: str, megabytes: int) -> Iterator[bytes]:
    yield b'{"resourceType": "Patient", "id": "%s", "gender": "female", "name": [{"family": "' % pid.encode()
    for _ in range(megabytes):
        yield b"N" * (1 << 20)
    yield b'"}]}\n'


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_a_50_mb_line_is_quarantined_within_the_memory_budget(
    server: FaultServer, tmp_path: Path, keys: KeyStore, gzipped: bool
) -> None:
    serve_practice(server)

    def patients() -> Iterator[bytes]:
        yield ndjson(PATIENTS)
        yield from _giant_patient_line("p-giant", 50)
        yield ndjson([patient("p3")])

    if gzipped:  # 50 MB of one letter inflates from 50 KB: a small block becomes a huge one
        body = gzip.compress(b"".join(patients()), 6)
        server.route("/files/Patient.ndjson", respond(200, body, {"Content-Type": "application/fhir+ndjson"}))
    else:
        server.route("/files/Patient.ndjson", streamed(patients))
    home = tmp_path / "home"
    run = run_sync(home, "--server", server.url + "/fhir", "--json", *QUICK)
    _report(f"50 MB line ({'gzip' if gzipped else 'plain'})", run)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert (summary["inserted"], summary["quarantined"]) == (3 + len(OBSERVATIONS), 1)
    [example] = summary["quarantine_examples"]
    assert example["where"] == "Patient.ndjson:3"
    size = sum(len(part) for part in _giant_patient_line("p-giant", 0)) - 1 + 50 * (1 << 20)  # no newline
    assert example["reason"] == f"a line of {size:,} bytes is over the limit of 8,388,608 bytes"
    content, pending = _content(home, keys)
    assert (len(content["patients"]), pending) == (3, 0)


def test_a_history_page_over_the_size_limit_is_refused(
    server: FaultServer, tmp_path: Path, keys: KeyStore
) -> None:
    home = _synced_home(server, tmp_path)
    before, _ = _content(home, keys)

    def huge_page() -> Iterator[bytes]:
        yield b'{"resourceType": "Bundle", "type": "history", "entry": ['
        entry = json.dumps({"resource": observation("o1", "p1"), "request": {"method": "PUT", "url": "x"}})
        for _ in range(200_000):  # ~60 MB, over the 32 MB default
            yield (entry + ",").encode()
        yield b"{}]}"

    server.route("/fhir/_history", streamed(huge_page, "application/fhir+json"))
    run = run_sync(home)
    _report("history page of 60 MB", run)
    assert run.returncode == 9
    assert "is larger than the limit of 32.0 MB (max_page_mb" in run.stderr
    assert _content(home, keys)[0] == before  # (the history run stays staged: a larger limit resumes it)


def test_a_manifest_whose_output_is_a_number_is_named(
    server: FaultServer, tmp_path: Path, keys: KeyStore
) -> None:
    serve_practice(server)
    server.route("/fhir/status/1", respond_json(200, {**manifest(server.url, {}), "output": 7}))
    home = tmp_path / "home"
    run = run_sync(home, "--server", server.url + "/fhir", *QUICK)
    _report("manifest output a number", run)
    assert run.returncode == 9
    assert run.stderr == (
        "cockpit: The server sent something that is not a FHIR bulk export manifest (output is not a list); "
        "the store was not changed: tell the server's administrator.\n"
    )
    assert _content(home, keys)[0]["patients"] == []


def test_resources_over_the_per_patient_limit_are_quarantined(server: FaultServer, tmp_path: Path) -> None:
    serve_practice(server)
    home = tmp_path / "home"
    run = run_sync(home, "--server", server.url + "/fhir", "--json", "--max-per-patient", "1", *QUICK)
    _report("per-patient limit", run)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert (summary["inserted"], summary["quarantined"]) == (4, 1)  # p2 has o2 and o3
    assert summary["quarantine_examples"][0]["reason"] == "its patient has more than the limit of 1 resources"
