"""From one FHIR R4 resource to the rows the store keeps (docs/fhir-mapping.md is the reader's guide).

Pure functions: no I/O, and "today" is passed in. ``map_resource`` returns None for resource types the
store does not keep and raises ``ResourceDoesNotFit`` for a well-formed resource that cannot be kept
(wrong shape, absurd value). Reasons name the field and the problem, never a value from the record.
"""

import functools
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Final

from cockpit.codelists import atc
from cockpit.fhir.types import JSONObject, MappedResource, ResourceDoesNotFit
from cockpit.models import codes
from cockpit.models.clinical import EncounterClass

Mapper = Callable[[JSONObject, date], MappedResource | None]

NO_NAME: Final = "(uden navn)"
EARLIEST_BIRTH_DATE: Final = date(1880, 1, 1)
EARLIEST_OBSERVATION_YEAR: Final = 1900
MAX_ABS_VALUE: Final = 1e9
HOURS_PER_WEEK_UNIT: Final = "h/wk"
HOME_CARE_CATEGORY: Final = (codes.SERVICE_CATEGORY, "home-care")
MAX_HOURS_PER_WEEK: Final = 168.0

FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_CPR = re.compile(r"([0-9]{6})-?([0-9]{4})")
# FHIR date / dateTime / instant: YYYY, YYYY-MM, YYYY-MM-DD, or a date with a time (seconds, fraction and
# offset optional here: FHIR requires them, but some senders leave them out and the meaning is clear).
_FHIR_DATETIME = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})"
    r"(T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)?)?)?)?",
    re.ASCII,
)

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


def map_resource(resource: JSONObject, today: date) -> MappedResource | None:
    """The store's rows for ``resource``, or None when the store does not keep its type."""
    resource_type = resource.get("resourceType")
    mapper = _MAPPERS.get(resource_type) if type(resource_type) is str else None
    return None if mapper is None else mapper(resource, today)


# --- dates -----------------------------------------------------------------------------------------


def parse_datetime(text: object, field: str) -> datetime:
    """A FHIR date, dateTime or instant as a naive UTC datetime (a date alone is midnight, a partial
    date the first day of its year or month; a time without an offset is taken as UTC)."""
    if type(text) is str:
        moment = cached_datetime(text)
        if moment is not None:
            return moment
    _match_fhir_datetime(text, field)  # names what is wrong: not a string, or not the form of a date
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
    match = _FHIR_DATETIME.fullmatch(text)
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
    match = _match_fhir_datetime(text, field)
    year, month, day = match.group(1, 2, 3)
    try:
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ResourceDoesNotFit(f"{field} is not a valid date") from None


def _match_fhir_datetime(text: object, field: str) -> re.Match[str]:
    if not isinstance(text, str):
        raise ResourceDoesNotFit(f"{field} is not a string")
    match = _FHIR_DATETIME.fullmatch(text)
    if match is None:
        raise ResourceDoesNotFit(f"{field} is not a valid FHIR date")
    return match


def _optional_datetime(parent: JSONObject, key: str, where: str) -> datetime | None:
    value = parent.get(key)
    if value is None:
        return None
    if type(value) is str:  # the hot path, without building the field's name
        moment = cached_datetime(value)
        if moment is not None:
            return moment
    return parse_datetime(value, f"{where}.{key}")


def _optional_date(parent: JSONObject, key: str, where: str) -> date | None:
    value = parent.get(key)
    return None if value is None else parse_date(value, f"{where}.{key}")


# --- shape checks: every accessor names the field when the shape is wrong ----------------------------


def _object(parent: JSONObject, key: str, where: str) -> JSONObject | None:
    value = parent.get(key)
    if value is None or type(value) is dict:
        return value
    raise ResourceDoesNotFit(f"{where}.{key} is not an object")


def _list(parent: JSONObject, key: str, where: str) -> list[Any]:
    value = parent.get(key)
    if value is None:
        return []
    if type(value) is list:
        return value
    raise ResourceDoesNotFit(f"{where}.{key} is not a list")


