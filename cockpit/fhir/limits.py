"""Limits on what one resource may be: a line, a string, a resource, and how many resources one patient.

A server or a file can send anything: a Patient with a 50 MB name, a line with no end, a million
Observations for one patient. A resource over a limit is quarantined with its reason (its first bytes
kept, not the whole of it) and the import or sync goes on; memory stays bounded because nothing over a
limit is ever held whole. The defaults hold every real practice's data with room to spare (a Synthea
resource is under 100 KB; FHIR itself says a string SHALL NOT exceed 1 MB); ``cockpit sync`` takes other
values from its settings (docs/sync.md), ``cockpit import`` uses the defaults.

A line that is too long is never parsed: the reader (or the sync's download) replaces it by a *marker*,
a small JSON object naming what it could see of the line (type and id, when they come first) and why it
was dropped, so that line numbers and resume checkpoints still count the line. Whoever maps resources
quarantines a marker instead of mapping it.
"""

import re
from dataclasses import dataclass
from typing import Any, Final

import orjson

from cockpit.fhir.types import JSONObject, ResourceDoesNotFit


class OverLimitError(ResourceDoesNotFit):
    """A resource over one of the limits: quarantined with only its first bytes (``quarantine_head``)."""


MIB: Final = 1 << 20
MARKER_KEY: Final = "cockpit:over-limit"
QUARANTINE_HEAD: Final = 4096  # the bytes of an over-limit line or resource kept in quarantine
_TYPE: Final = re.compile(rb'"resourceType"\s*:\s*"([A-Za-z]{1,64})"')
_ID: Final = re.compile(rb'"id"\s*:\s*"([A-Za-z0-9\-.]{1,64})"')


