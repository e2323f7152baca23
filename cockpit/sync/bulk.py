"""Bulk Data ``$export``: kick off (once per run: the status URL is saved), poll, stream each output file.

Each output file is a unit; its checkpoint is the number of lines staged, so a resumed run streams the file
again and skips what it already has. Gzip is undone whether the server uses Content-Encoding (httpx) or
serves ``.ndjson.gz`` files.
"""

import contextlib
import time
import zlib
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any, Final

from cockpit.errors import SyncError
from cockpit.fhir.limits import LineCap
from cockpit.fhir.mapping import KEPT_TYPES
from cockpit.sync.fetch import CHUNK_BYTES, SYNC_TYPES, Fetch, format_instant, parse_instant
from cockpit.sync.http import SyncStalledError
from cockpit.sync.packing import pack
from cockpit.sync.progress import DOWNLOADING, EXPORTING
from cockpit.sync.retry import parse_retry_after
from cockpit.sync.settings import SyncSettings
from cockpit.sync.shapes import NotFhirError, check_manifest, parse_object
from cockpit.sync.staging import RESOURCES, UnitState

DEFAULT_POLL_S: Final = 1.0
MAX_POLL_S: Final = 60.0
_GZIP_MAGIC: Final = b"\x1f\x8b"
_INFLATE_PIECE: Final = 1 << 20
_IN_FLIGHT: Final = 4  # chunks received and not yet staged, at most (about 16 MB)


class ExportGoneError(SyncError):
    """A resumed run's export job or output file is no longer on the server: the run starts over."""


def kickoff_url(settings: SyncSettings) -> str:
    if settings.export_level == "patient":
        return "Patient/$export"
    if settings.export_level == "group":
        return f"Group/{settings.group_id}/$export"
    return "$export"


Output = tuple[str, UnitState]  # an export file's URL and how far it was staged


def download_export(fetch: Fetch, settings: SyncSettings, status_url: str | None, *, resumed: bool) -> str:
    """Stage every output file of the run's export; returns the manifest's transactionTime."""
    watermark, outputs = prepare_export(fetch, settings, status_url, resumed=resumed)
    stage_outputs(fetch, outputs, resumed=resumed)
    return watermark


def prepare_export(
    fetch: Fetch, settings: SyncSettings, status_url: str | None, *, resumed: bool
) -> tuple[str, list[Output]]:
    """Kick the export off (or find the run's), wait for its manifest and register its files as units:
    the manifest's transactionTime (saved as the run's watermark) and the files in the order to fetch."""
    if status_url is None:
        status_url = _kick_off(fetch, settings)
        fetch.staging.remember(status_url=status_url)
    manifest = _wait_for_manifest(fetch, status_url, resumed=resumed)
    if manifest.get("error"):
        raise SyncError(
            "The server's bulk export reported errors for some of the data, so the store was not changed: "
            "try again later; if it persists, tell the server's administrator."
        )
    watermark = _transaction_time(manifest)
    fetch.staging.remember(new_watermark=watermark)
    outputs = [
        (str(o["url"]), str(o.get("type", "")))
        for o in manifest.get("output") or []
        if isinstance(o, dict) and isinstance(o.get("url"), str) and o.get("type", "") in KEPT_TYPES
    ]
    outputs.sort(key=lambda output: SYNC_TYPES.index(output[1]) if output[1] in SYNC_TYPES else 99)
    fetch.staging.add_units([url for url, _ in outputs])
    units = fetch.staging.units()
    return watermark, [(url, units[url]) for url, _ in outputs]


def stage_outputs(fetch: Fetch, outputs: list[Output], *, resumed: bool) -> None:
    """Stream the export files into staged chunks, each from where it was left."""
    fetch.reporter.units_total = len(outputs)
    fetch.reporter.units_done = sum(1 for _, state in outputs if state.done)
    with _Stager(fetch) as stager:  # one for all files: the next file is fetched while a file's end is staged
        for url, state in outputs:
            if not state.done:
                _stream_file(fetch, stager, url, skip=state.lines, resumed=resumed)
                fetch.reporter.units_done += 1