def _first_object(parent: JSONObject, key: str, where: str) -> JSONObject | None:
    items = _list(parent, key, where)
    if not items:
        return None
    first = items[0]
    if type(first) is not dict:
        raise ResourceDoesNotFit(f"{where}.{key}[0] is not an object")
    return first


def _text(parent: JSONObject | None, key: str, where: str) -> str | None:
    """A string element; an empty string counts as absent."""
    if parent is None:
        return None
    value = parent.get(key)
    if value is None:
        return None
    if type(value) is not str:
        raise ResourceDoesNotFit(f"{where}.{key} is not a string")
    return value or None


def _number(parent: JSONObject | None, key: str, where: str) -> float | None:
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


def _plain_number(value: float) -> str:
    """500.0 -> "500", 0.25 -> "0.25", 1000000.0 -> "1000000" (no exponent for ordinary doses)."""
    return f"{value:.10g}"


def _first_code(concept: JSONObject | None, where: str) -> str | None:
    """The code of the first coding of a CodeableConcept (e.g. a status)."""
    if concept is None:
        return None
    coding = _first_object(concept, "coding", where)
    return _text(coding, "code", f"{where}.coding[0]")


# --- identity and references -----------------------------------------------------------------------


def _provenance(
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
    if type(version) is not str or not version:  # absent, empty or the wrong type: _text decides
        version = _text(meta, "versionId", f"{resource_type}.meta")
    updated = meta.get("lastUpdated")
    last_updated = datetime_or_none(updated) if type(updated) is str else None
    if last_updated is None and updated is not None:  # the field's name only for a message
        last_updated = parse_datetime(updated, f"{resource_type}.meta.lastUpdated")
    return MappedResource(table, resource_type, fhir_id, version, last_updated, patient_ref)


def _patient_ref(resource: JSONObject, resource_type: str) -> str:
    """The Patient id from ``subject`` ("Patient/<id>", a relative literal reference)."""
    subject = resource.get("subject")
    if type(subject) is dict:  # the common, well-formed case without building any error text
        reference = subject.get("reference")
        if type(reference) is str and reference.startswith("Patient/"):
            patient_id = reference[8:]
            if FHIR_ID.fullmatch(patient_id) is not None:
                return patient_id
    where = f"{resource_type}.subject"
    subject = _object(resource, "subject", resource_type)
    if subject is None:
        raise ResourceDoesNotFit(f"{where} is missing")
    reference = _text(subject, "reference", where)
    if reference is None or not reference.startswith("Patient/"):
        raise ResourceDoesNotFit(f"{where} is not a Patient reference")
    patient_id = reference[len("Patient/") :]
    if FHIR_ID.fullmatch(patient_id) is None:
        raise ResourceDoesNotFit(f"{where} is not a Patient reference")
    return patient_id


# --- codings -----------------------------------------------------------------------------------------


def _pick_coding(concept: JSONObject | None, preference: tuple[str, ...], where: str) -> JSONObject | None:
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
    for position, coding in enumerate(_list(concept, "coding", where)):
        if type(coding) is not dict:
            raise ResourceDoesNotFit(f"{where}.coding[{position}] is not an object")
        system, code = coding.get("system"), coding.get("code")
        if type(system) is str and type(code) is str:  # the common case, without building a field name
            if system and code:
                usable.append(coding)
            continue
        item = f"{where}.coding[{position}]"
        if _text(coding, "system", item) and _text(coding, "code", item):
            usable.append(coding)
    if len(usable) == 1:
        return usable[0]
    for system in preference:
        for coding in usable:
            if coding["system"] == system:
                return coding
    return usable[0] if usable else None


def _required_coding(concept: JSONObject | None, preference: tuple[str, ...], where: str) -> JSONObject:
    coding = _pick_coding(concept, preference, where)
    if coding is None:
        raise ResourceDoesNotFit(f"{where} has no coding with a system and a code")
    return coding


def _coding_display(coding: JSONObject | None, concept: JSONObject | None, where: str) -> str | None:
    """What a person reads for a code: the coding's display, else the concept's text."""
    if coding is not None:
        display = coding.get("display")
        if type(display) is str and display:  # the common case, without building a field name
            return display
    display = _text(coding, "display", f"{where}.coding")
    return display or _text(concept, "text", where)


# --- Patient -------------------------------------------------------------------------------------------


def _map_patient(resource: JSONObject, today: date) -> MappedResource:
    mapped = _provenance(resource, "Patient", "patients", None)
    cpr = _cpr(resource)
    family, given, name = _names(resource)
    birth_date = _birth_date(resource, today)
    deceased, deceased_date = _deceased(resource)
    gp = _first_object(resource, "generalPractitioner", "Patient")
    address = _first_object(resource, "address", "Patient")
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
            "gp_name": _text(gp, "display", "Patient.generalPractitioner[0]"),
            "gp_identifier": _gp_identifier(gp),
            "municipality": _text(address, "district", "Patient.address[0]")
            or _text(address, "city", "Patient.address[0]"),
            "deceased": deceased,
            "deceased_date": deceased_date,
        }
    )
    return mapped