@dataclass(frozen=True, slots=True)
class Limits:
    """Attributes:
    max_line_bytes: the longest NDJSON line read at all (longer: quarantined unread).
    max_resource_bytes: the largest resource mapped (its JSON as sent).
    max_string_chars: the longest string anywhere in a resource.
    max_resources_per_patient: resources of one patient in one import or sync (the rest: quarantined).
    """

    max_line_bytes: int = 8 * MIB
    max_resource_bytes: int = 8 * MIB
    max_string_chars: int = 1 * MIB
    max_resources_per_patient: int = 250_000

    def check(self) -> None:
        for name in ("max_line_bytes", "max_resource_bytes", "max_string_chars", "max_resources_per_patient"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")


DEFAULT_LIMITS: Final = Limits()


def marker(
    code: str,
    head: bytes,
    *,
    size: int = 0,
    limit: int = 0,
    resource_type: str | None = None,
    resource_id: str | None = None,
) -> bytes:
    """The line that stands for something not to be mapped: ``code`` (one of ``MARKER_REASONS``), the
    first bytes of what it stands for, and the type and id if known (else read from those bytes)."""
    if resource_type is None:
        found_type = _TYPE.search(head)
        resource_type = found_type.group(1).decode() if found_type else "unknown"
    if resource_id is None:
        found_id = _ID.search(head)
        resource_id = found_id.group(1).decode() if found_id else None
    return orjson.dumps(
        {
            "resourceType": resource_type,
            "id": resource_id,
            MARKER_KEY: code,
            "size": size,
            "limit": limit,
            "head": head[:QUARANTINE_HEAD].decode("utf-8", errors="replace"),
        }
    )


def over_limit_marker(head: bytes, size: int, limit: int) -> bytes:
    """The line that stands for an NDJSON line of ``size`` bytes (over ``limit``), from its first bytes."""
    return marker(LINE_TOO_LONG, head, size=size, limit=limit)


LINE_TOO_LONG: Final = "line"
# Why a marker stands where a resource would: the text shown, with the marker's size and limit. Only these
# texts are ever shown (a server that sends a marker of its own gets a fixed text, never its words).
MARKER_REASONS: Final = {
    LINE_TOO_LONG: "a line of {size:,} bytes is over the limit of {limit:,} bytes",
    "history-no-resource": "a history entry that changes a resource but carries none (not a deletion)",
    "history-not-object": "a history entry or its resource is not a JSON object",
    "history-mismatch": "a history entry's resource is not the one its request names",
    "history-method": "a history entry with no known request method",
    "history-no-target": "a deletion in the history that names no resource",
}


def marker_reason(resource: JSONObject) -> str | None:
    """The reason of a marker (None for a resource)."""
    code = resource.get(MARKER_KEY)
    if code is None:
        return None
    text = MARKER_REASONS.get(code) if isinstance(code, str) else None
    size, limit = resource.get("size"), resource.get("limit")
    if text is None or type(size) is not int or type(limit) is not int:
        return "an entry the sync could not take"
    return text.format(size=size, limit=limit)


def marker_raw(resource: JSONObject) -> bytes:
    head = resource.get("head")
    return head.encode("utf-8", errors="replace") if isinstance(head, str) else b""


def check_resource(resource: JSONObject, raw: bytes, limits: Limits) -> None:
    """Raise ``ResourceDoesNotFit`` if the resource is over a limit (cheap unless it is large: a string
    cannot be longer than the resource it is in)."""
    if len(raw) > limits.max_resource_bytes:
        raise OverLimitError(
            f"the resource has {len(raw):,} bytes, over the limit of {limits.max_resource_bytes:,}"
        )
    if len(raw) > limits.max_string_chars and _longest_string(resource) > limits.max_string_chars:
        raise OverLimitError(f"a string is longer than the limit of {limits.max_string_chars:,} characters")


def _longest_string(value: Any) -> int:
    longest = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is str:
            longest = max(longest, len(item))
        elif type(item) is dict:
            stack.extend(item.keys())
            stack.extend(item.values())
        elif type(item) is list:
            stack.extend(item)
    return longest


def quarantine_head(raw: bytes) -> bytes:
    """What quarantine keeps of a resource over a limit: its first bytes."""
    return raw[:QUARANTINE_HEAD]


class LineCap:
    """Streams NDJSON with no line longer than ``max_line`` bytes: ``feed`` takes the next bytes and gives
    back the complete lines among them (a line over the limit replaced by its marker, so that lines still
    count one for one); ``finish`` gives what is left at the end. Only the line in progress is held, up to
    the limit; a longer one is dropped as it comes, its first bytes kept for the marker."""

    def __init__(self, max_line: int) -> None:
        self.max = max_line
        self.tail = bytearray()  # the line in progress
        self.skipping = False  # the line in progress is over the limit: dropped up to its end
        self.head = b""
        self.size = 0

    def feed(self, data: bytes) -> bytes:
        out = bytearray()
        start = 0
        if self.skipping:
            end = data.find(b"\n")
            if end < 0:
                self.size += len(data)
                return b""
            self.size += end
            out += over_limit_marker(self.head, self.size, self.max) + b"\n"
            self.skipping = False
            start = end + 1
        last = data.rfind(b"\n", start)
        if last < 0:
            self._hold(data, start)
            return bytes(out)
        if len(self.tail) + last + 1 - start <= self.max + 1:  # no line in it can be over the limit
            if not out and not self.tail:
                complete = data[start : last + 1] if start or last + 1 < len(data) else data
            else:
                out += self.tail
                out += data[start : last + 1]
                complete = bytes(out)
            self.tail.clear()
            self._hold(data, last + 1)
            return complete
        position = start
        while position <= last:
            end = data.find(b"\n", position)
            length = len(self.tail) + end - position
            if length > self.max:
                head = bytes(self.tail[:QUARANTINE_HEAD]) + data[position : position + QUARANTINE_HEAD]
                out += over_limit_marker(head[:QUARANTINE_HEAD], length, self.max) + b"\n"
            else:
                out += self.tail
                out += data[position : end + 1]
            self.tail.clear()
            position = end + 1
        self._hold(data, last + 1)
        return bytes(out)

    def _hold(self, data: bytes, start: int) -> None:
        rest = len(data) - start
        if not rest:
            return
        if len(self.tail) + rest > self.max:
            head = bytes(self.tail[:QUARANTINE_HEAD]) + data[start : start + QUARANTINE_HEAD]
            self.head = head[:QUARANTINE_HEAD]
            self.size = len(self.tail) + rest
            self.tail.clear()
            self.skipping = True
        else:
            self.tail += data[start:] if start else data

    def finish(self) -> bytes:
        """The last line (without its newline, as it came), or its marker."""
        if self.skipping:
            self.skipping = False
            return over_limit_marker(self.head, self.size, self.max)
        rest = bytes(self.tail)
        self.tail.clear()
        return rest
