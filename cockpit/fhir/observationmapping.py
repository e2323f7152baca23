"""Observation to rows: one row per value (the Observation's own and each component's), quantities
checked for absurd values, the effective time bounded, the reference range (docs/fhir-mapping.md)."""

import functools
from datetime import date, datetime, timedelta
from typing import Final

from cockpit.fhir.fields import (
    MAX_ABS_VALUE,
    cached_datetime,
    coding_display,
    first_code,
    first_object,
    list_at,
    number_at,
    object_at,
    optional_datetime,
    patient_reference,
    plain_number,
    provenance,
    required_coding,
    text_at,
)
from cockpit.fhir.types import JSONObject, MappedResource, ResourceDoesNotFit
from cockpit.models import codes

EARLIEST_OBSERVATION_YEAR: Final = 1900


# Observation.value[x] variants; those not handled below are kept as a row without a value.
VALUE_KEYS: Final = frozenset(
    {
        "valueQuantity",
        "valueCodeableConcept",
        "valueString",
        "valueBoolean",
        "valueInteger",
        "valueRange",
        "valueRatio",
        "valueSampledData",
        "valueTime",
        "valueDateTime",
        "valuePeriod",
    }
)


def map_observation(resource: JSONObject, today: date) -> MappedResource:
    mapped = provenance(resource, "Observation", "observations", patient_reference(resource, "Observation"))
    effective = _effective(resource, today)
    status = text_at(resource, "status", "Observation")
    interpretation = (
        None
        if resource.get("interpretation") is None
        else first_code(
            first_object(resource, "interpretation", "Observation"), "Observation.interpretation[0]"
        )
    )
    components = list_at(resource, "component", "Observation")
    rows = mapped.rows
    if not components or _has_value(resource):
        rows.append(
            _observation_row(
                resource, 0, "Observation", effective=effective, status=status, interpretation=interpretation
            )
        )
    for position, component in enumerate(components):
        where = f"Observation.component[{position}]"
        if type(component) is not dict:
            raise ResourceDoesNotFit(f"{where} is not an object")
        rows.append(
            _observation_row(
                component,
                position + 1,
                where,
                effective=effective,
                status=status,
                interpretation=interpretation,
            )
        )
    return mapped


def _has_value(element: JSONObject) -> bool:
    return not VALUE_KEYS.isdisjoint(element)


def _observation_row(
    element: JSONObject,
    part: int,
    where: str,
    *,
    effective: datetime | None,
    status: str | None,
    interpretation: str | None,
) -> JSONObject:
    """The row of the Observation itself (part 0) or of one component (part 1..n). (Bulk data holds
    millions of Observations: one dict built at once, field names for messages only when needed.)"""
    ref_low, ref_high = _reference_range(element, where)
    concept = object_at(element, "code", where)
    code_where = "Observation.code" if part == 0 else f"{where}.code"
    coding = required_coding(concept, codes.OBSERVATION_PREFERENCE, code_where)
    value_num, unit, value_text = _observation_value(element, where)
    return {
        "part": part,
        "code_system": coding["system"],
        "code": coding["code"],
        "display": coding_display(coding, concept, code_where),
        "value_num": value_num,
        "unit": unit,
        "value_text": value_text,
        "effective": effective,
        "ref_low": ref_low,
        "ref_high": ref_high,
        "interpretation": interpretation,
        "status": status,
    }


def _observation_value(element: JSONObject, where: str) -> tuple[float | None, str | None, str | None]:
    """(value_num, unit, value_text) from value[x]."""
    quantity = element.get("valueQuantity")
    if quantity is not None:
        if type(quantity) is not dict:
            raise ResourceDoesNotFit(f"{where}.valueQuantity is not an object")
        return _quantity_value(quantity, where)
    concept = object_at(element, "valueCodeableConcept", where)
    if concept is not None:
        coding_where = f"{where}.valueCodeableConcept"
        coding = first_object(concept, "coding", coding_where)
        text = (
            text_at(coding, "display", f"{coding_where}.coding[0]")
            or text_at(concept, "text", coding_where)
            or text_at(coding, "code", f"{coding_where}.coding[0]")
        )
        return None, None, text
    if "valueString" in element:
        return None, None, text_at(element, "valueString", where)
    if "valueInteger" in element:
        value = element["valueInteger"]
        if type(value) is not int:
            raise ResourceDoesNotFit(f"{where}.valueInteger is not an integer")
        return number_at(element, "valueInteger", where), None, None
    if "valueBoolean" in element:
        flag = element["valueBoolean"]
        if type(flag) is not bool:
            raise ResourceDoesNotFit(f"{where}.valueBoolean is not a boolean")
        return None, None, "true" if flag else "false"
    return None, None, None


def _quantity_value(quantity: JSONObject, where: str) -> tuple[float | None, str | None, str | None]:
    """From ``<where>.valueQuantity``; its field name is built only for a message."""
    value = quantity.get("value")
    system, code, unit = quantity.get("system"), quantity.get("code"), quantity.get("unit")
    if (
        type(value) is float
        and abs(value) < MAX_ABS_VALUE
        and "comparator" not in quantity
        and type(code) is str
        and code
        and (unit is None or type(unit) is str)
    ):  # the common case: a decimal in UCUM (or with a unit of its own)
        return value, code if system == codes.UCUM else unit or code, None
    where = f"{where}.valueQuantity"
    number = number_at(quantity, "value", where)
    if system == codes.UCUM:
        unit = text_at(quantity, "code", where) or text_at(quantity, "unit", where)
    else:
        unit = text_at(quantity, "unit", where) or text_at(quantity, "code", where)
    # "<0.5": the number is kept for thresholds, the comparator in the text so it is not lost.
    comparator = text_at(quantity, "comparator", where)
    text = f"{comparator}{plain_number(number)}" if comparator and number is not None else None
    return number, unit, text


def _effective(resource: JSONObject, today: date) -> datetime | None:
    value = resource.get("effectiveDateTime")
    effective = cached_datetime(value) if type(value) is str and "effectivePeriod" not in resource else None
    if effective is None:  # not the common case: every form, and the field's name in a message
        period = object_at(resource, "effectivePeriod", "Observation") or {}
        effective = (
            optional_datetime(resource, "effectiveDateTime", "Observation")
            or optional_datetime(period, "start", "Observation.effectivePeriod")
            or optional_datetime(resource, "effectiveInstant", "Observation")
            or optional_datetime(resource, "issued", "Observation")
        )
        if effective is None:
            return None
    if effective.year < EARLIEST_OBSERVATION_YEAR:
        raise ResourceDoesNotFit("Observation.effective[x] is before 1900")
    if effective > latest_observation_moment(today):
        raise ResourceDoesNotFit("Observation.effective[x] is in the future")
    return effective


@functools.lru_cache(maxsize=4)
def latest_observation_moment(today: date) -> datetime:
    """The last moment a measurement may carry: tomorrow, whatever the time zones."""
    return datetime.combine(today + timedelta(days=2), datetime.min.time()) - timedelta(microseconds=1)


def _reference_range(element: JSONObject, where: str) -> tuple[float | None, float | None]:
    reference_range = first_object(element, "referenceRange", where)
    if reference_range is None:
        return None, None
    range_where = f"{where}.referenceRange[0]"
    low = object_at(reference_range, "low", range_where)
    high = object_at(reference_range, "high", range_where)
    return number_at(low, "value", f"{range_where}.low"), number_at(high, "value", f"{range_where}.high")
