"""The simulated facts as FHIR R4 resources, in the shapes cockpit/fhir/mapping.py reads.

Every resource carries the HTEST security tag ("test health data"), versionId "1" and a lastUpdated taken
from the as-of date, never from the clock.
"""

from collections.abc import Iterator
from datetime import date, datetime
from functools import cache
from typing import Any, Final

from cockpit.demo import vocabulary as vocab
from cockpit.demo.dates import local_datetime
from cockpit.demo.record import (
    BloodPressure,
    CodingStyle,
    Contact,
    Diagnosis,
    HomeCare,
    PatientRecord,
    Practice,
    Prescription,
    Result,
    SmokingStatus,
)
from cockpit.models import codes

Resource = dict[str, Any]


class ResourceContext:
    """What every resource of one run shares: the meta block and the practice."""

    def __init__(self, practice: Practice, as_of: date) -> None:
        self.practice = practice
        self.last_updated = last_updated(as_of)
        self.meta: Final = {"versionId": "1", "lastUpdated": self.last_updated, "tag": [vocab.HTEST.coding()]}
        self.practice_provider: Final = {"reference": f"Organization/{practice.id}", "display": practice.name}
        # One Medication resource per drug of the vocabulary (ids "<tag>-d001"...), for the patients whose
        # drug list refers to Medication resources instead of naming the drug in each statement.
        tag = practice.id.removesuffix("-practice")
        self.medication_ids: Final = {
            atc: f"{tag}-d{number:03d}" for number, atc in enumerate(vocab.DRUGS, 1)
        }
        self.medication_references: Final = {
            atc: {"reference": f"Medication/{rid}"} for atc, rid in self.medication_ids.items()
        }


def last_updated(as_of: date) -> str:
    """Midnight UTC at the start of the as-of date: after every generated event (they end the day before)."""
    return f"{as_of.isoformat()}T00:00:00Z"


@cache
def concept(code: vocab.Code) -> Resource:
    """A CodeableConcept (shared between resources: never mutate it)."""
    return {"coding": [code.coding()], "text": code.display}


@cache
def _coding_list(code: vocab.Code) -> Resource:
    return {"coding": [code.coding()]}


def _quantity(value: float, unit: str, ucum: str) -> Resource:
    return {"value": value, "unit": unit, "system": codes.UCUM, "code": ucum}


def _subject(record: PatientRecord) -> Resource:
    return {"reference": f"Patient/{record.person.id}"}


def practitioners(context: ResourceContext) -> Iterator[Resource]:
    for gp in context.practice.gps:
        yield {
            "resourceType": "Practitioner",
            "id": gp.id,
            "meta": context.meta,
            "active": True,
            "identifier": [{"system": codes.YDERNUMMER, "value": gp.ydernummer}],
            "name": [{"use": "official", "family": gp.family, "given": [gp.given], "text": gp.name}],
        }


def organization(context: ResourceContext) -> Resource:
    practice = context.practice
    return {
        "resourceType": "Organization",
        "id": practice.id,
        "meta": context.meta,
        "active": True,
        "name": practice.name,
        "address": [
            {
                "use": "work",
                "line": [practice.street],
                "postalCode": practice.postal_code,
                "city": practice.city,
                "district": practice.municipality,
                "country": "DK",
            }
        ],
    }


def medications(context: ResourceContext) -> Iterator[Resource]:
    """The practice's drug catalogue as Medication resources (ATC code with display, and the product text)."""
    for atc, rid in context.medication_ids.items():
        yield {
            "resourceType": "Medication",
            "id": rid,
            "meta": context.meta,
            "status": "active",
            "code": _medication_concept(vocab.DRUGS[atc]),
        }


def patient_resources(record: PatientRecord, context: ResourceContext) -> Iterator[tuple[str, Resource]]:
    """(resource type, resource) for everything known about one patient."""
    yield "Patient", _patient(record, context)
    pid = record.person.id
    subject = _subject(record)
    for number, diagnosis in enumerate(sorted(record.diagnoses, key=lambda d: (d.onset, d.code.code)), 1):
        yield "Condition", _condition(f"{pid}-c{number}", subject, diagnosis, context)
    for number, prescription in enumerate(
        sorted(record.prescriptions, key=lambda p: (p.start, p.drug.atc)), 1
    ):
        yield "MedicationStatement", _medication(f"{pid}-m{number}", subject, prescription, record, context)
    for number, observation in enumerate(_observations(record, subject, context), 1):
        observation["id"] = f"{pid}-o{number}"
        yield "Observation", observation
    for number, contact in enumerate(record.contacts, 1):
        yield "Encounter", _encounter(f"{pid}-e{number}", subject, contact, context)
    for number, care in enumerate(record.home_care, 1):
        yield (
            "ServiceRequest",
            _home_care(f"{pid}-s{number}", subject, care, record.person.municipality, context),
        )


