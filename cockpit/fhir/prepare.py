"""One FHIR resource prepared for the store: mapped, hashed and laid out as the rows the importer writes.

Light on purpose (the mapping and the models, no store): a sync prepares resources on a worker process,
which imports only this.
"""

import hashlib
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import Date, DateTime, String

from cockpit.fhir.mapping import MAPPING_VERSION, map_resource
from cockpit.fhir.types import JSONObject, ResourceDoesNotFit, SourceLocation
from cockpit.models import Base

_HASH_PERSON: Final = f"cockpit-map-{MAPPING_VERSION}".encode()
# The columns a clinical row gets from its resource and the import rather than from the mapping, in the
# order they follow the mapped columns; ``patient_id`` comes last (the store's id, known only when writing).
PROVENANCE_COLUMNS: Final = (
    "source",
    "fhir_type",
    "fhir_id",
    "fhir_version",
    "last_updated",
    "content_hash",
)


def _mapped_columns() -> dict[str, tuple[str, ...]]:
    skip = {"id", "patient_id", *PROVENANCE_COLUMNS}
    names = ("conditions", "medications", "observations", "encounters", "home_care_services")
    return {
        name: tuple(c.key for c in Base.metadata.tables[name].columns if c.key not in skip) for name in names
    }


# Per clinical table: the mapped columns in table order (a prepared row's values come in this order).
MAPPED_COLUMNS: Final = _mapped_columns()


# A resource mapped and hashed, ready to be written. A plain tuple, because a sync prepares resources on a
# worker process and a plain tuple of strings and numbers is what pickles fast (a NamedTuple or dataclass
# per resource costs several times as much):
#   (table, fhir_type, fhir_id, patient_ref, digest, rows, file, line, raw)
# ``rows``: for a clinical table, one tuple per row: the values of ``MAPPED_COLUMNS[table]`` then of
# ``PROVENANCE_COLUMNS`` (without ``patient_id``); for ``patients``, the one row as a dict of every column
# but ``id``. ``file`` and ``line`` say where it was read; ``raw`` is the resource's bytes, or None when the
# caller can find them again (``ImportSession.raw_of``): only a resource quarantined later needs them.
Prepared = tuple[str, str, str, str | None, str, tuple[Any, ...], str, int, bytes | None]


