"""From one FHIR R4 resource to the rows the store keeps (docs/fhir-mapping.md is the reader's guide).

Pure functions: no I/O, and "today" is passed in. ``map_resource`` returns None for resource types the
store does not keep and raises ``ResourceDoesNotFit`` for a well-formed resource that cannot be kept
(wrong shape, absurd value). Reasons name the field and the problem, never a value from the record.

The Patient, Condition, Encounter and ServiceRequest mappers are here; the drugs' and observations' beside
it (``drugmapping``, ``observationmapping``), and the field readers they share in ``fields``.
"""

import re
from collections.abc import Callable
from datetime import date
from typing import Final

from cockpit.fhir.drugmapping import map_medication, map_medication_request, map_medication_statement
from cockpit.fhir.fields import (
    coding_display,
    first_code,
    first_object,
    list_at,
    number_at,
    object_at,
    optional_date,
    optional_datetime,
    patient_reference,
    provenance,
    required_coding,
    text_at,
)
from cockpit.fhir.observationmapping import map_observation
from cockpit.fhir.types import JSONObject, MappedResource, ResourceDoesNotFit
from cockpit.models import codes
from cockpit.models.clinical import EncounterClass

Mapper = Callable[[JSONObject, date], MappedResource | None]


NO_NAME: Final = "(uden navn)"


EARLIEST_BIRTH_DATE: Final = date(1880, 1, 1)


HOURS_PER_WEEK_UNIT: Final = "h/wk"


HOME_CARE_CATEGORY: Final = (codes.SERVICE_CATEGORY, "home-care")


MAX_HOURS_PER_WEEK: Final = 168.0


_CPR = re.compile(r"([0-9]{6})-?([0-9]{4})")


# Part of every row's content hash: when the mapping changes, a re-import re-maps resources it has seen.
# 3: Medication resources, drugs named from the ATC catalogue; 4: the encounter's priority.
MAPPING_VERSION: Final = 4


GENDERS: Final = frozenset({"male", "female", "other", "unknown"})


HOSPITAL_SYSTEMS: Final = frozenset({codes.SKS, codes.SKS_D, codes.ICD10})


CONTACT_TYPES: Final = frozenset(
    {
        EncounterClass.GP_CONSULTATION,
        EncounterClass.PHONE,
        EncounterClass.EMAIL,
        EncounterClass.HOME_VISIT,
        EncounterClass.OUTPATIENT,
        EncounterClass.INPATIENT,
        EncounterClass.EMERGENCY,
    }
)


# HL7 v3 ActCode encounter classes, as hospitals and Synthea send them.
ACT_CODE_CLASSES: Final = {
    "AMB": EncounterClass.OUTPATIENT,
    "VR": EncounterClass.PHONE,
    "HH": EncounterClass.HOME_VISIT,
    "IMP": EncounterClass.INPATIENT,
    "ACUTE": EncounterClass.INPATIENT,
    "NONAC": EncounterClass.INPATIENT,
    "SS": EncounterClass.INPATIENT,
    "EMER": EncounterClass.EMERGENCY,
}


# Encounter.priority: HL7 v3 ActPriority (EM emergency, UR urgent, EL elective, R routine, ...),
# by URI or OID.
ACT_PRIORITY_SYSTEMS: Final = frozenset(
    {"http://terminology.hl7.org/CodeSystem/v3-ActPriority", "urn:oid:2.16.840.1.113883.5.7"}
)


MAX_PRIORITY_LENGTH: Final = 20  # encounters.priority


def map_resource(resource: JSONObject, today: date) -> MappedResource | None:
    """The store's rows for ``resource``, or None when the store does not keep its type."""
    resource_type = resource.get("resourceType")
    mapper = _MAPPERS.get(resource_type) if type(resource_type) is str else None
    return None if mapper is None else mapper(resource, today)


