"""Parsing, mapping and hashing of staged NDJSON chunks, for the apply; on a second core when a run is big.

``map_chunk`` turns one chunk into events: a prepared resource (the importer's mapping and content hash),
a quarantined one (with its reason), a skipped one (a type the store does not keep) or a deletion. It is a
pure function of the chunk, so it gives the same answer wherever it runs.

``ChunkMapper`` runs it on a worker process (see ``_worker_context`` for how it is started)
while the server prepares its export, and fed each chunk the moment it is staged, so that most of the
mapping is done by the time the download is staged and the apply transaction begins; the main process
meanwhile only writes. Only plain data crosses the pipe (the chunk's bytes one way, the prepared rows
back); nothing is written to a file. If the worker is not there in time, or dies, the chunk is mapped in
the main process instead: the result is the same either way.
"""

import contextlib
import gc
import logging
import marshal
import multiprocessing
import multiprocessing.connection
import multiprocessing.context
import multiprocessing.process
import os
import pickle
import queue
import signal
import sys
import threading
import time
from collections import deque
from datetime import date
from multiprocessing.connection import Connection
from typing import Any, Final, NamedTuple

import orjson

from cockpit.fhir.limits import (
    DEFAULT_LIMITS,
    MARKER_KEY,
    Limits,
    OverLimitError,
    marker_raw,
    marker_reason,
    quarantine_head,
)
from cockpit.fhir.prepare import Prepared, prepare
from cockpit.fhir.types import ResourceDoesNotFit, SourceLocation
from cockpit.sync.packing import unpack

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

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
    compressed: bool  # packed, as staged: the worker unpacks it, so the pipe carries a twentieth of the bytes
    where: str
    first_line: int
    deleted: bool  # a chunk of deletion events, not resources
    history: bool  # stamps are wanted (a history run keeps only the newest event per resource)
    today: date
    source: str
    text_dates: bool  # see prepare.prepare
    limits: Limits = DEFAULT_LIMITS


class ChunkResult(NamedTuple):
    prepared: list[Prepared]  # outside a history run: the prepared resources, in order (no event each)
    events: list[Event]  # the rest (in a history run: everything, in order)
    resources: int
    malformed_line: int | None  # the first line that is not a FHIR resource (events stop before it)


def map_chunk(job: ChunkJob) -> ChunkResult:
    """The events of one chunk, in order (a pure function: runs on the worker or in-process)."""
    payload = unpack(job.payload) if job.compressed else job.payload
    events: list[Event] = []
    append = events.append
    # Outside a history run the order of prepared resources against the other events does not matter
    # (deletions are applied at the end, quarantine and skips only count): they travel as they are.
    prepared_list: list[Prepared] = []
    keep = prepared_list.append
    loads, decode_error = orjson.loads, orjson.JSONDecodeError
    where, deleted, history, today, source = job.where, job.deleted, job.history, job.today, job.source
    text_dates, limits = job.text_dates, job.limits
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
        if MARKER_KEY in resource:  # a line over a limit, or a malformed history entry: quarantined
            reason = marker_reason(resource) or ""
            append(
                (
                    QUARANTINED,
                    resource_type,
                    key_id,
                    "",
                    (where, number, resource_id, marker_raw(resource), reason),
                )
            )
            continue
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
                limits=limits,
            )
        except ResourceDoesNotFit as problem:
            kept = quarantine_head(line) if isinstance(problem, OverLimitError) else line
            quarantined = (where, number, resource_id, kept, problem.reason)
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


def _worker_context() -> "multiprocessing.context.SpawnContext | multiprocessing.context.ForkServerContext":
    """How workers start: forked from multiprocessing's fork server, which is started once per process
    (never forked from this one: the window runs Qt threads) and imports the mapping once, so a sync
    in the window does not pay an interpreter start and its imports (~0.5 s of a core, while a server on
    the same computer may be preparing its export) every time. A frozen app spawns each worker."""
    if getattr(sys, "frozen", False) or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["cockpit.sync.mapper"])
    return context