def _bounded(table: str, keys: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    """(position, length, column) of the length-limited text columns among ``keys``."""
    columns = Base.metadata.tables[table].c
    found = []
    for position, key in enumerate(keys):
        kind = columns[key].type
        if isinstance(kind, String) and kind.length is not None:
            found.append((position, kind.length, key))
    return tuple(found)


# The stores must agree on what fits: PostgreSQL enforces a column's length (and refuses NUL characters),
# SQLite would keep anything. A value that does not fit quarantines its resource on both.
_BOUNDED: Final = {name: _bounded(name, columns) for name, columns in MAPPED_COLUMNS.items()}
_PATIENT_BOUNDED: Final = tuple(
    (key, length)
    for _position, length, key in _bounded(
        "patients", tuple(c.key for c in Base.metadata.tables["patients"].columns)
    )
    if key not in PROVENANCE_COLUMNS
)
_VERSION_LENGTH: Final = 64  # meta.versionId is a FHIR id: at most 64 characters
_NUL: Final = b"\\u0000"


def _check_fits(
    table: str, rows: list[Any] | tuple[Any, ...], resource_type: str, version: str | None
) -> None:
    if version is not None and len(version) > _VERSION_LENGTH:
        raise ResourceDoesNotFit(
            f"{resource_type}.meta.versionId is longer than {_VERSION_LENGTH} characters"
        )
    if table == "patients":
        row = rows[0]
        for key, length in _PATIENT_BOUNDED:
            value = row.get(key)
            if isinstance(value, str) and len(value) > length:
                raise ResourceDoesNotFit(f"Patient {key} is longer than {length} characters")
        return
    bounds = _BOUNDED[table]
    columns = MAPPED_COLUMNS[table]
    for row in rows:
        for position, length, key in bounds:
            value = row.get(columns[position])
            if value is not None and len(value) > length:
                raise ResourceDoesNotFit(f"{resource_type} {key} is longer than {length} characters")


def _temporal_positions() -> dict[str, tuple[int, ...]]:
    """Per clinical table: where among the mapped columns the date and time values are (the provenance's
    one, ``last_updated``, is known)."""
    positions = {}
    for name, mapped in MAPPED_COLUMNS.items():
        table = Base.metadata.tables[name]
        positions[name] = tuple(
            i for i, key in enumerate(mapped) if isinstance(table.c[key].type, (Date, DateTime))
        )
    return positions


_TEMPORAL: Final = _temporal_positions()
_DB_TEXT_CACHE: Final = 50_000
_db_texts: dict[date, str] = {}


def _db_text(value: date) -> str:
    """What the sqlite3 driver's default adapters write for a datetime and a date. Remembered: bulk data
    repeats its times (and the mapping returns the same object for the same text)."""
    text = _db_texts.get(value)
    if text is None:
        text = value.isoformat(" ") if type(value) is datetime else value.isoformat()
        if len(_db_texts) >= _DB_TEXT_CACHE:
            _db_texts.clear()
        _db_texts[value] = text
    return text


def content_hash(raw: bytes) -> str:
    """The digest a row keeps of its source resource (with the mapping version, so a new mapping re-maps)."""
    return hashlib.blake2b(raw, digest_size=16, person=_HASH_PERSON).hexdigest()


def prepare(
    resource: JSONObject,
    raw: bytes,
    location: SourceLocation,
    *,
    today: date,
    source: str,
    keep_raw: bool = True,
    text_dates: bool = False,
) -> Prepared | None:
    """Map and hash one resource: None if the store does not keep it; raises ``ResourceDoesNotFit``.

    ``text_dates``: a clinical row's dates and times as the SQLite driver writes them (ISO 8601, a space
    before the time), so that they cross a process boundary as plain strings."""
    mapped = map_resource(resource, today)
    if mapped is None:
        return None
    if _NUL in raw:
        raise ResourceDoesNotFit(f"{mapped.fhir_type} holds a NUL character")
    _check_fits(mapped.table, mapped.rows, mapped.fhir_type, mapped.fhir_version)
    digest = content_hash(raw)
    kept_raw = raw if keep_raw else None
    fhir_type, fhir_id = mapped.fhir_type, mapped.fhir_id
    if mapped.table == "patients":
        row = {
            **mapped.rows[0],
            "source": source,
            "fhir_type": fhir_type,
            "fhir_id": fhir_id,
            "fhir_version": mapped.fhir_version,
            "last_updated": mapped.last_updated,
            "content_hash": digest,
        }
        return ("patients", fhir_type, fhir_id, None, digest, (row,), location.file, location.line, kept_raw)
    table = mapped.table
    columns = MAPPED_COLUMNS[table]
    rows: tuple[Any, ...]
    tail: tuple[Any, ...]
    if text_dates:
        last_updated = mapped.last_updated
        tail = (
            source,
            fhir_type,
            fhir_id,
            mapped.fhir_version,
            None if last_updated is None else _db_text(last_updated),
            digest,
        )
        rows = tuple(_dates_as_text([*map(row.get, columns)], _TEMPORAL[table]) + tail for row in mapped.rows)
    else:
        tail = (source, fhir_type, fhir_id, mapped.fhir_version, mapped.last_updated, digest)
        rows = tuple((*map(row.get, columns), *tail) for row in mapped.rows)
    return (
        table,
        fhir_type,
        fhir_id,
        mapped.patient_ref,
        digest,
        rows,
        location.file,
        location.line,
        kept_raw,
    )


def _dates_as_text(values: list[Any], positions: tuple[int, ...]) -> tuple[Any, ...]:
    for position in positions:
        value = values[position]
        if value is not None:
            values[position] = _db_text(value)
    return tuple(values)
