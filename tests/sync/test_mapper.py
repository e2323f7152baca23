"""Mapping staged chunks on the worker process: the same events as mapping them here, whoever maps which
part, also when the worker dies; malformed lines, quarantine, skips and deletions come out in order."""

import gzip
import itertools
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from typing import Any

import orjson
import pytest

from cockpit.sync import mapper as mapper_module
from cockpit.sync.mapper import (
    DELETED,
    PREPARED,
    QUARANTINED,
    SKIPPED,
    ChunkJob,
    ChunkMapper,
    ChunkResult,
    map_chunk,
)
from cockpit.sync.staging import DELETED as DELETED_KIND
from cockpit.sync.staging import RESOURCES
from tests.conftest import REPO, SYNTHEA

TODAY = date(2026, 11, 23)
SOURCE = "sync:http://127.0.0.1/fhir"
UNIT = "http://127.0.0.1/fhir/bulk-files/1/Observation.ndjson"


def _lines(name: str, count: int) -> list[bytes]:
    with gzip.open(SYNTHEA / f"{name}.ndjson.gz", "rb") as file:
        return [line.rstrip(b"\n") for line in itertools.islice(file, count)]


def _payload(lines: list[bytes]) -> bytes:
    return b"\n".join(lines) + b"\n"


def _job(payload: bytes, *, first_line: int = 0, text_dates: bool = False, deleted: bool = False) -> ChunkJob:
    return ChunkJob(
        payload, False, "Observation.ndjson", first_line, deleted, True, TODAY, SOURCE, text_dates
    )


def _as_text(value: Any) -> Any:
    if type(value) is datetime:
        return value.isoformat(" ")
    if type(value) is date:
        return value.isoformat()
    return value


def _ready(mapper: ChunkMapper) -> ChunkMapper:
    mapper.start()
    deadline = time.monotonic() + 60
    while not mapper.ready:
        assert time.monotonic() < deadline, "the mapping process did not start"
        time.sleep(0.01)
    return mapper


def _joined(results: list[ChunkResult]) -> tuple[list[Any], list[Any], int]:
    prepared = [item for result in results for item in result.prepared]
    events = [event for result in results for event in result.events]
    return prepared, events, sum(result.resources for result in results)


def test_events_in_order_with_quarantine_skip_and_line_numbers() -> None:
    observation = orjson.loads(_lines("Observation", 1)[0]) | {
        "meta": {"lastUpdated": "2026-11-20T10:00:00Z"}
    }
    no_code = {**observation, "id": "no-code", "code": {"text": "x"}}
    not_home_care = {"resourceType": "ServiceRequest", "id": "sr-1", "subject": {"reference": "Patient/p"}}
    lines = [
        orjson.dumps(observation),
        b"",
        orjson.dumps(no_code),
        orjson.dumps(not_home_care),
        orjson.dumps({"resourceType": "Basic", "id": "b-1"}),
    ]
    result = map_chunk(_job(_payload(lines), first_line=10))
    assert result.malformed_line is None
    assert result.resources == 4
    kinds = [(kind, resource_type, resource_id) for kind, resource_type, resource_id, _, _ in result.events]
    assert kinds == [
        (PREPARED, "Observation", observation["id"]),
        (QUARANTINED, "Observation", "no-code"),
        (SKIPPED, "ServiceRequest", "sr-1"),
        (SKIPPED, "Basic", "b-1"),
    ]
    prepared = result.events[0][4]
    assert prepared[6:] == ("Observation.ndjson", 11, None)  # where, line, no bytes (found again if needed)
    assert result.events[0][3] == "2026-11-20T10:00:00Z"  # the stamp of a history event
    file, line, sent_id, raw, reason = result.events[1][4]
    assert (file, line, sent_id, raw) == ("Observation.ndjson", 13, "no-code", lines[2])
    assert "Observation.code" in reason


def test_a_malformed_line_stops_the_chunk_there() -> None:
    lines = [*_lines("Observation", 2), b'{"no": "resourceType"}', *_lines("Observation", 1)]
    result = map_chunk(_job(_payload(lines), first_line=100))
    assert result.malformed_line == 103
    assert len(result.events) == 2


def test_deletions() -> None:
    payload = _payload(
        [orjson.dumps({"resourceType": "Condition", "id": "c-1", "at": "2026-11-23T00:00:00Z"})]
    )
    result = map_chunk(_job(payload, deleted=True))
    assert result.events == [(DELETED, "Condition", "c-1", "2026-11-23T00:00:00Z", None)]


def test_text_dates_are_what_the_sqlite_driver_writes() -> None:
    payload = _payload(_lines("Observation", 200) + _lines("Encounter", 50) + _lines("Condition", 50))
    objects, text = map_chunk(_job(payload)), map_chunk(_job(payload, text_dates=True))
    assert len(objects.events) == len(text.events) == 300
    for as_objects, as_text in zip(objects.events, text.events, strict=True):
        rows = as_objects[4][5]
        assert as_text[4][5] == tuple(tuple(_as_text(value) for value in row) for row in rows)