READY: Final = b"ready"  # the worker's first message: it has imported the mapping
_MARSHALLED, _PICKLED = b"m", b"p"  # how a result is packed (its first byte)
_BACKLOG: Final = 3  # parts sent to the worker and not yet mapped, at most (the rest may still be stolen)


def _serve(jobs: Connection, results: Connection) -> None:
    """The worker process: map each job as it comes and send its result back, until the jobs end.

    The worker makes only acyclic data and lives for one sync: the cyclic collector would scan its growing
    heap for nothing (as in the importer). Results go out on a thread of their own, so the next job is
    mapped while the main process is still reading the last result. If the main process dies (``kill
    -9``, a crash), the worker ends too."""
    gc.disable()
    # Ctrl+C reaches every process of the terminal's group, this one too: the main process decides what an
    # interrupt means and closes the jobs (or dies, and then this one ends as well), so nothing is printed
    # here, ever (a KeyboardInterrupt in the middle of a job printed its traceback).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()
    outgoing: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    sender = threading.Thread(target=_send_all, args=(results, outgoing), daemon=True)
    sender.start()
    outgoing.put(READY)
    try:
        while True:
            try:
                index, job = pickle.loads(jobs.recv_bytes())
            except (EOFError, OSError):
                break  # the main process closed the jobs: the sync is over
            try:
                result: ChunkResult | None = map_chunk(job)
            except Exception:  # the main process maps it again and meets the error itself
                result = None
            outgoing.put(_packed_result(index, result))
    finally:
        outgoing.put(None)
        sender.join()


def _packed_result(index: int, result: ChunkResult | None) -> bytes:
    """A result as it crosses the pipe: marshal, three times as fast as pickle both ways for the plain
    tuples of strings and numbers a clinical part maps to; pickle for what marshal cannot carry (a
    patient's row holds dates)."""
    try:
        return _MARSHALLED + marshal.dumps((index, None if result is None else tuple(result)))
    except ValueError:
        return _PICKLED + pickle.dumps((index, result), protocol=pickle.HIGHEST_PROTOCOL)


def _unpacked_result(message: bytes) -> tuple[int, ChunkResult | None]:
    with memoryview(message) as view:
        if message[:1] == _PICKLED:
            index, result = pickle.loads(view[1:])
            return index, result
        index, fields = marshal.loads(view[1:])
    return index, None if fields is None else ChunkResult._make(fields)