def _map_patient(resource: JSONObject, today: date) -> MappedResource:
    mapped = provenance(resource, "Patient", "patients", None)
    cpr = _cpr(resource)
    family, given, name = _names(resource)
    birth_date = _birth_date(resource, today)
    deceased, deceased_date = _deceased(resource)
    gp = first_object(resource, "generalPractitioner", "Patient")
    address = first_object(resource, "address", "Patient")
    search_parts = (
        name.lower() if name != NO_NAME else None,
        cpr,
        birth_date.isoformat() if birth_date else None,
    )
    mapped.rows.append(
        {
            "cpr": cpr,
            "family": family,
            "given": given,
            "name": name,
            "search_text": " ".join(part for part in search_parts if part),
            "birth_date": birth_date,
            "sex": _sex(resource),
            "gp_name": text_at(gp, "display", "Patient.generalPractitioner[0]"),
            "gp_identifier": _gp_identifier(gp),
            "municipality": text_at(address, "district", "Patient.address[0]")
            or text_at(address, "city", "Patient.address[0]"),
            "deceased": deceased,
            "deceased_date": deceased_date,
        }
    )
    return mapped


def _cpr(resource: JSONObject) -> str | None:
    for position, identifier in enumerate(list_at(resource, "identifier", "Patient")):
        if type(identifier) is not dict:
            raise ResourceDoesNotFit(f"Patient.identifier[{position}] is not an object")
        if identifier.get("system") != codes.CPR:
            continue
        value = text_at(identifier, "value", "Patient.identifier (CPR)")
        match = _CPR.fullmatch(value or "")
        if match is None:
            raise ResourceDoesNotFit("Patient.identifier (CPR) is not 10 digits")
        return match.group(1) + match.group(2)
    return None


def _names(resource: JSONObject) -> tuple[str | None, str | None, str]:
    """(family, given, display name) from the official name, else the first one."""
    names = list_at(resource, "name", "Patient")
    if any(type(name) is not dict for name in names):
        raise ResourceDoesNotFit("Patient.name is not a list of objects")
    chosen = next((name for name in names if name.get("use") == "official"), names[0] if names else None)
    if chosen is None:
        return None, None, NO_NAME
    family = text_at(chosen, "family", "Patient.name")
    given_parts = list_at(chosen, "given", "Patient.name")
    if any(type(part) is not str for part in given_parts):
        raise ResourceDoesNotFit("Patient.name.given is not a list of strings")
    given = " ".join(part for part in given_parts if part) or None
    full = " ".join(part for part in (given, family) if part)
    return family, given, full or text_at(chosen, "text", "Patient.name") or NO_NAME


def _birth_date(resource: JSONObject, today: date) -> date | None:
    birth_date = optional_date(resource, "birthDate", "Patient")
    if birth_date is None:
        return None
    if birth_date > today:
        raise ResourceDoesNotFit("Patient.birthDate is in the future")
    if birth_date < EARLIEST_BIRTH_DATE:
        raise ResourceDoesNotFit("Patient.birthDate is before 1880")
    return birth_date


def _sex(resource: JSONObject) -> str:
    gender = text_at(resource, "gender", "Patient")
    if gender is None:
        return "unknown"
    if gender not in GENDERS:
        raise ResourceDoesNotFit("Patient.gender is not a FHIR administrative gender")
    return gender


def _gp_identifier(gp: JSONObject | None) -> str | None:
    if gp is None:
        return None
    identifier = object_at(gp, "identifier", "Patient.generalPractitioner[0]")
    value = text_at(identifier, "value", "Patient.generalPractitioner[0].identifier")
    return value or text_at(gp, "reference", "Patient.generalPractitioner[0]")


def _deceased(resource: JSONObject) -> tuple[bool, date | None]:
    flag = resource.get("deceasedBoolean")
    if flag is not None and type(flag) is not bool:
        raise ResourceDoesNotFit("Patient.deceasedBoolean is not a boolean")
    deceased_date = optional_date(resource, "deceasedDateTime", "Patient")
    return bool(flag) or deceased_date is not None, deceased_date


