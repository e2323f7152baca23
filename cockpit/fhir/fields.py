"""Reading FHIR fields safely, shared by the resource mappers: dates and date-times, shape checks that
name the field when the shape is wrong, numbers, the first code, a resource's identity and patient
reference, and the preferred coding of a concept. No value from the record ever goes into a reason."""

import functools
import re
from datetime import date, datetime, timedelta
from typing import Any, Final

from cockpit.fhir.types import JSONObject, MappedResource, ResourceDoesNotFit

MAX_ABS_VALUE: Final = 1e9


FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")


# FHIR date / dateTime / instant: YYYY, YYYY-MM, YYYY-MM-DD, or a date with a time (seconds, fraction and
# offset optional here: FHIR requires them, but some senders leave them out and the meaning is clear).
FHIR_DATETIME = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})"
    r"(T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)?)?)?)?",
    re.ASCII,
)


def parse_datetime(text: object, field: str) -> datetime:
    """A FHIR date, dateTime or instant as a naive UTC datetime (a date alone is midnight, a partial
    date the first day of its year or month; a time without an offset is taken as UTC)."""
    if type(text) is str:
        moment = cached_datetime(text)
        if moment is not None:
            return moment
    match_fhir_datetime(text, field)  # names what is wrong: not a string, or not the form of a date
    raise ResourceDoesNotFit(f"{field} is not a valid date")  # the form, but no such day or time


@functools.lru_cache(maxsize=8192)
def cached_datetime(text: str) -> datetime | None:
    """The hot path: a valid FHIR dateTime parsed once (bulk data repeats them: the times of one visit's
    lab panel). None for anything invalid; the caller then names the problem. (Not for
    ``meta.lastUpdated``: a server stamps each resource apart, so it would only crowd the others out.)"""
    return datetime_or_none(text)


def datetime_or_none(text: str) -> datetime | None:
    """``parse_datetime_uncached``, with None for anything invalid."""
    try:
        return parse_datetime_uncached(text)
    except ResourceDoesNotFit:
        return None


_UTC_MARK: Final = "Z"


_OFFSET_LENGTH: Final = len("+01:00")


def parse_datetime_uncached(text: str) -> datetime:
    match = FHIR_DATETIME.fullmatch(text)
    if match is None:
        raise ResourceDoesNotFit("not a valid FHIR date")
    year, month, day, time_part = match.group(1, 2, 3, 4)
    try:
        if time_part is None:
            return datetime(int(year), int(month or 1), int(day or 1))
        # The local time, then its offset subtracted: a naive UTC time without building an aware one
        # first (astimezone and replace cost four times the parse; servers stamp every resource).
        if text[-1] == _UTC_MARK:
            return datetime.fromisoformat(text[:-1])
        sign = text[-_OFFSET_LENGTH]
        if sign not in "+-" or text[-3] != ":":
            return datetime.fromisoformat(text)  # no offset: taken as UTC
        local = datetime.fromisoformat(text[:-_OFFSET_LENGTH])
        offset = timedelta(hours=int(text[-5:-3]), minutes=int(text[-2:]))
        return local - offset if sign == "+" else local + offset
    except (ValueError, OverflowError):  # e.g. February 30th; year 1 shifted before year 1 by its offset
        raise ResourceDoesNotFit("not a valid date") from None


def parse_date(text: object, field: str) -> date:
    """The calendar date of a FHIR date or dateTime, as written (a time and its offset are ignored: the
    date the clinician recorded is the one that matters, not the UTC date)."""
    match = match_fhir_datetime(text, field)
    year, month, day = match.group(1, 2, 3)
    try:
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ResourceDoesNotFit(f"{field} is not a valid date") from None


def match_fhir_datetime(text: object, field: str) -> re.Match[str]:
    if not isinstance(text, str):
        raise ResourceDoesNotFit(f"{field} is not a string")
    match = FHIR_DATETIME.fullmatch(text)
    if match is None:
        raise ResourceDoesNotFit(f"{field} is not a valid FHIR date")
    return match


def optional_datetime(parent: JSONObject, key: str, where: str) -> datetime | None:
    value = parent.get(key)
    if value is None:
        return None
    if type(value) is str:  # the hot path, without building the field's name
        moment = cached_datetime(value)
        if moment is not None:
            return moment
    return parse_datetime(value, f"{where}.{key}")


def optional_date(parent: JSONObject, key: str, where: str) -> date | None:
    value = parent.get(key)
    return None if value is None else parse_date(value, f"{where}.{key}")


def object_at(parent: JSONObject, key: str, where: str) -> JSONObject | None:
    value = parent.get(key)
    if value is None or type(value) is dict:
        return value
    raise ResourceDoesNotFit(f"{where}.{key} is not an object")


def list_at(parent: JSONObject, key: str, where: str) -> list[Any]:
    value = parent.get(key)
    if value is None:
        return []
    if type(value) is list:
        return value
    raise ResourceDoesNotFit(f"{where}.{key} is not a list")


def first_object(parent: JSONObject, key: str, where: str) -> JSONObject | None:
    items = list_at(parent, key, where)
    if not items:
        return None
    first = items[0]
    if type(first) is not dict:
        raise ResourceDoesNotFit(f"{where}.{key}[0] is not an object")
    return first