def test_the_worker_maps_parts_as_here_and_the_main_process_steals_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(mapper_module, "PART_BYTES", 20_000)  # many parts, so some are left to steal
    lines = _lines("Observation", 1500)
    payload = _payload(lines)
    expected = map_chunk(ChunkJob(payload, False, "Observation.ndjson", 7, False, False, TODAY, SOURCE, True))
    mapper = _ready(ChunkMapper(today=TODAY, source=SOURCE, text_dates=True))
    try:
        mapper.staged(UNIT, RESOURCES, payload, first_line=7, lines=len(lines))
        parts = mapper.claim((UNIT, RESOURCES, 7, len(lines)))
        assert parts is not None
        assert len(parts) > 10
        joined = _joined([mapper.result(part) for part in parts])
        assert joined == (expected.prepared, expected.events, expected.resources)
        assert len(expected.prepared) == 1500
        assert mapper.claim((UNIT, RESOURCES, 7, len(lines))) is None  # claimed once
    finally:
        mapper.close()


def test_results_cross_the_pipe_whole_marshalled_or_pickled_when_they_hold_dates() -> None:
    mapper = _ready(ChunkMapper(today=TODAY, source=SOURCE, text_dates=True))
    try:
        for name, packing in (("Observation", b"m"), ("Patient", b"p")):  # a patient's row: dates
            payload = _payload(_lines(name, 100))
            job = ChunkJob(payload, False, f"{name}.ndjson", 0, False, False, TODAY, SOURCE, True)
            expected = map_chunk(job)
            assert mapper_module._packed_result(1, expected)[:1] == packing
            (part,) = mapper.submit(job)
            deadline = time.monotonic() + 10
            while part.state == mapper_module._WAITING and time.monotonic() < deadline:
                time.sleep(0.001)  # until the worker has it: its result must come through the pipe
            assert part.state != mapper_module._WAITING
            assert _joined([mapper.result(part)]) == _joined([expected])
            assert len(expected.prepared) == 100
    finally:
        mapper.close()


def test_a_dead_worker_leaves_the_mapping_to_the_main_process() -> None:
    payload = _payload(_lines("Observation", 300))
    expected = map_chunk(_job(payload, text_dates=True))
    mapper = _ready(ChunkMapper(today=TODAY, source=SOURCE, text_dates=True))
    try:
        process = mapper._process  # the test kills it
        assert process is not None and process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
        job = ChunkJob(payload, False, "Observation.ndjson", 0, False, True, TODAY, SOURCE, True)
        results = [mapper.result(part) for part in mapper.submit(job)]
        assert _joined(results) == (expected.prepared, expected.events, expected.resources)
    finally:
        mapper.close()


def test_nothing_is_sent_before_the_worker_is_up_and_a_deletion_chunk_is_mapped_as_such() -> None:
    mapper = ChunkMapper(today=TODAY, source=SOURCE, text_dates=False)
    payload = _payload([orjson.dumps({"resourceType": "Patient", "id": "p-1", "at": "2026-11-23T00:00:00Z"})])
    mapper.staged("history", DELETED_KIND, payload, first_line=0, lines=1, deleted=True)  # not started
    assert mapper.claim(("history", DELETED_KIND, 0, 1)) is None
    _ready(mapper)
    try:
        mapper.staged("history", DELETED_KIND, payload, first_line=0, lines=1, deleted=True)
        parts = mapper.claim(("history", DELETED_KIND, 0, 1))
        assert parts is not None
        _, events, _ = _joined([mapper.result(part) for part in parts])
        assert events == [(DELETED, "Patient", "p-1", "", None)]  # early jobs are not history runs
    finally:
        mapper.close()


def test_the_worker_ends_when_the_main_process_is_killed() -> None:
    script = (
        "import sys, time\n"
        "from datetime import date\n"
        "from cockpit.sync.mapper import ChunkMapper\n"
        "mapper = ChunkMapper(today=date(2026, 11, 23), source='s', text_dates=True)\n"
        "mapper.start()\n"
        "while not mapper.ready:\n"
        "    time.sleep(0.01)\n"
        "print(mapper._process.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    main = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert main.stdout is not None
        worker = int(main.stdout.readline())
        main.kill()  # kill -9: no clean-up in the main process
        main.wait()
        deadline = time.monotonic() + 10
        while _alive(worker):
            assert time.monotonic() < deadline, "the mapping worker outlived its main process"
            time.sleep(0.05)
    finally:
        if main.poll() is None:
            main.kill()
            main.wait()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has ended (its parent reaps it)
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