def _kick_off(fetch: Fetch, settings: SyncSettings) -> str:
    fetch.reporter.report(EXPORTING, "starting", force=True)
    response = fetch.http.get(
        kickoff_url(settings),
        params={"_type": ",".join(SYNC_TYPES)},
        headers={"Prefer": "respond-async", "Accept": "application/fhir+json"},
    )
    location = response.headers.get("Content-Location")
    if response.status_code != 202 or not location:
        raise SyncError(
            f"The server did not start a bulk export (HTTP {response.status_code}, no status URL): set the "
            "sync method to 'search' in the sync settings, or tell the server's administrator."
        )
    return str(location)


def _wait_for_manifest(fetch: Fetch, status_url: str, *, resumed: bool) -> dict[str, Any]:
    started = time.monotonic()
    while True:
        try:
            response = fetch.http.get(status_url, headers={"Accept": "application/json"})
        except SyncError as exc:
            if resumed and type(exc) is SyncError:  # 404/410: the job expired while we were away
                raise ExportGoneError(str(exc)) from None
            raise
        if response.status_code == 200:
            manifest = parse_object(response.content, "bulk export manifest")
            check_manifest(manifest)
            if fetch.mapper is not None:
                fetch.mapper.start()  # ready at once: the worker may still help the apply
            return manifest
        if response.status_code != 202:
            raise NotFhirError("bulk export status", f"HTTP {response.status_code} where 200 or 202 belongs")
        if time.monotonic() - started > fetch.export_wait_s:
            raise SyncStalledError(
                f"its bulk export was not ready within {fetch.export_wait_s / 60:g} minutes, "
                "export_wait_minutes"
            )
        wait = parse_retry_after(response.headers.get("Retry-After"), time.time(), maximum=MAX_POLL_S)
        detail = response.headers.get("X-Progress", "")[:60]
        fetch.wait(DEFAULT_POLL_S if wait is None else wait, EXPORTING, detail)
        if fetch.mapper is not None:
            # The export takes a while yet: start the mapping worker, not before (a server on this
            # computer prepares the export first thing, and spawning a process takes a core for a moment).
            fetch.mapper.start()


def _transaction_time(manifest: dict[str, Any]) -> str:
    stamp = manifest.get("transactionTime")
    moment = parse_instant(stamp) if isinstance(stamp, str) else None
    if moment is None:
        raise SyncError(
            "The server's bulk export manifest has no valid transactionTime, so later syncs could not "
            "continue from it: tell the server's administrator."
        )
    return format_instant(moment)


def _stream_file(fetch: Fetch, stager: "_Stager", url: str, *, skip: int, resumed: bool) -> None:
    """Stream one NDJSON output file into staged chunks, skipping the ``skip`` lines staged before."""
    with contextlib.ExitStack() as stack:
        try:
            response = stack.enter_context(
                fetch.http.stream(url, headers={"Accept": "application/fhir+ndjson"})
            )
        except SyncError as exc:
            if resumed and type(exc) is SyncError:  # 404/410: the file expired while we were away
                raise ExportGoneError(str(exc)) from None
            raise
        _stage_body(fetch, stager, url, fetch.http.body(response), skip)


def _stage_body(fetch: Fetch, stager: "_Stager", url: str, blocks: Iterator[bytes], skip: int) -> None:
    reporter = fetch.reporter
    line_no, to_skip = skip, skip
    pending = bytearray()
    inflate: Any = None
    cap = LineCap(fetch.limits.max_line_bytes)  # a line over the limit: its marker instead, never whole
    start: bytes | None = b""  # the first bytes, until there are enough to tell a .ndjson.gz file
    for received in blocks:
        reporter.bytes += len(received)
        if start is not None:
            start += received
            if len(start) < len(_GZIP_MAGIC):
                continue
            if start.startswith(_GZIP_MAGIC):
                inflate = zlib.decompressobj(wbits=31)  # a .ndjson.gz file, not Content-Encoding
            block, start = start, None
        else:
            block = received
        for piece in _inflated(inflate, block) if inflate is not None else (block,):
            data = cap.feed(piece)
            if to_skip:
                data, to_skip = _skip_lines(data, to_skip)
            pending += data
            if len(pending) >= CHUNK_BYTES:
                cut = pending.rfind(b"\n") + 1
                if cut:
                    with memoryview(pending) as view:  # one copy of the chunk, not two
                        chunk = bytes(view[:cut])
                    line_no += stager.stage(url, chunk, line_no, done=False)
                    del pending[:cut]
        reporter.report(DOWNLOADING)
    if start:  # a body shorter than the gzip magic
        pending += cap.feed(start)
    if inflate is not None:
        pending += cap.feed(inflate.flush())
    last = cap.finish()
    if last:
        if to_skip:
            last, to_skip = _skip_lines(last + b"\n", to_skip)
        pending += last
    if pending and not pending.endswith(b"\n"):
        pending += b"\n"  # the last line without its newline: whole, since the stream ended normally
    stager.stage(url, bytes(pending), line_no, done=True)
    reporter.report(DOWNLOADING, force=True)


