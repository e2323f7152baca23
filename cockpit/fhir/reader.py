"""Streaming reader for FHIR R4 input: bulk-export NDJSON (plain or gzip), Bundles and single resources.

``ResourceStream`` yields one ``RawResource`` at a time. NDJSON is read line by line, so memory stays flat
however large the export is; a ``.json`` document (one resource or a Bundle) is small and read whole.

A file that is not what it claims to be (a line that is not JSON, a cut-off gzip stream, a JSON object that
is no FHIR resource) raises ``MalformedInputError`` naming file and line: the importer then aborts the whole
import, because a half-read export would silently lose data. Error messages never quote the input, since a
line may hold patient data.
"""

import gzip
import io
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Final, cast

import orjson

from cockpit.errors import InputError, MalformedInputError
from cockpit.fhir.limits import DEFAULT_LIMITS, QUARANTINE_HEAD, over_limit_marker
from cockpit.fhir.types import JSONObject, RawResource, SourceLocation

NDJSON_SUFFIXES = (".ndjson", ".ndjson.gz", ".jsonl", ".jsonl.gz")
JSON_SUFFIXES = (".json", ".json.gz")
_ALL_SUFFIXES = NDJSON_SUFFIXES + JSON_SUFFIXES
_GZIP_MAGIC = b"\x1f\x8b"
_READ_BUFFER = 1 << 16
_UTF8_BOM = b"\xef\xbb\xbf"

_TRUNCATED_GZIP = "the file ends early (truncated gzip data)"
_DAMAGED_GZIP = "the gzip data is damaged"
_NOT_JSON = "the line is not valid JSON"
_CUT_OFF = "the last line is cut off mid-resource (was the download interrupted?)"
_NOT_OBJECT = "the line is not a JSON object"
_NO_RESOURCE_TYPE = "the JSON object has no resourceType (not a FHIR resource)"


class ResourceStream:
    """The FHIR resources under ``path``: a directory of export files, or one NDJSON/JSON file.

    In a directory, ``Patient*`` files come first, then the rest by name, so Patients are known before
    the resources that refer to them. ``total_bytes`` and ``bytes_done`` (on-disk bytes; for gzip the
    compressed position) drive a progress bar.
    """

    def __init__(self, path: Path, *, max_line_bytes: int = DEFAULT_LIMITS.max_line_bytes) -> None:
        self.max_line_bytes = max_line_bytes
        if not path.exists():
            raise InputError(f"{path} does not exist")
        self._root = path if path.is_dir() else path.parent
        self.files: list[Path] = _files_in(path)
        if not self.files:
            raise InputError(
                f"{path} holds no FHIR files (expected *.ndjson, *.ndjson.gz, *.jsonl or *.json files)"
            )
        self._sizes = [file.stat().st_size for file in self.files]
        self.total_bytes: int = sum(self._sizes)
        self._is_directory = path.is_dir()
        self._finished_bytes = 0
        self._current: BinaryIO | None = None

    @property
    def bytes_done(self) -> int:
        """On-disk bytes consumed so far. The open file is asked for its position only here, so reading
        pays nothing for progress reporting."""
        current = self._current
        try:
            return self._finished_bytes + (current.tell() if current is not None else 0)
        except ValueError:  # closed: iteration was abandoned, or a progress timer raced the reader
            return self._finished_bytes

    def __iter__(self) -> Iterator[RawResource]:
        self._finished_bytes = 0
        for file, size in zip(self.files, self._sizes, strict=True):
            name = file.relative_to(self._root).as_posix()
            with _open(file, name) as on_disk:
                self._current = on_disk
                yield from self._read_file(on_disk, name)
            self._current = None
            self._finished_bytes += size

    def _read_file(self, on_disk: BinaryIO, name: str) -> Iterator[RawResource]:
        stream = _decompressed(on_disk)
        lines = _numbered_lines(stream, name, self.max_line_bytes)
        if name.endswith(NDJSON_SUFFIXES):
            yield from _ndjson_resources(lines, name)
        else:
            manifest_allowed = self._is_directory and _is_manifest_name(name)
            yield from _sniffed_resources(lines, name, manifest_allowed)


def _open(file: Path, name: str) -> BinaryIO:
    try:
        return file.open("rb")
    except OSError as exc:
        raise InputError(f"{name} cannot be read ({exc.strerror})") from exc


