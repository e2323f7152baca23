"""Parsing, mapping and hashing of staged NDJSON chunks, for the apply; on a second core when a run is big.

``map_chunk`` turns one chunk into events: a prepared resource (the importer's mapping and content hash),
a quarantined one (with its reason), a skipped one (a type the store does not keep) or a deletion. It is a
pure function of the chunk, so it gives the same answer wherever it runs.

``ChunkMapper`` runs it on a worker process: started (spawned, never forked: the window runs Qt threads)
while the server prepares its export, and fed each chunk the moment it is staged, so that most of the
mapping is done by the time the download is staged and the apply transaction begins; the main process
meanwhile only writes. Only plain data crosses the pipe (the chunk's bytes one way, the prepared rows
back); nothing is written to a file. If the worker is not there in time, or dies, the chunk is mapped in
the main process instead: the result is the same either way.
"""

import gc
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
import zlib
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from typing import Any, Final, NamedTuple

import orjson

from cockpit.fhir.prepare import Prepared, prepare
from cockpit.fhir.types import ResourceDoesNotFit, SourceLocation

log = logging.getLogger(__name__)

# Event kinds: (kind, resourceType, str(id), stamp, data)
PREPARED: Final = 0  # data: prepare.Prepared (without its bytes)
QUARANTINED: Final = 1  # data: (file, line, the id as sent, the bytes, reason)
SKIPPED: Final = 2  # data: None
DELETED: Final = 3  # data: None

Event = tuple[int, str, str, str, Any]
ChunkKey = tuple[str, str, int, int]  # unit, kind, first line, lines: one staged chunk of a run
PART_BYTES: Final = 1 << 20  # a job for the worker: about a twentieth of a second of mapping
EARLY_BYTES: Final = 64 << 20  # mapped while downloading, at most (the results wait in memory for the apply)


class ChunkJob(NamedTuple):
    payload: bytes
    compressed: bool  # zlib, as staged: the worker undoes it, so the pipe carries a tenth of the bytes
    where: str
    first_line: int
    deleted: bool  # a chunk of deletion events, not resources
    history: bool  # stamps are wanted (a history run keeps only the newest event per resource)
    today: date
    source: str
    text_dates: bool  # see prepare.prepare


class ChunkResult(NamedTuple):
    prepared: list[Prepared]  # outside a history run: the prepared resources, in order (no event each)
    events: list[Event]  # the rest (in a history run: everything, in order)
    resources: int
    malformed_line: int | None  # the first line that is not a FHIR resource (events stop before it)


def map_chunk(job: ChunkJob) -> ChunkResult:
    """The events of one chunk, in order (a pure function: runs on the worker or in-process)."""
    payload = zlib.decompress(job.payload) if job.compressed else job.payload
    events: list[Event] = []
    append = events.append
    # Outside a history run the order of prepared resources against the other events does not matter
    # (deletions are applied at the end, quarantine and skips only count): they travel as they are.
    prepared_list: list[Prepared] = []
    keep = prepared_list.append
    loads, decode_error = orjson.loads, orjson.JSONDecodeError
    where, deleted, history, today, source = job.where, job.deleted, job.history, job.today, job.source
    text_dates = job.text_dates
    count = 0
    for number, line in enumerate(payload.split(b"\n"), job.first_line + 1):
        if not line or line.isspace():
            continue
        try:
            resource = loads(line)
        except decode_error:
            resource = None
        if type(resource) is not dict or type(resource_type := resource.get("resourceType")) is not str:
            return ChunkResult(prepared_list, events, count, number)
        count += 1
        resource_id = resource.get("id")
        key_id = resource_id if type(resource_id) is str else str(resource_id)
        if deleted:
            append((DELETED, resource_type, key_id, str(resource.get("at")) if history else "", None))
            continue
        stamp = ""
        if history:
            meta = resource.get("meta")
            stamp = str(meta.get("lastUpdated", "")) if type(meta) is dict else ""
        try:
            prepared = prepare(
                resource,
                line,
                SourceLocation(where, number),
                today=today,
                source=source,
                keep_raw=False,
                text_dates=text_dates,
            )
        except ResourceDoesNotFit as problem:
            quarantined = (where, number, resource_id, line, problem.reason)
            append((QUARANTINED, resource_type, key_id, stamp, quarantined))
            continue
        if prepared is None:
            append((SKIPPED, resource_type, key_id, stamp, None))
        elif history:
            append((PREPARED, resource_type, key_id, stamp, prepared))
        else:
            keep(prepared)
    return ChunkResult(prepared_list, events, count, None)


def unit_label(unit: str) -> str:
    """A short name for quarantine and errors: the output file or the search, not the whole URL."""
    return unit.rsplit("/", 1)[-1] if unit.startswith("http") else unit


def _warm_up() -> None:
    """The worker's first job: by the time it returns, the worker has imported the mapping. The worker
    makes only acyclic data, and lives for one sync: the cyclic collector would scan its growing heap
    for nothing (as in the importer). If the main process dies (``kill -9``, a crash), the worker ends
    too: the executor's queues would keep it waiting for ever."""
    gc.disable()
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


class Part:
    """One job: mapped on the worker (``future``) or, taken back before the worker began it, here."""

    __slots__ = ("future", "job", "result")

    def __init__(self, job: ChunkJob, future: "Future[ChunkResult] | None") -> None:
        self.job = job
        self.future = future
        self.result: ChunkResult | None = None if future is not None else map_chunk(job)