def _map_condition(resource: JSONObject, _today: date) -> MappedResource:
    mapped = provenance(resource, "Condition", "conditions", patient_reference(resource, "Condition"))
    concept = object_at(resource, "code", "Condition")
    coding = required_coding(concept, codes.CONDITION_PREFERENCE, "Condition.code")
    system = coding["system"]
    onset_period = object_at(resource, "onsetPeriod", "Condition") or {}
    abatement_period = object_at(resource, "abatementPeriod", "Condition") or {}
    mapped.rows.append(
        {
            "code_system": system,
            "code": coding["code"],
            "display": coding_display(coding, concept, "Condition.code"),
            "onset": optional_date(resource, "onsetDateTime", "Condition")
            or optional_date(onset_period, "start", "Condition.onsetPeriod"),
            "abatement": optional_date(resource, "abatementDateTime", "Condition")
            or optional_date(abatement_period, "end", "Condition.abatementPeriod"),
            "clinical_status": first_code(
                object_at(resource, "clinicalStatus", "Condition"), "Condition.clinicalStatus"
            ),
            "verification_status": first_code(
                object_at(resource, "verificationStatus", "Condition"), "Condition.verificationStatus"
            ),
            "recorded_by": _recorded_by(system),
        }
    )
    return mapped


def _recorded_by(system: str) -> str | None:
    """ICPC-2 comes from the clinic system; SKS and ICD-10 diagnoses come from hospitals (LPR)."""
    if system == codes.ICPC2:
        return "gp"
    if system in HOSPITAL_SYSTEMS:
        return "hospital"
    return None


def _map_encounter(resource: JSONObject, _today: date) -> MappedResource:
    mapped = provenance(resource, "Encounter", "encounters", patient_reference(resource, "Encounter"))
    period = object_at(resource, "period", "Encounter") or {}
    start = optional_datetime(period, "start", "Encounter.period")
    end = optional_datetime(period, "end", "Encounter.period")
    if start is not None and end is not None and end < start:
        raise ResourceDoesNotFit("Encounter.period.end is before Encounter.period.start")
    types = list_at(resource, "type", "Encounter")
    if any(type(item) is not dict for item in types):
        raise ResourceDoesNotFit("Encounter.type is not a list of objects")
    provider = object_at(resource, "serviceProvider", "Encounter")
    reason = first_object(resource, "reasonCode", "Encounter")
    reason_coding = first_object(reason, "coding", "Encounter.reasonCode[0]") if reason else None
    mapped.rows.append(
        {
            "encounter_class": _encounter_class(resource, types),
            "status": text_at(resource, "status", "Encounter"),
            "priority": _encounter_priority(resource),
            "start": start,
            "end": end,
            "provider": text_at(provider, "display", "Encounter.serviceProvider")
            or text_at(provider, "reference", "Encounter.serviceProvider"),
            "type_display": _type_display(types),
            "reason_system": text_at(reason_coding, "system", "Encounter.reasonCode[0].coding[0]"),
            "reason_code": text_at(reason_coding, "code", "Encounter.reasonCode[0].coding[0]"),
            "reason_display": text_at(reason_coding, "display", "Encounter.reasonCode[0].coding[0]")
            or text_at(reason, "text", "Encounter.reasonCode[0]"),
        }
    )
    return mapped


def _encounter_class(resource: JSONObject, types: list[JSONObject]) -> str:
    """Our contact-type code in Encounter.type wins (a clinic system knows phone vs. e-mail); else the
    HL7 v3 ActCode in Encounter.class."""
    for position, concept in enumerate(types):
        for coding in list_at(concept, "coding", f"Encounter.type[{position}]"):
            if type(coding) is dict and coding.get("system") == codes.CONTACT_TYPE:
                code = coding.get("code")
                if type(code) is not str or code not in CONTACT_TYPES:
                    raise ResourceDoesNotFit("Encounter.type contact-type code is not a known contact type")
                return code
    act_code = text_at(object_at(resource, "class", "Encounter"), "code", "Encounter.class")
    return ACT_CODE_CLASSES.get(act_code or "", EncounterClass.OTHER).value