def text_at(parent: JSONObject | None, key: str, where: str) -> str | None:
    """A string element; an empty string counts as absent."""
    if parent is None:
        return None
    value = parent.get(key)
    if value is None:
        return None
    if type(value) is not str:
        raise ResourceDoesNotFit(f"{where}.{key} is not a string")
    return value or None


def number_at(parent: JSONObject | None, key: str, where: str) -> float | None:
    """A decimal that is finite and not absurdly large (|x| < 1e9)."""
    if parent is None:
        return None
    value = parent.get(key)
    if value is None:
        return None
    # "not abs(x) < limit" also catches NaN, and an int too large for a float never reaches float().
    if type(value) not in (int, float) or not abs(value) < MAX_ABS_VALUE:
        raise ResourceDoesNotFit(f"{where}.{key} is not a finite number")
    return float(value)


def plain_number(value: float) -> str:
    """500.0 -> "500", 0.25 -> "0.25", 1000000.0 -> "1000000" (no exponent for ordinary doses)."""
    return f"{value:.10g}"


def first_code(concept: JSONObject | None, where: str) -> str | None:
    """The code of the first coding of a CodeableConcept (e.g. a status)."""
    if concept is None:
        return None
    coding = first_object(concept, "coding", where)
    return text_at(coding, "code", f"{where}.coding[0]")


def provenance(
    resource: JSONObject, resource_type: str, table: str, patient_ref: str | None
) -> MappedResource:
    fhir_id = resource.get("id")
    if type(fhir_id) is not str or FHIR_ID.fullmatch(fhir_id) is None:
        raise ResourceDoesNotFit(f"{resource_type}.id is missing or not a valid FHIR id")
    meta = resource.get("meta")
    if meta is None:
        return MappedResource(table, resource_type, fhir_id, None, None, patient_ref)
    if type(meta) is not dict:
        raise ResourceDoesNotFit(f"{resource_type}.meta is not an object")
    version = meta.get("versionId")
    if type(version) is not str or not version:  # absent, empty or the wrong type: text_at decides
        version = text_at(meta, "versionId", f"{resource_type}.meta")
    updated = meta.get("lastUpdated")
    last_updated = datetime_or_none(updated) if type(updated) is str else None
    if last_updated is None and updated is not None:  # the field's name only for a message
        last_updated = parse_datetime(updated, f"{resource_type}.meta.lastUpdated")
    return MappedResource(table, resource_type, fhir_id, version, last_updated, patient_ref)


def patient_reference(resource: JSONObject, resource_type: str) -> str:
    """The Patient id from ``subject`` ("Patient/<id>", a relative literal reference)."""
    subject = resource.get("subject")
    if type(subject) is dict:  # the common, well-formed case without building any error text
        reference = subject.get("reference")
        if type(reference) is str and reference.startswith("Patient/"):
            patient_id = reference[8:]
            if FHIR_ID.fullmatch(patient_id) is not None:
                return patient_id
    where = f"{resource_type}.subject"
    subject = object_at(resource, "subject", resource_type)
    if subject is None:
        raise ResourceDoesNotFit(f"{where} is missing")
    reference = text_at(subject, "reference", where)
    if reference is None or not reference.startswith("Patient/"):
        raise ResourceDoesNotFit(f"{where} is not a Patient reference")
    patient_id = reference[len("Patient/") :]
    if FHIR_ID.fullmatch(patient_id) is None:
        raise ResourceDoesNotFit(f"{where} is not a Patient reference")
    return patient_id


def pick_coding(concept: JSONObject | None, preference: tuple[str, ...], where: str) -> JSONObject | None:
    """The coding to keep: the first system in ``preference`` that is present, else the first coding.

    Only codings with both a system and a code count: a code is never stored without its system.
    """
    if concept is None:
        return None
    codings = concept.get("coding")
    if type(codings) is list and len(codings) == 1:  # the common case, decided without a field name
        coding = codings[0]
        if type(coding) is dict:
            system, code = coding.get("system"), coding.get("code")
            if type(system) is str and type(code) is str:
                return coding if system and code else None
    usable: list[JSONObject] = []
    for position, coding in enumerate(list_at(concept, "coding", where)):
        if type(coding) is not dict:
            raise ResourceDoesNotFit(f"{where}.coding[{position}] is not an object")
        system, code = coding.get("system"), coding.get("code")
        if type(system) is str and type(code) is str:  # the common case, without building a field name
            if system and code:
                usable.append(coding)
            continue
        item = f"{where}.coding[{position}]"
        if text_at(coding, "system", item) and text_at(coding, "code", item):
            usable.append(coding)
    if len(usable) == 1:
        return usable[0]
    for system in preference:
        for coding in usable:
            if coding["system"] == system:
                return coding
    return usable[0] if usable else None


def required_coding(concept: JSONObject | None, preference: tuple[str, ...], where: str) -> JSONObject:
    coding = pick_coding(concept, preference, where)
    if coding is None:
        raise ResourceDoesNotFit(f"{where} has no coding with a system and a code")
    return coding


def coding_display(coding: JSONObject | None, concept: JSONObject | None, where: str) -> str | None:
    """What a person reads for a code: the coding's display, else the concept's text."""
    if coding is not None:
        display = coding.get("display")
        if type(display) is str and display:  # the common case, without building a field name
            return display
    display = text_at(coding, "display", f"{where}.coding")
    return display or text_at(concept, "text", where)
