"""One FHIR resource prepared for the store: mapped, hashed and laid out as the rows the importer writes.

Light on purpose (the mapping and the models, no store): a sync prepares resources on a worker process,
which imports only this.
"""

import hashlib
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import Date, DateTime, String

from cockpit.fhir.fields import FHIR_ID, MAX_ABS_VALUE, cached_datetime, datetime_or_none
from cockpit.fhir.limits import DEFAULT_LIMITS, Limits, check_resource
from cockpit.fhir.mapping import MAPPING_VERSION, map_resource
from cockpit.fhir.observationmapping import EARLIEST_OBSERVATION_YEAR, latest_observation_moment
from cockpit.fhir.types import JSONObject, ResourceDoesNotFit, SourceLocation
from cockpit.models import Base
from cockpit.models.codes import UCUM

# The table of Medication resources: rows without a patient, prepared like a Patient's (one row as a dict).
PRODUCTS: Final = "medication_products"
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
# ``PROVENANCE_COLUMNS`` (without ``patient_id``); for ``patients`` and ``medication_products``
# (``patient_ref`` None), the one row as a dict of every column but ``id``. ``file`` and ``line`` say where
# it was read; ``raw`` is the resource's bytes, or None when the caller can find them again
# (``ImportSession.raw_of``): only a resource quarantined later needs them.
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
    if table == PRODUCTS:
        return  # no length-limited columns but the provenance's (checked above, and ids by the mapping)
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


_HASH_START: Final = hashlib.blake2b(digest_size=16, person=_HASH_PERSON)


def content_hash(raw: bytes) -> str:
    """The digest a row keeps of its source resource (with the mapping version, so a new mapping re-maps).
    (A copy of a hash set up once: a quarter faster than setting it up per resource, the same digest.)"""
    digest = _HASH_START.copy()
    digest.update(raw)
    return digest.hexdigest()