def _cpr(resource: JSONObject) -> str | None:
    for position, identifier in enumerate(_list(resource, "identifier", "Patient")):
        if type(identifier) is not dict:
            raise ResourceDoesNotFit(f"Patient.identifier[{position}] is not an object")
        if identifier.get("system") != codes.CPR:
            continue
        value = _text(identifier, "value", "Patient.identifier (CPR)")
        match = _CPR.fullmatch(value or "")
        if match is None:
            raise ResourceDoesNotFit("Patient.identifier (CPR) is not 10 digits")
        return match.group(1) + match.group(2)
    return None


def _names(resource: JSONObject) -> tuple[str | None, str | None, str]:
    """(family, given, display name) from the official name, else the first one."""
    names = _list(resource, "name", "Patient")
    if any(type(name) is not dict for name in names):
        raise ResourceDoesNotFit("Patient.name is not a list of objects")
    chosen = next((name for name in names if name.get("use") == "official"), names[0] if names else None)
    if chosen is None:
        return None, None, NO_NAME
    family = _text(chosen, "family", "Patient.name")
    given_parts = _list(chosen, "given", "Patient.name")
    if any(type(part) is not str for part in given_parts):
        raise ResourceDoesNotFit("Patient.name.given is not a list of strings")
    given = " ".join(part for part in given_parts if part) or None
    full = " ".join(part for part in (given, family) if part)
    return family, given, full or _text(chosen, "text", "Patient.name") or NO_NAME


def _birth_date(resource: JSONObject, today: date) -> date | None:
    birth_date = _optional_date(resource, "birthDate", "Patient")
    if birth_date is None:
        return None
    if birth_date > today:
        raise ResourceDoesNotFit("Patient.birthDate is in the future")
    if birth_date < EARLIEST_BIRTH_DATE:
        raise ResourceDoesNotFit("Patient.birthDate is before 1880")
    return birth_date


def _sex(resource: JSONObject) -> str:
    gender = _text(resource, "gender", "Patient")
    if gender is None:
        return "unknown"
    if gender not in GENDERS:
        raise ResourceDoesNotFit("Patient.gender is not a FHIR administrative gender")
    return gender


def _gp_identifier(gp: JSONObject | None) -> str | None:
    if gp is None:
        return None
    identifier = _object(gp, "identifier", "Patient.generalPractitioner[0]")
    value = _text(identifier, "value", "Patient.generalPractitioner[0].identifier")
    return value or _text(gp, "reference", "Patient.generalPractitioner[0]")


def _deceased(resource: JSONObject) -> tuple[bool, date | None]:
    flag = resource.get("deceasedBoolean")
    if flag is not None and type(flag) is not bool:
        raise ResourceDoesNotFit("Patient.deceasedBoolean is not a boolean")
    deceased_date = _optional_date(resource, "deceasedDateTime", "Patient")
    return bool(flag) or deceased_date is not None, deceased_date


# --- Condition -----------------------------------------------------------------------------------------