def _patient(record: PatientRecord, context: ResourceContext) -> Resource:
    person = record.person
    gp = person.gp
    return {
        "resourceType": "Patient",
        "id": person.id,
        "meta": context.meta,
        "identifier": [{"system": codes.CPR, "value": person.cpr}],
        "active": True,
        "name": [
            {
                "use": "official",
                "family": person.family,
                "given": person.given,
                "text": f"{' '.join(person.given)} {person.family}",
            }
        ],
        "gender": "male" if person.male else "female",
        "birthDate": person.birth_date.isoformat(),
        "address": [
            {
                "use": "home",
                "type": "physical",
                "line": [person.street],
                "postalCode": person.postal_code,
                "city": person.city,
                "district": person.municipality,
                "country": "DK",
            }
        ],
        "generalPractitioner": [
            {
                "reference": f"Practitioner/{gp.id}",
                "display": gp.name,
                "identifier": {"system": codes.YDERNUMMER, "value": gp.ydernummer},
            }
        ],
        "managingOrganization": context.practice_provider,
    }


def _condition(rid: str, subject: Resource, diagnosis: Diagnosis, context: ResourceContext) -> Resource:
    resource: Resource = {
        "resourceType": "Condition",
        "id": rid,
        "meta": context.meta,
        "clinicalStatus": _coding_list(vocab.ACTIVE if diagnosis.abatement is None else vocab.RESOLVED),
        "verificationStatus": _coding_list(vocab.CONFIRMED),
        "category": [_coding_list(vocab.ENCOUNTER_DIAGNOSIS)],
        "code": concept(diagnosis.code),
        "subject": subject,
        "onsetDateTime": diagnosis.onset.isoformat(),
        "recordedDate": diagnosis.onset.isoformat(),
    }
    if diagnosis.abatement is not None:
        resource["abatementDateTime"] = diagnosis.abatement.isoformat()
    return resource


@cache
def _medication_concept(drug: vocab.Drug) -> Resource:
    return {"coding": [drug.code().coding()], "text": drug.text}


@cache
def _code_only(drug: vocab.Drug) -> Resource:
    """The ATC code alone, without display or text (as some systems send it)."""
    return {"coding": [{"system": codes.ATC, "code": drug.atc}]}


@cache
def _dosage(drug: vocab.Drug) -> list[Resource]:
    return [{"text": drug.dosage}]


def _medication(
    rid: str, subject: Resource, prescription: Prescription, record: PatientRecord, context: ResourceContext
) -> Resource:
    drug, style = prescription.drug, record.coding
    resource: Resource = {
        "resourceType": "MedicationStatement",
        "id": rid,
        "meta": context.meta,
        "status": "active" if prescription.end is None else "completed",
        "subject": subject,
        "dosage": _dosage(drug),
    }
    if style.drugs == "reference":
        resource["medicationReference"] = context.medication_references[drug.atc]
    elif style.drugs == "atc_only":
        resource["medicationCodeableConcept"] = _code_only(drug)
    else:
        resource["medicationCodeableConcept"] = _medication_concept(drug)
    if prescription.end is None and drug.course_days == 0 and style.fmk_without_start:
        return resource  # an FMK-style list: the drug is current, since when is not sent
    period = {"start": prescription.start.isoformat()}
    if prescription.end is not None:
        period["end"] = prescription.end.isoformat()
    resource["effectivePeriod"] = period
    return resource


def _observations(record: PatientRecord, subject: Resource, context: ResourceContext) -> Iterator[Resource]:
    """All observations of a patient in time order (ids are given by the caller)."""
    items: list[tuple[datetime, int, Result | BloodPressure | SmokingStatus]] = [
        *((result.when, 0, result) for result in record.results),
        *((bp.when, 1, bp) for bp in record.blood_pressures),
        *((status.when, 2, status) for status in record.smoking_records),
    ]
    items.sort(key=lambda item: (item[0], item[1], _sort_code(item[2])))
    style = record.coding
    for when, _, item in items:
        effective = local_datetime(when)
        if isinstance(item, Result):
            yield _measurement(subject, item, effective, record, context)
        elif isinstance(item, BloodPressure):
            yield from _blood_pressure(subject, item, effective, style, context)
        else:
            yield _smoking(subject, item, effective, context)


def _sort_code(item: Result | BloodPressure | SmokingStatus) -> str:
    return item.measure.code.code if isinstance(item, Result) else ""


def _base_observation(
    subject: Resource, category: str, code: Resource, effective: str, context: ResourceContext
) -> Resource:
    return {
        "resourceType": "Observation",
        "id": "",
        "meta": context.meta,
        "status": "final",
        "category": [_coding_list(vocab.OBSERVATION_CATEGORIES[category])],
        "code": code,
        "subject": subject,
        "effectiveDateTime": effective,
    }


def _number(value: float, decimals: int) -> float:
    return int(value) if decimals == 0 else round(value, decimals)


def _measure_code(measure: vocab.Measure, style: CodingStyle) -> vocab.Code:
    """The code this patient's systems send a measurement with (vocabulary.VITAL_CODES)."""
    if measure.key in _STYLED:
        return vocab.VITAL_CODES[(style.vitals, measure.key)]
    if measure.key == "fev1" and style.medcom_spirometry:
        return vocab.VITAL_CODES[("medcom", "fev1")]
    return measure.code


