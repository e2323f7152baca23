"""What every server download shares: the HTTP client, the staging, progress, and reading server time."""

import email.utils
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

import httpx
import orjson

from cockpit.errors import SyncError
from cockpit.fhir.limits import DEFAULT_LIMITS, Limits
from cockpit.fhir.mapping import KEPT_TYPES
from cockpit.sync.http import FhirHttp
from cockpit.sync.mapper import ChunkMapper
from cockpit.sync.progress import Reporter
from cockpit.sync.shapes import check_bundle, parse_object
from cockpit.sync.staging import RESOURCES, Staging

# The types the store keeps, in the order a full sync fetches them (Patients first).
SYNC_TYPES: Final = ("Patient", *sorted(KEPT_TYPES - {"Patient"}))
PAGE_SIZE: Final = 1000  # the largest _count sekmet (and many servers) allow
# Pages of one search (or the history) at most, whatever the server says: at 1,000 a page, 100 million
# resources. Where the first page gives ``total``, the cap is what that total needs (see PageGuard).
MAX_PAGES: Final = 100_000
# A staged chunk: big enough that its commit costs little, small enough that an export applied while it
# downloads has little left to map after the last byte (and a resumed run little to fetch again).
CHUNK_BYTES: Final = 1 << 20


@dataclass(slots=True)
class Fetch:
    http: FhirHttp
    staging: Staging
    reporter: Reporter
    sleep: Any = time.sleep
    # type/id already staged in this process (offset paging repeats items when data shifts)
    seen: set[bytes] = field(default_factory=set)
    # maps each chunk as it is staged, on its worker process (a full run), for the apply
    mapper: ChunkMapper | None = None
    max_pages: int = MAX_PAGES  # of one search or history (PageGuard)
    limits: Limits = DEFAULT_LIMITS  # on one resource (a line over max_line_bytes is never held whole)
    export_wait_s: float = 3 * 3600.0  # how long a bulk export may take to be ready

    def wait(self, seconds: float, phase: str, detail: str = "") -> None:
        """Sleep in short slices, so a cancel is noticed within a fraction of a second."""
        left = seconds
        while True:
            self.reporter.report(phase, detail)
            self.http.check_deadline("the wait for the server")
            if left <= 0:
                return
            step = min(left, 0.1)
            self.sleep(step)
            left -= step


def server_time(response: httpx.Response) -> str:
    """The server's "now" from a response: Bundle.meta.lastUpdated (millisecond precision) if the body is
    a Bundle that has it, else the HTTP Date header; never the local clock."""
    try:
        body = orjson.loads(response.content)
        stamp = body.get("meta", {}).get("lastUpdated") if isinstance(body, dict) else None
    except (orjson.JSONDecodeError, AttributeError):
        stamp = None
    if isinstance(stamp, str):
        parsed = parse_instant(stamp)
        if parsed is not None:
            return format_instant(parsed)
    date_header = response.headers.get("Date")
    if date_header:
        try:
            return format_instant(email.utils.parsedate_to_datetime(date_header))
        except (TypeError, ValueError):
            pass
    raise SyncError(
        "The FHIR server sends neither a Date header nor Bundle.meta.lastUpdated, so an incremental sync "
        "cannot know where to continue: tell the server's administrator."
    )


def parse_instant(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def format_instant(moment: datetime) -> str:
    """UTC with milliseconds and Z: the form servers store, so even a server comparing text (sekmet does)
    compares it right."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def bundle_of(response: httpx.Response, what: str) -> dict[str, Any]:
    """The Bundle a search, ``$everything`` or ``_history`` answered, its shape checked (``shapes``)."""
    bundle = parse_object(response.content, f"Bundle (the answer to {what})")
    check_bundle(bundle, f"Bundle (the answer to {what})")
    return bundle


class PagingError(SyncError):
    """A server's paging that would not end: the run is dropped (resuming would meet the same loop)."""


class PageGuard:
    """Makes paging end: a next link already followed (a cycle, or a page pointing at itself) ends it with
    a PagingError, and so does a page past the cap: ``max_pages``, or where the first page gives a
    ``total``, the pages that total needs at the first page's size, plus two."""

    def __init__(
        self, what: str, base_url: str, first_url: str | None, *, max_pages: int = MAX_PAGES
    ) -> None:
        self.what = what
        self.base = httpx.URL(base_url)
        self.seen = {self._key(first_url)} if first_url is not None else set()
        self.pages = 0
        self.cap = max_pages

    def _key(self, url: str) -> str:
        joined = self.base.join(url)
        return str(joined.copy_with(params=sorted(joined.params.multi_items())))

    def next(self, bundle: dict[str, Any], following: str | None) -> str | None:
        """``following`` (the page's next link, as it will be asked for) if paging may go on; None at the
        end; PagingError if it would not end."""
        self.pages += 1
        if self.pages == 1:
            total, entries = bundle.get("total"), bundle.get("entry") or []
            if type(total) is int:
                self.cap = min(self.cap, -(-total // max(1, len(entries))) + 2)
        if following is None:
            return None
        key = self._key(following)
        if key in self.seen:
            raise PagingError(
                f"The server's paging of {self.what} does not end (a next link comes again after "
                f"{self.pages:,} pages); the store was not changed: tell the server's administrator."
            )
        if self.pages >= self.cap:
            raise PagingError(
                f"The server's paging of {self.what} goes on past {self.cap:,} pages, more than it "
                "announced; the store was not changed: tell the server's administrator."
            )
        self.seen.add(key)
        return following


def next_link(bundle: dict[str, Any]) -> str | None:
    for link in bundle.get("link") or []:
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            return str(link["url"])
    return None


def keep_params(url: str, original: httpx.URL, names: tuple[str, ...]) -> str:
    """A next link with the original query's ``names`` put back where the server dropped them (sekmet's
    ``_history`` next links lose ``_since``, which would page through the whole history)."""
    link = httpx.URL(url)
    for name in names:
        value = original.params.get(name)
        if value is not None and name not in link.params:
            link = link.copy_merge_params({name: value})
    return str(link)


def entry_lines(fetch: Fetch, bundle: dict[str, Any]) -> Iterator[bytes]:
    """The kept resources of a search Bundle as NDJSON lines, each type/id once per run."""
    for entry in bundle.get("entry") or []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or resource.get("resourceType") not in KEPT_TYPES:
            continue
        key = f"{resource.get('resourceType')}/{resource.get('id')}".encode()
        if key in fetch.seen:
            continue
        fetch.seen.add(key)
        yield orjson.dumps(resource)


def stage_page(fetch: Fetch, unit: str, lines: list[bytes], first_line: int, cursor: str | None) -> None:
    payload = b"\n".join(lines) + b"\n" if lines else b""
    fetch.staging.stage(
        unit,
        kind=RESOURCES,
        payload=payload,
        lines=len(lines),
        first_line=first_line,
        cursor=cursor,
        done=cursor is None,
    )
    if fetch.mapper is not None:
        fetch.mapper.staged(unit, RESOURCES, payload, first_line=first_line, lines=len(lines))
    fetch.reporter.resources += len(lines)
    fetch.reporter.bytes += len(payload)
