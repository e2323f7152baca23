"""A small FHIR server on the fault server of ``transport_fixtures`` (stdlib, 127.0.0.1) that a test makes
misbehave: it answers ``metadata``, a bulk ``$export`` (kick-off, status, manifest, NDJSON files), the
``Patient?_summary=count`` probe, paged searches and ``_history``, and each route can be replaced by a
fault. The data is a handful of hand-written resources, so every expectation can be checked by hand."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cockpit.sync.fetch import SYNC_TYPES
from tests.conftest import REPO
from tests.sync.transport_fixtures import Action, FaultHandler, FaultServer, respond, respond_json

NOW = "2026-12-01T10:00:00.000Z"
LOINC_HBA1C = {"coding": [{"system": "http://loinc.org", "code": "4548-4", "display": "HbA1c"}]}


def patient(pid: str, **fields: Any) -> dict[str, Any]:
    return {"resourceType": "Patient", "id": pid, "gender": "female", "birthDate": "1950-01-01", **fields}


def observation(oid: str, pid: str, value: float = 50.0) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "subject": {"reference": f"Patient/{pid}"},
        "code": LOINC_HBA1C,
        "valueQuantity": {"value": value, "unit": "mmol/mol"},
        "effectiveDateTime": "2025-01-01",
    }


PATIENTS = [patient("p1"), patient("p2")]
OBSERVATIONS = [observation("o1", "p1"), observation("o2", "p2"), observation("o3", "p2", 60.0)]


def ndjson(resources: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in resources)


def capabilities(*, export: bool = True, history: bool = True) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "rest": [
            {
                "mode": "server",
                "operation": [{"name": "export"}] if export else [],
                "interaction": [{"code": "history-system"}] if history else [],
            }
        ],
    }


def manifest(base: str, files: dict[str, str]) -> dict[str, Any]:
    return {
        "transactionTime": NOW,
        "request": f"{base}/fhir/$export",
        "requiresAccessToken": False,
        "output": [{"type": kind, "url": f"{base}{path}"} for kind, path in files.items()],
        "error": [],
    }


def bundle(entries: list[dict[str, Any]], *, kind: str = "history", next_url: str | None = None,
           total: int | None = None) -> dict[str, Any]:  # fmt: skip
    document: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": kind,
        "meta": {"lastUpdated": NOW},
        "entry": entries,
        "link": [{"relation": "next", "url": next_url}] if next_url else [],
    }
    if total is not None:
        document["total"] = total
    return document


def serve_practice(
    server: FaultServer,
    *,
    patients: list[dict[str, Any]] | None = None,
    observations: list[dict[str, Any]] | None = None,
    export: bool = True,
) -> None:
    """Routes of a well-behaved server with ``patients`` and ``observations`` (defaults: PATIENTS and
    OBSERVATIONS); a test then replaces the route it wants to fail."""
    base = server.url
    server.route("/fhir/metadata", respond_json(200, capabilities(export=export)))
    server.route("/fhir/$export", respond(202, headers={"Content-Location": f"{base}/fhir/status/1"}))
    files = {"Patient": "/files/Patient.ndjson", "Observation": "/files/Observation.ndjson"}
    server.route("/fhir/status/1", respond_json(200, manifest(base, files)))
    server.route("/files/Patient.ndjson", ndjson_file(ndjson(PATIENTS if patients is None else patients)))
    server.route(
        "/files/Observation.ndjson",
        ndjson_file(ndjson(OBSERVATIONS if observations is None else observations)),
    )
    for kind in SYNC_TYPES:
        server.route(f"/fhir/{kind}", respond_json(200, bundle([], kind="searchset", total=0)))
    server.route("/fhir/_history", respond_json(200, bundle([])))


def ndjson_file(body: bytes) -> Action:
    return respond(200, body, {"Content-Type": "application/fhir+ndjson"})


def streamed(blocks: Callable[[], Any], content_type: str = "application/fhir+ndjson") -> Action:
    """A body sent as it is made (chunked transfer), from an iterator of bytes: a body of any size
    without holding it in the test."""

    def act(handler: FaultHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        try:
            for block in blocks():
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
            handler.wfile.write(b"0\r\n\r\n")
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True

    return act


# A `cockpit sync` process, watched -----------------------------------------------------------------------


@dataclass
class Watched:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # the largest sum of the resident memory of the process and all of its descendants
    pid: int  # (and session id)


def _session_rss_kb(session: int) -> int:
    """The resident memory of every process in ``session`` (the sync, its fork server and worker)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            if int(fields[3]) != session:  # the session id, after state, ppid and pgrp
                continue
            with open(f"/proc/{entry.name}/status", "rb") as status:
                for line in status:
                    if line.startswith(b"VmRSS:"):
                        total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total


def session_processes(session: int, named: bytes = b"") -> int:
    """How many processes of ``session`` run (with ``named`` in their command line)."""
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    if int(stat.read().rsplit(b")", 1)[1].split()[3]) != session:
                        continue
                with open(f"/proc/{entry.name}/cmdline", "rb") as command:
                    count += named in command.read()
            except (OSError, IndexError, ValueError):
                continue
    return count


def mapping_worker_runs(session: int) -> bool:
    """The fork server and a worker forked from it (same command line) both run in ``session``."""
    return session_processes(session, b"multiprocessing.forkserver") >= 2


def run_sync(
    home: Path,
    *args: str,
    timeout: float = 120.0,
    during: Callable[[subprocess.Popen[str]], None] | None = None,
) -> Watched:
    """``cockpit sync ARGS``: see ``run_cockpit``."""
    return run_cockpit(home, "sync", *args, timeout=timeout, during=during)


def run_cockpit(
    home: Path,
    *args: str,
    timeout: float = 120.0,
    during: Callable[[subprocess.Popen[str]], None] | None = None,
) -> Watched:
    """``cockpit ARGS`` with ``COCKPIT_HOME=home`` in a session of its own (so that its process tree
    is its session, and a signal can go to its group as a terminal's Ctrl+C does), sampling the tree's
    memory every 20 ms; ``during`` is called on a thread once it runs (to signal it, say)."""
    env = {**os.environ, "COCKPIT_HOME": str(home)}
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "cockpit", *args],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _session_rss_kb(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    helper = threading.Thread(target=during, args=(process,), daemon=True) if during else None
    if helper is not None:
        helper.start()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        done.set()
        sampler.join()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if helper is not None:
            helper.join(5)
    return Watched(process.returncode, stdout, stderr, time.monotonic() - started, peak / 1024, process.pid)