_STYLED: Final = frozenset({"weight", "bmi", "systolic", "diastolic"})


def _unit(measure: vocab.Measure, style: CodingStyle) -> tuple[str, str]:
    """(unit text, unit code): UCUM, or the other spelling this patient's lab uses."""
    if style.other_unit_spelling:
        other = vocab.UNIT_SPELLINGS.get(measure.ucum)
        if other is not None:
            return other, other
    return measure.unit, measure.ucum


def _measurement(
    subject: Resource, result: Result, effective: str, record: PatientRecord, context: ResourceContext
) -> Resource:
    male, style = record.person.male, record.coding
    measure = result.measure
    code = _measure_code(measure, style)
    resource = _base_observation(subject, measure.category, concept(code), effective, context)
    value = _number(result.value, measure.decimals)
    unit, ucum = _unit(measure, style)
    resource["valueQuantity"] = _quantity(value, unit, ucum)
    low, high = measure.reference.get("male" if male else "female", (None, None))
    if low is not None or high is not None:
        reference: Resource = {}
        if low is not None:
            reference["low"] = _quantity(low, unit, ucum)
        if high is not None:
            reference["high"] = _quantity(high, unit, ucum)
        resource["referenceRange"] = [reference]
        if low is not None and value < low:
            resource["interpretation"] = [_coding_list(vocab.LOW)]
        elif high is not None and value > high:
            resource["interpretation"] = [_coding_list(vocab.HIGH)]
    return resource


def _blood_pressure(
    subject: Resource, bp: BloodPressure, effective: str, style: CodingStyle, context: ResourceContext
) -> Iterator[Resource]:
    """A panel (LOINC 85354-9) with systolic and diastolic components, or two Observations; home
    readings always as two Observations with MedCom codes."""
    systolic, diastolic = vocab.MEASURES["systolic"], vocab.MEASURES["diastolic"]
    source = "home" if bp.home else style.vitals
    parts = (
        (vocab.VITAL_CODES[(source, "systolic")], _quantity(bp.systolic, systolic.unit, systolic.ucum)),
        (vocab.VITAL_CODES[(source, "diastolic")], _quantity(bp.diastolic, diastolic.unit, diastolic.ucum)),
    )
    if style.bp_panel and not bp.home:
        resource = _base_observation(
            subject, "vital-signs", concept(vocab.BLOOD_PRESSURE_PANEL), effective, context
        )
        resource["component"] = [{"code": concept(code), "valueQuantity": value} for code, value in parts]
        yield resource
        return
    for code, value in parts:
        resource = _base_observation(subject, "vital-signs", concept(code), effective, context)
        resource["valueQuantity"] = value
        yield resource


def _smoking(subject: Resource, status: SmokingStatus, effective: str, context: ResourceContext) -> Resource:
    resource = _base_observation(subject, "social-history", concept(vocab.SMOKING_STATUS), effective, context)
    resource["valueCodeableConcept"] = concept(status.status)
    return resource


def _encounter(rid: str, subject: Resource, contact: Contact, context: ResourceContext) -> Resource:
    resource: Resource = {
        "resourceType": "Encounter",
        "id": rid,
        "meta": context.meta,
        "status": "finished",
        "class": vocab.ACT_CODES[vocab.CONTACT_CLASS[contact.kind]].coding(),
        "type": [concept(vocab.CONTACT_TYPES[contact.kind])],
        "subject": subject,
        "period": {"start": local_datetime(contact.start), "end": local_datetime(contact.end)},
        "serviceProvider": context.practice_provider
        if contact.provider is None
        else {"display": contact.provider},
    }
    if contact.emergency is not None:
        resource["priority"] = _coding_list(
            vocab.EMERGENCY_PRIORITY if contact.emergency else vocab.ELECTIVE_PRIORITY
        )
    if contact.kind == "inpatient":
        days = (contact.end.date() - contact.start.date()).days
        resource["length"] = _quantity(days, "døgn", "d")
    if contact.reason is not None:
        resource["reasonCode"] = [concept(contact.reason)]
    return resource


def _home_care(
    rid: str, subject: Resource, care: HomeCare, municipality: str, context: ResourceContext
) -> Resource:
    period = {"start": care.start.isoformat()}
    if care.end is not None:
        period["end"] = care.end.isoformat()
    resource: Resource = {
        "resourceType": "ServiceRequest",
        "id": rid,
        "meta": context.meta,
        "status": "active" if care.end is None else "completed",
        "intent": "order",
        "category": [_coding_list(vocab.HOME_CARE_CATEGORY)],
        "code": concept(care.service),
        "subject": subject,
        "occurrencePeriod": period,
        "authoredOn": care.start.isoformat(),
        "performer": [{"display": f"{municipality} Kommune"}],
    }
    if care.hours_per_week is not None:
        resource["quantityQuantity"] = _quantity(care.hours_per_week, "h/wk", "h/wk")
    return resource