class ChunkMapper:
    """Maps a run's chunks on a worker process, started early; see the module's docstring.

    Jobs are parts of a chunk (about ``PART_BYTES``), so the first results come back soon. While the
    main process waits for one, it maps the last job the worker has not begun yet itself (work stealing
    from the back of the queue): both cores map until the work runs out, whatever their speeds.
    """

    def __init__(self, *, today: date, source: str, text_dates: bool) -> None:
        self.today = today
        self.source = source
        self.text_dates = text_dates
        self._pool: ProcessPoolExecutor | None = None
        self._warm: Future[None] | None = None
        self._early: dict[ChunkKey, list[Part]] = {}
        self._early_bytes = 0
        self._queued: deque[Part] = deque()  # on the worker and not yet taken, oldest first
        # Seconds per part: writing it (the main process) and mapping it (here); estimates, then measured.
        self._write_s = 0.012
        self._map_s = 0.025
        self._returned_at: float | None = None

    def start(self) -> None:
        """Start the worker process now (a new interpreter takes a moment to import the mapping)."""
        if self._pool is not None:
            return
        try:
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            self._warm = self._pool.submit(_warm_up)
        except (OSError, RuntimeError):  # no processes to be had: everything is mapped here
            log.warning("could not start the sync's mapping process; mapping in this one")
            self._pool = None

    @property
    def ready(self) -> bool:
        """The worker is up and has imported the mapping."""
        warm = self._warm
        return warm is not None and warm.done() and not warm.cancelled() and warm.exception() is None

    def staged(
        self, unit: str, kind: str, payload: bytes, *, first_line: int, lines: int, deleted: bool = False
    ) -> None:
        """A chunk this run just staged (as ``payload``, uncompressed): map it now if the worker is up,
        so the apply finds it done. (Up to ``EARLY_BYTES``: the results wait in memory for the apply.)"""
        if not lines or not self.ready or self._early_bytes + len(payload) > EARLY_BYTES:
            return
        where = unit_label(unit)
        parts = []
        start, line = 0, first_line
        while start < len(payload):
            cut = payload.find(b"\n", start + PART_BYTES) + 1 or len(payload)
            piece = payload[start:cut] if start or cut < len(payload) else payload
            job = ChunkJob(
                piece, False, where, line, deleted, False, self.today, self.source, self.text_dates
            )
            part = self._submit(job)
            if part is None:
                return
            parts.append(part)
            line += piece.count(b"\n")
            start = cut
        self._early[unit, kind, first_line, lines] = parts
        self._early_bytes += len(payload)

    def submit(self, job: ChunkJob) -> list[Part]:
        """Map ``job``: on the worker if it is up, else here and now."""
        part = self._submit(job)
        return [part if part is not None else Part(job, None)]

    def _submit(self, job: ChunkJob) -> Part | None:
        if self._pool is None or not self.ready:
            return None
        try:
            future = self._pool.submit(map_chunk, job)
        except (BrokenProcessPool, RuntimeError):
            return None
        part = Part(job, future)
        self._queued.append(part)
        return part

    def claim(self, key: ChunkKey) -> list[Part] | None:
        """The early mapping of a staged chunk, if this run submitted one."""
        return self._early.pop(key, None)

    def result(self, part: Part) -> ChunkResult:
        """The part's result (parts are asked for in the order they were submitted). While the worker has
        not sent it, the main process may map the newest part the worker has not begun (see ``_steal``)."""
        now = time.perf_counter()
        if self._returned_at is not None:  # what the main process did with the previous part: writing it
            self._write_s += (now - self._returned_at - self._write_s) / 4
        while part.result is None:
            future = part.future
            assert future is not None
            if future.done() or not self._steal():
                part.result = _result_of(future, part.job)
        queued = self._queued
        while queued and queued[0].result is not None:
            queued.popleft()  # taken (in order), or mapped here
        self._returned_at = time.perf_counter()
        return part.result

    def _steal(self) -> bool:
        """Map the newest part the worker has not begun here, if that ends the mapping sooner: the main
        process has to write every part anyway, so it maps one only while the worker's backlog takes
        longer than the main process's own (estimated from how long a part takes to write here and to
        map here). False if it did not."""
        queued = self._queued
        unfinished = sum(
            1 for p in queued if p.result is None and p.future is not None and not p.future.done()
        )
        to_write = sum(1 for p in queued if p.result is None)  # and those mapped here are written too
        if unfinished * self._map_s <= to_write * self._write_s + self._map_s:
            return False
        while queued:
            last = queued[-1]
            if last.result is not None or last.future is None or last.future.done():
                queued.pop()  # done: taken when its turn comes (the future keeps it)
                continue
            if not last.future.cancel():
                return False  # the worker has it already, and every older one too
            queued.pop()
            started = time.perf_counter()
            last.result = map_chunk(last.job)
            self._map_s += (time.perf_counter() - started - self._map_s) / 4
            return True
        return False

    def forget(self) -> None:
        """The run was begun again: its earlier chunks are gone from the staging."""
        for parts in self._early.values():
            for part in parts:
                if part.future is not None:
                    part.future.cancel()
        self._early.clear()
        self._early_bytes = 0
        self._queued.clear()

    def close(self) -> None:
        self.forget()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _result_of(future: Future[ChunkResult], job: ChunkJob) -> ChunkResult:
    """The worker's result, or the job mapped here if the worker died."""
    try:
        return future.result()
    except BrokenProcessPool:
        log.warning("the sync's mapping process stopped; mapping in this one")
        return map_chunk(job)