def _files_in(path: Path) -> list[Path]:
    if not path.is_dir():
        return [path]
    candidates = [
        child
        for child in path.iterdir()
        if child.is_file() and not child.name.startswith(".") and child.name.endswith(_ALL_SUFFIXES)
    ]
    # Patients first, so the importer knows them before their Conditions, Observations...
    return sorted(candidates, key=lambda child: (not child.name.startswith("Patient"), child.name))


def _is_manifest_name(name: str) -> bool:
    return name == "manifest.json" or name.endswith(".manifest.json")


def _decompressed(on_disk: BinaryIO) -> BinaryIO:
    """The file's content: gzip is recognised by its magic bytes, whatever the file is called."""
    magic = on_disk.read(2)
    on_disk.seek(0)
    if magic == _GZIP_MAGIC:
        # GzipFile's own readline is a Python call per line; a C BufferedReader on top is a third faster.
        decompressed = gzip.GzipFile(fileobj=on_disk, mode="rb")
        return cast(BinaryIO, io.BufferedReader(cast(io.RawIOBase, decompressed), _READ_BUFFER))
    return on_disk


def _numbered_lines(stream: BinaryIO, name: str, max_line: int) -> Iterator[tuple[int, bytes]]:
    """(1-based line number, line with its newline) pairs; gzip damage becomes MalformedInputError. A line
    longer than ``max_line`` is never held whole: its marker comes instead (``cockpit.fhir.limits``)."""
    lineno = 0
    read = stream.readline
    try:
        while line := read(max_line + 2):  # the longest line allowed, its CR LF and one byte more
            lineno += 1
            if len(line) > max_line + 1 and not line.endswith(b"\n"):
                yield lineno, _over_limit(read, line, max_line)
                continue
            if lineno == 1 and line.startswith(_UTF8_BOM):
                line = line[len(_UTF8_BOM) :]
            yield lineno, line
    except EOFError as exc:
        # The line being read when the data ran out is the one that is cut off.
        raise MalformedInputError(name, lineno + 1, _TRUNCATED_GZIP) from exc
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise MalformedInputError(name, lineno + 1, _DAMAGED_GZIP) from exc


def _over_limit(read: Callable[[int], bytes], start: bytes, max_line: int) -> bytes:
    """The marker of a line over the limit, whose first bytes are ``start``: the rest is read and dropped."""
    size, line = len(start), start
    while not line.endswith(b"\n"):
        line = read(_READ_BUFFER)
        if not line:
            break
        size += len(line)
    return over_limit_marker(start[:QUARANTINE_HEAD], size - line.endswith(b"\n"), max_line) + b"\n"


def _ndjson_resources(lines: Iterable[tuple[int, bytes]], name: str) -> Iterator[RawResource]:
    loads = orjson.loads
    decode_error = orjson.JSONDecodeError
    for lineno, line in lines:
        content = line.rstrip(b"\r\n")
        if not content or content.isspace():
            continue
        try:
            resource = loads(content)
        except decode_error:
            detail = _NOT_JSON if line.endswith(b"\n") else _CUT_OFF
            raise MalformedInputError(name, lineno, detail) from None
        if type(resource) is not dict:
            raise MalformedInputError(name, lineno, _NOT_OBJECT)
        resource_type = resource.get("resourceType")
        if type(resource_type) is not str:
            raise MalformedInputError(name, lineno, _NO_RESOURCE_TYPE)
        if resource_type == "Bundle":
            yield from _bundle_entries(resource, name, lineno)
        else:
            yield RawResource(resource, content, SourceLocation(name, lineno))


def _sniffed_resources(
    lines: Iterator[tuple[int, bytes]], name: str, manifest_allowed: bool
) -> Iterator[RawResource]:
    """A file not named as NDJSON: one JSON document (possibly pretty-printed), or NDJSON after all.

    It is NDJSON when its first non-blank line is a complete JSON value and more content follows. A
    document is read whole: documents are single resources or Bundles, not a whole practice's export.
    """
    head: list[tuple[int, bytes]] = []
    first_line = _next_content_line(lines, head)
    if first_line is None:
        raise MalformedInputError(name, 1, "the file is empty")
    try:
        first_value = orjson.loads(first_line)
    except orjson.JSONDecodeError:
        yield from _document_resources(_whole_document(head, lines, name), name, manifest_allowed)
        return
    if _next_content_line(lines, head) is not None:
        yield from _ndjson_resources(_chain(head, lines), name)
    else:
        yield from _document_resources(first_value, name, manifest_allowed)


