"""Interrupting `cockpit sync` (Ctrl+C to the terminal's process group, or SIGTERM to the process) while it
downloads and maps ends it with one line, exit 130 and no traceback from any process, the mapping worker
included; the store is unchanged, the staged run waits, and the next sync continues it."""

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.sync.content import staged_rows, store_content
from tests.sync.misbehaving import (
    OBSERVATIONS,
    mapping_worker_runs,
    ndjson,
    observation,
    run_sync,
    serve_practice,
    session_processes,
    streamed,
)
from tests.sync.transport_fixtures import FaultServer, serve

INTERRUPTED = (
    "cockpit: interrupted; nothing was changed. What was downloaded is kept: the next sync continues from "
    "there.\n"
)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    yield from serve()


def _slowly() -> Iterator[bytes]:
    """Observations, 50 a second, for up to a minute."""
    for number in range(3000):
        yield ndjson([observation(f"slow{number}", "p1")])
        time.sleep(0.02)


def _signal_once_mapping(how: str) -> Any:
    def send(process: subprocess.Popen[str]) -> None:
        deadline = time.monotonic() + 30
        # the mapping worker (started once the export is seen; not just any child: finding the keyring
        # runs gcc at start-up)
        while not mapping_worker_runs(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # well into the trickling download, the apply's transaction open
        if how == "ctrl-c":
            os_killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM)

    return send


def os_killpg(pgid: int, signum: int) -> None:
    import os  # noqa: PLC0415

    os.killpg(pgid, signum)


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupt_ends_the_sync_quietly_and_the_next_one_continues(
    server: FaultServer, tmp_path: Path, make_store: Any, how: str
) -> None:
    serve_practice(server)
    server.route("/files/Observation.ndjson", streamed(_slowly))
    home = tmp_path / "home"

    stopped = run_sync(home, "--server", server.url + "/fhir", during=_signal_once_mapping(how))

    assert (stopped.returncode, stopped.stderr) == (130, INTERRUPTED), stopped.stderr
    assert stopped.stdout == ""
    deadline = time.monotonic() + 10
    while session_processes(stopped.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert session_processes(stopped.pid) == 0  # the worker and the fork server ended with it
    store = make_store("home")
    assert store_content(store)["patients"] == []
    assert staged_rows(store, "sync_runs") == 1
    store.close()

    serve_practice(server)
    done = run_sync(home, "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["resumed"], summary["inserted"]) == (True, 2 + len(OBSERVATIONS))