def _widen(pipe: Connection) -> None:
    """Room for a part in the pipe (Linux: 64 KB by default, 1 MB at most unprivileged): a part then
    crosses in a write and a read or two, not sixteen of each, and the reading side of the main process
    does not wait for its GIL sixteen times per result. Elsewhere, or if refused, the pipe stays as it is."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if set_size is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(pipe.fileno(), set_size, 1 << 20)


def _send_all(results: Connection, outgoing: "queue.SimpleQueue[bytes | None]") -> None:
    while (message := outgoing.get()) is not None:
        try:
            results.send_bytes(message)
        except OSError:
            return  # the main process is gone


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


# Where a part is: waiting here to be sent (it may still be stolen), on the worker, or mapped.
_WAITING, _SENT, _MAPPED = 0, 1, 2


class Part:
    """One job: mapped on the worker or, taken back before it was sent, here."""

    __slots__ = ("index", "job", "result", "state")

    def __init__(self, index: int, job: ChunkJob) -> None:
        self.index = index
        self.job = job
        self.result: ChunkResult | None = None
        self.state = _WAITING


class ChunkMapper:
    """Maps a run's chunks on a worker process, started early; see the module's docstring.

    Jobs are parts of a chunk (about ``PART_BYTES``), so the first results come back soon. They go to the
    worker over one pipe, at most ``_BACKLOG`` ahead of its mapping, sent by a thread of this process;
    another thread reads the results as they come. A part not yet sent can be taken back: while the main
    process waits for a result it maps the newest unsent part itself if that ends the mapping sooner
    (work stealing from the back of the queue), so both cores map until the work runs out.
    """

    def __init__(
        self, *, today: date, source: str, text_dates: bool, limits: Limits = DEFAULT_LIMITS
    ) -> None:
        self.today = today
        self.source = source
        self.text_dates = text_dates
        self.limits = limits
        self._process: multiprocessing.process.BaseProcess | None = None
        self._launched = False
        self._changed = threading.Condition()  # guards the parts' states and the queues below
        self._up = False  # the worker has imported the mapping
        self._gone = False  # the worker died, or this mapper was closed
        self._waiting: deque[Part] = deque()  # not sent yet, oldest first
        self._sent: dict[int, Part] = {}
        self._next_index = 0
        self._unreturned = 0  # parts queued and not yet returned by ``result`` (so not yet written)
        self._early: dict[ChunkKey, list[Part]] = {}
        self._early_bytes = 0
        # Seconds per part: writing it (the main process) and mapping it (here); estimates, then measured.
        self._write_s = 0.006
        self._map_s = 0.02
        self._returned_at: float | None = None

    def start(self) -> None:
        """Start the worker process now, on a thread of its own: the first one of this process also
        starts the fork server, which imports the mapping first (the caller may be polling a server)."""
        if self._launched or self._gone:
            return
        self._launched = True
        threading.Thread(target=self._launch, name="sync-map-start", daemon=True).start()

    def _launch(self) -> None:
        context = _worker_context()
        try:
            job_reader, job_writer = context.Pipe(duplex=False)
            result_reader, result_writer = context.Pipe(duplex=False)
            _widen(job_writer)
            _widen(result_writer)
            process = context.Process(
                target=_serve, args=(job_reader, result_writer), name="cockpit-sync-mapper", daemon=True
            )
            process.start()
        except (OSError, RuntimeError):  # no processes to be had: everything is mapped here
            log.warning("could not start the sync's mapping process; mapping in this one")
            self._lost()
            return
        job_reader.close()  # the worker's ends: closed here, so either side sees the other one go
        result_writer.close()
        with self._changed:
            closed = self._gone
            if not closed:
                self._process = process
        if closed:  # closed while it started
            job_writer.close()
            result_reader.close()
            process.kill()
            process.join()
            return
        threading.Thread(
            target=self._send_jobs, args=(job_writer,), name="sync-map-send", daemon=True
        ).start()
        threading.Thread(
            target=self._read_results, args=(result_reader,), name="sync-map-read", daemon=True
        ).start()

    @property
    def ready(self) -> bool:
        """The worker is up and has imported the mapping."""
        return self._up and not self._gone

    def staged(
        self, unit: str, kind: str, payload: bytes, *, first_line: int, lines: int, deleted: bool = False
    ) -> None:
        """A chunk this run just staged (as ``payload``, uncompressed): map it now if the worker is up,
        so the apply finds it done. (Up to ``EARLY_BYTES``: the results wait in memory for the apply.)"""
        if not lines or not self.ready or self._early_bytes + len(payload) > EARLY_BYTES:
            return
        where = unit_label(unit)
        jobs = []
        start, line = 0, first_line
        size = len(payload) // max(1, round(len(payload) / PART_BYTES))  # even parts: no sliver at the end
        while start < len(payload):
            cut = payload.find(b"\n", start + size) + 1 or len(payload)
            piece = payload[start:cut] if start or cut < len(payload) else payload
            jobs.append(
                ChunkJob(
                    piece,
                    False,
                    where,
                    line,
                    deleted,
                    False,
                    self.today,
                    self.source,
                    self.text_dates,
                    self.limits,
                )
            )
            line += piece.count(b"\n")
            start = cut
        self._early[unit, kind, first_line, lines] = self._queue(jobs)
        self._early_bytes += len(payload)

    def submit(self, job: ChunkJob) -> list[Part]:
        """Map ``job``: on the worker if it is up, else here (when its result is asked for)."""
        return self._queue([job])

    def _queue(self, jobs: list[ChunkJob]) -> list[Part]:
        parts = []
        with self._changed:
            for job in jobs:
                part = Part(self._next_index, job)
                self._next_index += 1
                parts.append(part)
                self._unreturned += 1
                if self.ready:
                    self._waiting.append(part)
            self._changed.notify_all()
        return parts

    def claim(self, key: ChunkKey) -> list[Part] | None:
        """The early mapping of a staged chunk, if this run submitted one."""
        return self._early.pop(key, None)

    def result(self, part: Part) -> ChunkResult:
        """The part's result (parts are asked for in the order they were submitted). While the worker has
        not sent it, the main process may map the newest unsent part (see ``_should_steal``)."""
        now = time.perf_counter()
        if self._returned_at is not None:  # what the main process did with the previous part: writing it
            self._write_s += (now - self._returned_at - self._write_s) / 4
        while (result := self._mapped_or_here(part)) is None:
            pass
        self._unreturned -= 1
        self._returned_at = time.perf_counter()
        return result

    def _mapped_or_here(self, part: Part) -> ChunkResult | None:
        """The part's result if it is there; else map it or a stolen part here, or wait for the worker
        (None: ask again)."""
        with self._changed:
            if part.result is not None:
                return part.result
            if part.state == _WAITING or (part.state == _SENT and self._gone):
                if part.state == _WAITING and part in self._waiting:
                    self._waiting.remove(part)
                here = part  # the worker has not got it (or is gone): mapped here, now
            elif self._waiting and self._should_steal():
                here = self._waiting.pop()
            else:
                self._changed.wait()
                return None
            here.state = _MAPPED
        started = time.perf_counter()
        here.result = map_chunk(here.job)
        self._map_s += (time.perf_counter() - started - self._map_s) / 4
        return None

    def _should_steal(self) -> bool:
        """Whether mapping the newest unsent part here ends the mapping sooner: the main process has to
        write every part anyway, so it maps one only while the worker's backlog takes longer than the
        main process's own (estimated from how long a part takes to write and to map here)."""
        unmapped = len(self._waiting) + sum(1 for p in self._sent.values() if p.result is None)
        return unmapped * self._map_s > self._unreturned * self._write_s + self._map_s

    def _send_jobs(self, jobs: Connection) -> None:
        """The sender thread: keeps up to ``_BACKLOG`` parts on the worker. It alone closes the jobs' end
        of the pipe (when the mapper is closed or the worker is gone), so no send is cut off mid-way."""
        with jobs:
            while True:
                with self._changed:
                    while not self._gone and (
                        not self._up or not self._waiting or len(self._sent) >= _BACKLOG
                    ):
                        self._changed.wait()
                    if self._gone:
                        return
                    part = self._waiting.popleft()
                    part.state = _SENT
                    self._sent[part.index] = part
                try:
                    jobs.send_bytes(pickle.dumps((part.index, part.job), protocol=pickle.HIGHEST_PROTOCOL))
                except OSError:
                    self._lost()
                    return

    def _read_results(self, results: Connection) -> None:
        """The reader thread: takes the worker's results as they come (and notices when it dies)."""
        with results:
            while True:
                try:
                    message = results.recv_bytes()
                except (EOFError, OSError):
                    self._lost()
                    return
                if message == READY:
                    with self._changed:
                        self._up = True
                        self._changed.notify_all()
                    continue
                index, result = _unpacked_result(message)
                with self._changed:
                    part = self._sent.pop(index, None)
                    if part is not None and part.result is None and result is not None:
                        part.result = result
                    if part is not None and result is None:
                        part.state = _WAITING  # the worker failed on it: mapped here, where the error shows
                    self._changed.notify_all()

    def _lost(self) -> None:
        with self._changed:
            if not self._gone and self._process is not None:
                log.warning("the sync's mapping process stopped; mapping in this one")
            self._gone = True
            self._changed.notify_all()

    def forget(self) -> None:
        """The run was begun again: its earlier chunks are gone from the staging."""
        with self._changed:
            self._early.clear()
            self._early_bytes = 0
            self._waiting.clear()  # sent ones come back and are dropped with their parts
            self._unreturned = 0

    def close(self) -> None:
        self.forget()
        with self._changed:
            self._gone = True
            self._changed.notify_all()
            process, self._process = self._process, None
        if process is not None:  # (its pipes are closed by the threads that use them, once it is gone)
            process.kill()  # it holds nothing worth a clean exit, and tearing down its heap takes a while
            threading.Thread(target=process.join, name="sync-map-reap", daemon=True).start()