def _encounter_priority(resource: JSONObject) -> str | None:
    """The v3 ActPriority code of ``Encounter.priority`` (a CodeableConcept): the first coding in that
    system. A priority in another system, or a code too long to be one, is not kept (no priority: the
    indicators then treat the contact as acute, the cautious side)."""
    concept = object_at(resource, "priority", "Encounter")
    if concept is None:
        return None
    for position, coding in enumerate(list_at(concept, "coding", "Encounter.priority")):
        where = f"Encounter.priority.coding[{position}]"
        if type(coding) is not dict:
            raise ResourceDoesNotFit(f"{where} is not an object")
        if text_at(coding, "system", where) in ACT_PRIORITY_SYSTEMS:
            code = text_at(coding, "code", where)
            if code is not None and len(code) <= MAX_PRIORITY_LENGTH:
                return code
    return None


def _type_display(types: list[JSONObject]) -> str | None:
    if not types:
        return None
    first = types[0]
    coding = first_object(first, "coding", "Encounter.type[0]")
    return text_at(first, "text", "Encounter.type[0]") or text_at(
        coding, "display", "Encounter.type[0].coding[0]"
    )


def _map_service_request(resource: JSONObject, _today: date) -> MappedResource | None:
    """Home care only: a ServiceRequest with category service-category#home-care. Others are skipped."""
    if not _is_home_care(resource):
        return None
    where = "ServiceRequest"
    mapped = provenance(resource, where, "home_care_services", patient_reference(resource, where))
    concept = object_at(resource, "code", where)
    if concept is None:
        raise ResourceDoesNotFit(f"{where}.code is missing")
    coding = first_object(concept, "coding", f"{where}.code")
    display = coding_display(coding, concept, f"{where}.code")
    if not display or display.isspace():
        raise ResourceDoesNotFit(f"{where}.code has no display or text")
    period = object_at(resource, "occurrencePeriod", where) or {}
    mapped.rows.append(
        {
            "service_system": text_at(coding, "system", f"{where}.code.coding[0]"),
            "service_code": text_at(coding, "code", f"{where}.code.coding[0]"),
            "service_display": display,
            "hours_per_week": _hours_per_week(resource),
            "start": optional_date(period, "start", f"{where}.occurrencePeriod"),
            "end": optional_date(period, "end", f"{where}.occurrencePeriod"),
            "status": text_at(resource, "status", where),
            "provider": text_at(
                first_object(resource, "performer", where), "display", f"{where}.performer[0]"
            )
            or text_at(object_at(resource, "requester", where), "display", f"{where}.requester"),
        }
    )
    return mapped


def _is_home_care(resource: JSONObject) -> bool:
    for position, concept in enumerate(list_at(resource, "category", "ServiceRequest")):
        if type(concept) is not dict:
            raise ResourceDoesNotFit(f"ServiceRequest.category[{position}] is not an object")
        for coding in list_at(concept, "coding", f"ServiceRequest.category[{position}]"):
            if type(coding) is dict and (coding.get("system"), coding.get("code")) == HOME_CARE_CATEGORY:
                return True
    return False


def _hours_per_week(resource: JSONObject) -> float | None:
    where = "ServiceRequest.quantityQuantity"
    quantity = object_at(resource, "quantityQuantity", "ServiceRequest")
    if quantity is None:
        return None
    if HOURS_PER_WEEK_UNIT not in (quantity.get("unit"), quantity.get("code")):
        return None
    hours = number_at(quantity, "value", where)
    if hours is not None and not 0 <= hours <= MAX_HOURS_PER_WEEK:
        raise ResourceDoesNotFit(f"{where}.value is not between 0 and 168 hours per week")
    return hours


_MAPPERS: Final[dict[str, Mapper]] = {
    "Patient": _map_patient,
    "Condition": _map_condition,
    "MedicationStatement": map_medication_statement,
    "MedicationRequest": map_medication_request,
    "Medication": map_medication,
    "Observation": map_observation,
    "Encounter": _map_encounter,
    "ServiceRequest": _map_service_request,
}


KEPT_TYPES: Final = frozenset(_MAPPERS)