def _inflated(inflate: Any, block: bytes) -> Iterator[bytes]:
    """A gzip block's data in pieces of at most a MB: a small block can inflate to a thousand times its
    size (a 'zip bomb'), and only the line cap after this bounds what is held."""
    data = inflate.decompress(block, _INFLATE_PIECE)
    yield data
    while inflate.unconsumed_tail:
        yield inflate.decompress(inflate.unconsumed_tail, _INFLATE_PIECE)


class _Stager:
    """Stages the files' chunks in order while the next ones are received: each chunk is compressed on
    one of two threads and committed (with its unit's checkpoint, in download order) on a third, so that
    staging keeps up with the server instead of adding to the wait (zstd and SQLite let go of the GIL).
    At most ``_IN_FLIGHT`` chunks wait at a time. Leaving the block waits for the last chunk; an error of
    a chunk is raised at a later chunk or there."""

    def __init__(self, fetch: Fetch) -> None:
        self.fetch = fetch
        self.packer = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sync-pack")
        self.committer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-stage")
        self.in_flight: deque[Future[None]] = deque()
        self.failed = False

    def __enter__(self) -> "_Stager":
        return self

    def stage(self, url: str, payload: bytes, first_line: int, *, done: bool) -> int:
        lines = payload.count(b"\n")
        while self.in_flight and (self.in_flight[0].done() or len(self.in_flight) >= _IN_FLIGHT):
            self.in_flight.popleft().result()  # raises a chunk's error
        if self.fetch.mapper is not None:  # first: an apply running meanwhile claims it once committed
            self.fetch.mapper.staged(url, RESOURCES, payload, first_line=first_line, lines=lines)
        packed = self.packer.submit(pack, payload) if lines else None
        commit = self.committer.submit(
            self._commit, url, payload, packed=packed, lines=lines, first_line=first_line, done=done
        )
        self.in_flight.append(commit)
        self.fetch.reporter.resources += lines
        return lines

    def _commit(
        self,
        url: str,
        payload: bytes,
        *,
        packed: Future[bytes] | None,
        lines: int,
        first_line: int,
        done: bool,
    ) -> None:
        if self.failed:
            return  # after a failed chunk nothing more is staged: the checkpoints must have no gap
        try:
            self.fetch.staging.stage(
                url,
                kind=RESOURCES,
                payload=payload,
                lines=lines,
                first_line=first_line,
                cursor=None,
                done=done,
                compressed=None if packed is None else packed.result(),
            )
        except BaseException:
            self.failed = True
            raise

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None:
                while self.in_flight:
                    self.in_flight.popleft().result()
            else:
                wait(self.in_flight)  # already failing: the chunks in flight only have to end
        finally:
            self.committer.shutdown(wait=True, cancel_futures=kind is not None)
            self.packer.shutdown(wait=True)


def _skip_lines(data: bytes, count: int) -> tuple[bytes, int]:
    """Drop the first ``count`` lines of ``data``; returns the rest and how many lines are left to drop."""
    position = 0
    while count:
        found = data.find(b"\n", position)
        if found < 0:
            return b"", count
        position = found + 1
        count -= 1
    return data[position:], 0