def prepare(
    resource: JSONObject,
    raw: bytes,
    location: SourceLocation,
    *,
    today: date,
    source: str,
    keep_raw: bool = True,
    text_dates: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Prepared | None:
    """Map and hash one resource: None if the store does not keep it; raises ``ResourceDoesNotFit``
    (also when it is over one of ``limits``: see ``cockpit.fhir.limits``).

    ``text_dates``: a clinical row's dates and times as the SQLite driver writes them (ISO 8601, a space
    before the time), so that they cross a process boundary as plain strings."""
    if (
        len(raw) > limits.max_string_chars or len(raw) > limits.max_resource_bytes
    ):  # only then can anything be over a limit
        check_resource(resource, raw, limits)
    if resource.get("resourceType") == "Observation":
        plain = _plain_observation(
            resource, raw, location, today=today, source=source, keep_raw=keep_raw, text_dates=text_dates
        )
        if plain is not None:
            return plain
    mapped = map_resource(resource, today)
    if mapped is None:
        return None
    if _NUL in raw:
        raise ResourceDoesNotFit(f"{mapped.fhir_type} holds a NUL character")
    _check_fits(mapped.table, mapped.rows, mapped.fhir_type, mapped.fhir_version)
    digest = content_hash(raw)
    kept_raw = raw if keep_raw else None
    fhir_type, fhir_id = mapped.fhir_type, mapped.fhir_id
    if mapped.table in ("patients", PRODUCTS):  # no patient: written like a patient, one row as a dict
        row = {
            **mapped.rows[0],
            "source": source,
            "fhir_type": fhir_type,
            "fhir_id": fhir_id,
            "fhir_version": mapped.fhir_version,
            "last_updated": mapped.last_updated,
            "content_hash": digest,
        }
        return (
            mapped.table,
            fhir_type,
            fhir_id,
            None,
            digest,
            (row,),
            location.file,
            location.line,
            kept_raw,
        )
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
            None if last_updated is None else last_updated.isoformat(" "),  # unique: not remembered
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


# --- the common Observation, prepared directly ---------------------------------------------------------
# Most of a practice's resources are Observations of one shape: one coded value with a unit and a time, no
# components, ranges or interpretation. ``_plain_observation`` prepares those without the general mapping
# (in half the time: it is most of a sync's critical path). It decides nothing the mapping would not:
# anything else, and anything it has doubts about (a field the mapping would refuse, a rarer form), goes
# the general way, which then also names a problem. tests/fhir/test_plain_observation.py holds it to the
# general path's result on every Observation of the test data and on thousands of damaged ones.

# The fields handled here and those the general mapping ignores: a resource with any other field (say
# ``component`` or ``referenceRange``, or one the mapping starts reading one day) goes the general way.
_PLAIN_OBSERVATION_FIELDS: Final = frozenset(
    {
        "resourceType", "id", "meta", "status", "code", "subject", "effectiveDateTime", "valueQuantity",
        "category", "encounter", "issued", "identifier", "performer", "note", "text", "basedOn", "partOf",
        "hasMember", "derivedFrom", "specimen", "device", "method", "bodySite", "focus", "language",
        "implicitRules", "extension", "modifierExtension", "dataAbsentReason",
    }
)  # fmt: skip
_STATUS_LENGTH: Final = {key: length for _, length, key in _BOUNDED["observations"]}["status"]
_OBSERVATION_COLUMNS: Final = (
    "part", "code_system", "code", "display", "value_num", "unit", "value_text", "effective", "ref_low",
    "ref_high", "interpretation", "status",
)  # fmt: skip
if MAPPED_COLUMNS["observations"] != _OBSERVATION_COLUMNS:  # the order of the row built below
    raise RuntimeError("the observations table changed: update _plain_observation")


def _plain_observation(
    resource: JSONObject,
    raw: bytes,
    location: SourceLocation,
    *,
    today: date,
    source: str,
    keep_raw: bool,
    text_dates: bool,
) -> Prepared | None:
    """The prepared Observation if it has the common shape and all of it is valid, else None."""
    if not resource.keys() <= _PLAIN_OBSERVATION_FIELDS:
        return None
    fhir_id, subject, meta = resource.get("id"), resource.get("subject"), resource.get("meta")
    if type(fhir_id) is not str or type(subject) is not dict or FHIR_ID.fullmatch(fhir_id) is None:
        return None
    reference = subject.get("reference")
    if type(reference) is not str or not reference.startswith("Patient/"):
        return None
    patient_ref = reference[8:]
    if FHIR_ID.fullmatch(patient_ref) is None:
        return None
    version: str | None = None
    last_updated: datetime | None = None
    if meta is not None:
        if type(meta) is not dict:
            return None
        version, updated = meta.get("versionId"), meta.get("lastUpdated")
        if version is not None and (type(version) is not str or len(version) > _VERSION_LENGTH):
            return None
        version = version or None  # empty: absent
        if updated is not None and (
            type(updated) is not str or (last_updated := datetime_or_none(updated)) is None
        ):
            return None
    status, when = resource.get("status"), resource.get("effectiveDateTime")
    if status is not None and (type(status) is not str or len(status) > _STATUS_LENGTH):
        return None
    status = status or None  # empty: absent
    if type(when) is not str or (effective := cached_datetime(when)) is None:
        return None
    if effective.year < EARLIEST_OBSERVATION_YEAR or effective > latest_observation_moment(today):
        return None
    concept, quantity = resource.get("code"), resource.get("valueQuantity")
    if type(concept) is not dict or type(quantity) is not dict:
        return None
    codings = concept.get("coding")
    if type(codings) is not list or len(codings) != 1 or type(coding := codings[0]) is not dict:
        return None
    system, code, display = coding.get("system"), coding.get("code"), coding.get("display")
    if type(system) is not str or type(code) is not str or type(display) is not str:
        return None
    value = quantity.get("value")
    unit_code, unit, unit_system = quantity.get("code"), quantity.get("unit"), quantity.get("system")
    if (
        not (system and code and display)
        or (type(value) is not float and type(value) is not int)
        or not -MAX_ABS_VALUE < value < MAX_ABS_VALUE
        or "comparator" in quantity
        or type(unit_code) is not str
        or not unit_code
        or (unit_system != UCUM and unit is not None and type(unit) is not str)
        or _NUL in raw
    ):
        return None
    digest = content_hash(raw)
    row = (
        0,
        system,
        code,
        display,
        float(value),
        unit_code if unit_system == UCUM else unit or unit_code,
        None,
        _db_text(effective) if text_dates else effective,
        None,
        None,
        None,
        status,
        source,
        "Observation",
        fhir_id,
        version,
        last_updated.isoformat(" ") if text_dates and last_updated is not None else last_updated,
        digest,
    )
    kept_raw = raw if keep_raw else None
    return (
        "observations",
        "Observation",
        fhir_id,
        patient_ref,
        digest,
        (row,),
        location.file,
        location.line,
        kept_raw,
    )