def _next_content_line(lines: Iterator[tuple[int, bytes]], seen: list[tuple[int, bytes]]) -> bytes | None:
    """Read up to the next non-blank line, remembering every line read in ``seen``."""
    for lineno, line in lines:
        seen.append((lineno, line))
        if line.strip():
            return line
    return None


def _whole_document(head: list[tuple[int, bytes]], rest: Iterator[tuple[int, bytes]], name: str) -> object:
    content = b"".join(line for _, line in head) + b"".join(line for _, line in rest)
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise MalformedInputError(name, exc.lineno, "the file is not valid JSON") from None


def _chain(head: list[tuple[int, bytes]], rest: Iterator[tuple[int, bytes]]) -> Iterator[tuple[int, bytes]]:
    yield from head
    yield from rest


def _document_resources(document: object, name: str, manifest_allowed: bool) -> Iterator[RawResource]:
    if not isinstance(document, dict):
        raise MalformedInputError(name, 1, "the file is not a JSON object")
    resource_type = document.get("resourceType")
    if not isinstance(resource_type, str):
        if manifest_allowed:
            return  # a bulk-data export manifest beside the NDJSON files: nothing to import
        if "output" in document:
            raise InputError(f"{name} is a bulk-data export manifest: import the folder that holds it")
        raise MalformedInputError(name, 1, _NO_RESOURCE_TYPE)
    if resource_type == "Bundle":
        yield from _bundle_entries(document, name, 1)
    else:
        yield RawResource(document, _canonical(document), SourceLocation(name, 1))


def _bundle_entries(bundle: JSONObject, name: str, lineno: int) -> Iterator[RawResource]:
    """A Bundle's resources, Patients first; entries without a resource (e.g. DELETE) are skipped."""
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise MalformedInputError(name, lineno, "Bundle.entry is not a list")
    resources: list[JSONObject] = []
    medications: dict[str, str] = {}  # a Medication's fullUrl "urn:uuid:..." -> "Medication/<id>"
    for position, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise MalformedInputError(name, lineno, f"Bundle entry {position} is not a JSON object")
        resource = entry.get("resource")
        if resource is None:
            continue
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            detail = f"Bundle entry {position} has a resource without a resourceType"
            raise MalformedInputError(name, lineno, detail)
        if resource["resourceType"] == "Medication":
            resource = _medication_entry(resource, entry.get("fullUrl"), medications)
        resources.append(resource)
    if medications:
        resources = [_named_by_full_url(resource, medications) for resource in resources]
    location = SourceLocation(name, lineno)
    resources.sort(key=lambda resource: resource["resourceType"] != "Patient")  # stable: order kept
    for resource in resources:
        yield RawResource(resource, _canonical(resource), location)


def _medication_entry(resource: JSONObject, full_url: object, medications: dict[str, str]) -> JSONObject:
    """A Medication in a Bundle, which statements may name by its fullUrl ("urn:uuid:<uuid>", as in a
    transaction Bundle): remembered under it; without an id of its own it gets the uuid as its id."""
    if not isinstance(full_url, str) or not full_url.startswith(_URN_UUID):
        return resource
    resource_id = resource.get("id")
    if resource_id is None:
        resource_id = full_url[len(_URN_UUID) :]
        resource = {**resource, "id": resource_id}
    if isinstance(resource_id, str):
        medications[full_url] = f"Medication/{resource_id}"
    return resource


def _named_by_full_url(resource: JSONObject, medications: dict[str, str]) -> JSONObject:
    """A statement or request naming its drug by a Medication's fullUrl gets the Medication's reference."""
    if resource["resourceType"] not in ("MedicationStatement", "MedicationRequest"):
        return resource
    reference = resource.get("medicationReference")
    if not isinstance(reference, dict):
        return resource
    sent = reference.get("reference")
    target = medications.get(sent) if isinstance(sent, str) else None
    if target is None:
        return resource
    return {**resource, "medicationReference": {**reference, "reference": target}}


_URN_UUID: Final = "urn:uuid:"


def _canonical(resource: JSONObject) -> bytes:
    """Stable bytes for a resource that has no line of its own (same content, same hash)."""
    return orjson.dumps(resource, option=orjson.OPT_SORT_KEYS)