def _map_condition(resource: JSONObject, _today: date) -> MappedResource:
    mapped = _provenance(resource, "Condition", "conditions", _patient_ref(resource, "Condition"))
    concept = _object(resource, "code", "Condition")
    coding = _required_coding(concept, codes.CONDITION_PREFERENCE, "Condition.code")
    system = coding["system"]
    onset_period = _object(resource, "onsetPeriod", "Condition") or {}
    abatement_period = _object(resource, "abatementPeriod", "Condition") or {}
    mapped.rows.append(
        {
            "code_system": system,
            "code": coding["code"],
            "display": _coding_display(coding, concept, "Condition.code"),
            "onset": _optional_date(resource, "onsetDateTime", "Condition")
            or _optional_date(onset_period, "start", "Condition.onsetPeriod"),
            "abatement": _optional_date(resource, "abatementDateTime", "Condition")
            or _optional_date(abatement_period, "end", "Condition.abatementPeriod"),
            "clinical_status": _first_code(
                _object(resource, "clinicalStatus", "Condition"), "Condition.clinicalStatus"
            ),
            "verification_status": _first_code(
                _object(resource, "verificationStatus", "Condition"), "Condition.verificationStatus"
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


# --- MedicationStatement / MedicationRequest -----------------------------------------------------------


def _map_medication_statement(resource: JSONObject, _today: date) -> MappedResource:
    where = "MedicationStatement"
    mapped = _provenance(resource, where, "medications", _patient_ref(resource, where))
    period = _object(resource, "effectivePeriod", where) or {}
    start = (
        _optional_date(period, "start", f"{where}.effectivePeriod")
        or _optional_date(resource, "effectiveDateTime", where)
        or _optional_date(resource, "dateAsserted", where)
    )
    end = _optional_date(period, "end", f"{where}.effectivePeriod")
    dosage = _first_object(resource, "dosage", where)
    row = _medication_row(resource, where)
    row |= {
        "dosage_text": _text(dosage, "text", f"{where}.dosage[0]"),
        "start": start,
        "end": end,
        "status": _text(resource, "status", where),
    }
    mapped.rows.append(row)
    return mapped


def _map_medication_request(resource: JSONObject, _today: date) -> MappedResource:
    where = "MedicationRequest"
    mapped = _provenance(resource, where, "medications", _patient_ref(resource, where))
    dispense = _object(resource, "dispenseRequest", where) or {}
    validity = _object(dispense, "validityPeriod", f"{where}.dispenseRequest") or {}
    dosage = _first_object(resource, "dosageInstruction", where)
    row = _medication_row(resource, where)
    row |= {
        "dosage_text": _text(dosage, "text", f"{where}.dosageInstruction[0]"),
        "start": _optional_date(resource, "authoredOn", where),
        "end": _optional_date(validity, "end", f"{where}.dispenseRequest.validityPeriod"),
        "status": _text(resource, "status", where),
    }
    mapped.rows.append(row)
    return mapped


def _medication_row(resource: JSONObject, where: str) -> JSONObject:
    """code_system, code, drug_name, strength and medication_ref: from medicationCodeableConcept, a contained
    Medication (``medicationReference`` "#id"), a Medication resource of its own (``medicationReference``
    "Medication/<id>": the importer resolves it from ``medication_products``; until then the drug is
    "Ukendt lægemiddel") or, failing all, the reference's display text. A coded drug sent without a name is
    named from the ATC catalogue (or by its code). Only a drug with no code, no text and no reference does
    not fit."""
    concept = _object(resource, "medicationCodeableConcept", where)
    strength = None
    concept_where = f"{where}.medicationCodeableConcept"
    reference = _object(resource, "medicationReference", where)
    if concept is None and reference is not None:
        reference_where = f"{where}.medicationReference"
        target = _text(reference, "reference", reference_where)
        if target is not None and target.startswith("#"):
            contained = _contained_medication(resource, target, where)
            concept = _object(contained, "code", "Medication")
            concept_where = "Medication.code"
            strength = _strength(contained)
        elif target is not None and (medication_id := medication_reference_id(target)) is not None:
            display = _text(reference, "display", reference_where)
            return {
                "code_system": None,
                "code": None,
                "drug_name": unresolved_drug_name(display),
                "strength": None,
                "medication_ref": medication_id,
                "name_source": atc.NAME_UNRESOLVED,
            }
    coding = _pick_coding(concept, codes.MEDICATION_PREFERENCE, concept_where)
    drug_name = _coding_display(coding, concept, concept_where) or _text(
        reference, "display", f"{where}.medicationReference"
    )
    source = atc.NAME_SENT
    if (not drug_name or drug_name.isspace()) and coding is not None:
        drug_name, source = name_for_code(coding["system"], coding["code"])
    if not drug_name or drug_name.isspace():
        raise ResourceDoesNotFit(f"{where}.medication has no code, no text and no Medication reference")
    if strength is None:
        strength = _strength_from_text(drug_name, _text(concept, "text", concept_where))
    return {
        "code_system": coding["system"] if coding else None,
        "code": coding["code"] if coding else None,
        "drug_name": drug_name,
        "strength": strength,
        "medication_ref": None,
        "name_source": source,
    }


def name_for_code(system: str, code: str) -> tuple[str, str]:
    """(name, name_source) of a drug sent with a code and no name: from the ATC catalogue for an ATC code,
    else the code itself."""
    return atc.named(code) if system == codes.ATC else (code, atc.NAME_CODE)


def unresolved_drug_name(display: str | None) -> str:
    """What a drug named by a Medication reference is called until that Medication is in the store."""
    display = display.strip() if display else None
    return f"{atc.UNKNOWN_DRUG} ({display})" if display else atc.UNKNOWN_DRUG


_MEDICATION_REFERENCE = re.compile(r"(?:.*/)?Medication/([A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?")
_URN_UUID = "urn:uuid:"


def medication_reference_id(target: str) -> str | None:
    """The id of the Medication a reference names: "Medication/<id>", a full URL ending so (a version
    "/_history/<v>" is ignored), or a Bundle's "urn:uuid:<uuid>" (the Medication sent with that uuid as its
    id); None for a reference to anything else."""
    match = _MEDICATION_REFERENCE.fullmatch(target)
    if match is not None:
        return match.group(1)
    if target.startswith(_URN_UUID) and FHIR_ID.fullmatch(target[len(_URN_UUID) :]) is not None:
        return target[len(_URN_UUID) :]
    return None


# --- Medication (a drug that statements and requests name by reference) -----------------------------------


def _map_medication(resource: JSONObject, _today: date) -> MappedResource:
    mapped = _provenance(resource, "Medication", "medication_products", None)
    concept = _object(resource, "code", "Medication")
    coding = _pick_coding(concept, codes.MEDICATION_PREFERENCE, "Medication.code")
    drug_name = _coding_display(coding, concept, "Medication.code")
    source = atc.NAME_SENT
    if (not drug_name or drug_name.isspace()) and coding is not None:
        drug_name, source = name_for_code(coding["system"], coding["code"])
    if not drug_name or drug_name.isspace():
        raise ResourceDoesNotFit("Medication.code has no coding and no text")
    mapped.rows.append(
        {
            "code_system": coding["system"] if coding else None,
            "code": coding["code"] if coding else None,
            "drug_name": drug_name,
            "strength": _strength(resource)
            or _strength_from_text(drug_name, _text(concept, "text", "Medication.code")),
            "name_source": source,
        }
    )
    return mapped


def _strength_from_text(drug_name: str, text: str | None) -> str | None:
    """Danish drug texts name the product and then its strength ("Metformin 500 mg"): when the text is
    the coded name followed by more, that remainder is the strength."""
    if text is None or not text.startswith(drug_name + " "):
        return None
    rest = text[len(drug_name) :].strip()
    return rest if rest and any(ch.isdigit() for ch in rest) else None


def _contained_medication(resource: JSONObject, target: str, where: str) -> JSONObject:
    for item in _list(resource, "contained", where):
        if type(item) is dict and item.get("resourceType") == "Medication" and item.get("id") == target[1:]:
            return item
    raise ResourceDoesNotFit(f"{where}.medicationReference points to no contained Medication")


def _strength(medication: JSONObject) -> str | None:
    """Strength as the GP reads it ("500 mg", "10 mg/mL"), else the dose form ("Tablet")."""
    ingredient = _first_object(medication, "ingredient", "Medication")
    if ingredient is not None:
        ratio = _object(ingredient, "strength", "Medication.ingredient[0]") or _object(
            ingredient, "strengthRatio", "Medication.ingredient[0]"
        )
        if ratio is not None:
            text = _ratio_text(ratio)
            if text:
                return text
    form = _object(medication, "form", "Medication")
    if form is None:
        return None
    return _coding_display(_first_object(form, "coding", "Medication.form"), form, "Medication.form")


def _ratio_text(ratio: JSONObject) -> str | None:
    numerator = _quantity_text(_object(ratio, "numerator", "Medication.ingredient[0].strength"), "numerator")
    if numerator is None:
        return None
    denominator = _object(ratio, "denominator", "Medication.ingredient[0].strength")
    if denominator is None:
        return numerator
    value = _number(denominator, "value", "Medication.ingredient[0].strength.denominator")
    unit = _text(denominator, "unit", "Medication.ingredient[0].strength.denominator") or _text(
        denominator, "code", "Medication.ingredient[0].strength.denominator"
    )
    # "per 1 tablet" says nothing; "per 1 mL" is "/mL"; "per 5 mL" stays.
    if unit is None or unit == "1" or unit.startswith("{"):
        return numerator
    if value is None or value == 1:
        return f"{numerator}/{unit}"
    return f"{numerator}/{_plain_number(value)} {unit}"


def _quantity_text(quantity: JSONObject | None, name: str) -> str | None:
    if quantity is None:
        return None
    where = f"Medication.ingredient[0].strength.{name}"
    value = _number(quantity, "value", where)
    if value is None:
        return None
    unit = _text(quantity, "unit", where) or _text(quantity, "code", where)
    return f"{_plain_number(value)} {unit}" if unit else _plain_number(value)


# --- Observation ---------------------------------------------------------------------------------------


def _map_observation(resource: JSONObject, today: date) -> MappedResource:
    mapped = _provenance(resource, "Observation", "observations", _patient_ref(resource, "Observation"))
    effective = _effective(resource, today)
    status = _text(resource, "status", "Observation")
    interpretation = (
        None
        if resource.get("interpretation") is None
        else _first_code(
            _first_object(resource, "interpretation", "Observation"), "Observation.interpretation[0]"
        )
    )
    components = _list(resource, "component", "Observation")
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
    concept = _object(element, "code", where)
    code_where = "Observation.code" if part == 0 else f"{where}.code"
    coding = _required_coding(concept, codes.OBSERVATION_PREFERENCE, code_where)
    value_num, unit, value_text = _observation_value(element, where)
    return {
        "part": part,
        "code_system": coding["system"],
        "code": coding["code"],
        "display": _coding_display(coding, concept, code_where),
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
    concept = _object(element, "valueCodeableConcept", where)
    if concept is not None:
        coding_where = f"{where}.valueCodeableConcept"
        coding = _first_object(concept, "coding", coding_where)
        text = (
            _text(coding, "display", f"{coding_where}.coding[0]")
            or _text(concept, "text", coding_where)
            or _text(coding, "code", f"{coding_where}.coding[0]")
        )
        return None, None, text
    if "valueString" in element:
        return None, None, _text(element, "valueString", where)
    if "valueInteger" in element:
        value = element["valueInteger"]
        if type(value) is not int:
            raise ResourceDoesNotFit(f"{where}.valueInteger is not an integer")
        return _number(element, "valueInteger", where), None, None
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
    number = _number(quantity, "value", where)
    if system == codes.UCUM:
        unit = _text(quantity, "code", where) or _text(quantity, "unit", where)
    else:
        unit = _text(quantity, "unit", where) or _text(quantity, "code", where)
    # "<0.5": the number is kept for thresholds, the comparator in the text so it is not lost.
    comparator = _text(quantity, "comparator", where)
    text = f"{comparator}{_plain_number(number)}" if comparator and number is not None else None
    return number, unit, text


def _effective(resource: JSONObject, today: date) -> datetime | None:
    value = resource.get("effectiveDateTime")
    effective = cached_datetime(value) if type(value) is str and "effectivePeriod" not in resource else None
    if effective is None:  # not the common case: every form, and the field's name in a message
        period = _object(resource, "effectivePeriod", "Observation") or {}
        effective = (
            _optional_datetime(resource, "effectiveDateTime", "Observation")
            or _optional_datetime(period, "start", "Observation.effectivePeriod")
            or _optional_datetime(resource, "effectiveInstant", "Observation")
            or _optional_datetime(resource, "issued", "Observation")
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
    reference_range = _first_object(element, "referenceRange", where)
    if reference_range is None:
        return None, None
    range_where = f"{where}.referenceRange[0]"
    low = _object(reference_range, "low", range_where)
    high = _object(reference_range, "high", range_where)
    return _number(low, "value", f"{range_where}.low"), _number(high, "value", f"{range_where}.high")


# --- Encounter -----------------------------------------------------------------------------------------


def _map_encounter(resource: JSONObject, _today: date) -> MappedResource:
    mapped = _provenance(resource, "Encounter", "encounters", _patient_ref(resource, "Encounter"))
    period = _object(resource, "period", "Encounter") or {}
    start = _optional_datetime(period, "start", "Encounter.period")
    end = _optional_datetime(period, "end", "Encounter.period")
    if start is not None and end is not None and end < start:
        raise ResourceDoesNotFit("Encounter.period.end is before Encounter.period.start")
    types = _list(resource, "type", "Encounter")
    if any(type(item) is not dict for item in types):
        raise ResourceDoesNotFit("Encounter.type is not a list of objects")
    provider = _object(resource, "serviceProvider", "Encounter")
    reason = _first_object(resource, "reasonCode", "Encounter")
    reason_coding = _first_object(reason, "coding", "Encounter.reasonCode[0]") if reason else None
    mapped.rows.append(
        {
            "encounter_class": _encounter_class(resource, types),
            "status": _text(resource, "status", "Encounter"),
            "priority": _encounter_priority(resource),
            "start": start,
            "end": end,
            "provider": _text(provider, "display", "Encounter.serviceProvider")
            or _text(provider, "reference", "Encounter.serviceProvider"),
            "type_display": _type_display(types),
            "reason_system": _text(reason_coding, "system", "Encounter.reasonCode[0].coding[0]"),
            "reason_code": _text(reason_coding, "code", "Encounter.reasonCode[0].coding[0]"),
            "reason_display": _text(reason_coding, "display", "Encounter.reasonCode[0].coding[0]")
            or _text(reason, "text", "Encounter.reasonCode[0]"),
        }
    )
    return mapped


def _encounter_class(resource: JSONObject, types: list[JSONObject]) -> str:
    """Our contact-type code in Encounter.type wins (a clinic system knows phone vs. e-mail); else the
    HL7 v3 ActCode in Encounter.class."""
    for position, concept in enumerate(types):
        for coding in _list(concept, "coding", f"Encounter.type[{position}]"):
            if type(coding) is dict and coding.get("system") == codes.CONTACT_TYPE:
                code = coding.get("code")
                if type(code) is not str or code not in CONTACT_TYPES:
                    raise ResourceDoesNotFit("Encounter.type contact-type code is not a known contact type")
                return code
    act_code = _text(_object(resource, "class", "Encounter"), "code", "Encounter.class")
    return ACT_CODE_CLASSES.get(act_code or "", EncounterClass.OTHER).value


def _encounter_priority(resource: JSONObject) -> str | None:
    """The v3 ActPriority code of ``Encounter.priority`` (a CodeableConcept): the first coding in that
    system. A priority in another system, or a code too long to be one, is not kept (no priority: the
    indicators then treat the contact as acute, the cautious side)."""
    concept = _object(resource, "priority", "Encounter")
    if concept is None:
        return None
    for position, coding in enumerate(_list(concept, "coding", "Encounter.priority")):
        where = f"Encounter.priority.coding[{position}]"
        if type(coding) is not dict:
            raise ResourceDoesNotFit(f"{where} is not an object")
        if _text(coding, "system", where) in ACT_PRIORITY_SYSTEMS:
            code = _text(coding, "code", where)
            if code is not None and len(code) <= MAX_PRIORITY_LENGTH:
                return code
    return None


def _type_display(types: list[JSONObject]) -> str | None:
    if not types:
        return None
    first = types[0]
    coding = _first_object(first, "coding", "Encounter.type[0]")
    return _text(first, "text", "Encounter.type[0]") or _text(
        coding, "display", "Encounter.type[0].coding[0]"
    )


# --- ServiceRequest (municipal home care) ----------------------------------------------------------------


def _map_service_request(resource: JSONObject, _today: date) -> MappedResource | None:
    """Home care only: a ServiceRequest with category service-category#home-care. Others are skipped."""
    if not _is_home_care(resource):
        return None
    where = "ServiceRequest"
    mapped = _provenance(resource, where, "home_care_services", _patient_ref(resource, where))
    concept = _object(resource, "code", where)
    if concept is None:
        raise ResourceDoesNotFit(f"{where}.code is missing")
    coding = _first_object(concept, "coding", f"{where}.code")
    display = _coding_display(coding, concept, f"{where}.code")
    if not display or display.isspace():
        raise ResourceDoesNotFit(f"{where}.code has no display or text")
    period = _object(resource, "occurrencePeriod", where) or {}
    mapped.rows.append(
        {
            "service_system": _text(coding, "system", f"{where}.code.coding[0]"),
            "service_code": _text(coding, "code", f"{where}.code.coding[0]"),
            "service_display": display,
            "hours_per_week": _hours_per_week(resource),
            "start": _optional_date(period, "start", f"{where}.occurrencePeriod"),
            "end": _optional_date(period, "end", f"{where}.occurrencePeriod"),
            "status": _text(resource, "status", where),
            "provider": _text(_first_object(resource, "performer", where), "display", f"{where}.performer[0]")
            or _text(_object(resource, "requester", where), "display", f"{where}.requester"),
        }
    )
    return mapped


def _is_home_care(resource: JSONObject) -> bool:
    for position, concept in enumerate(_list(resource, "category", "ServiceRequest")):
        if type(concept) is not dict:
            raise ResourceDoesNotFit(f"ServiceRequest.category[{position}] is not an object")
        for coding in _list(concept, "coding", f"ServiceRequest.category[{position}]"):
            if type(coding) is dict and (coding.get("system"), coding.get("code")) == HOME_CARE_CATEGORY:
                return True
    return False


def _hours_per_week(resource: JSONObject) -> float | None:
    where = "ServiceRequest.quantityQuantity"
    quantity = _object(resource, "quantityQuantity", "ServiceRequest")
    if quantity is None:
        return None
    if HOURS_PER_WEEK_UNIT not in (quantity.get("unit"), quantity.get("code")):
        return None
    hours = _number(quantity, "value", where)
    if hours is not None and not 0 <= hours <= MAX_HOURS_PER_WEEK:
        raise ResourceDoesNotFit(f"{where}.value is not between 0 and 168 hours per week")
    return hours


_MAPPERS: Final[dict[str, Mapper]] = {
    "Patient": _map_patient,
    "Condition": _map_condition,
    "MedicationStatement": _map_medication_statement,
    "MedicationRequest": _map_medication_request,
    "Medication": _map_medication,
    "Observation": _map_observation,
    "Encounter": _map_encounter,
    "ServiceRequest": _map_service_request,
}

KEPT_TYPES: Final = frozenset(_MAPPERS)
