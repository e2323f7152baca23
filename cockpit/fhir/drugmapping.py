"""MedicationStatement, MedicationRequest and Medication to rows: the drug by code, display or reference
(a Medication resource, contained or in the store), named from the ATC catalogue when it was sent
without a name, and its strength (docs/fhir-mapping.md)."""

import re
from datetime import date

from cockpit.codelists import atc
from cockpit.fhir.fields import (
    FHIR_ID,
    coding_display,
    first_object,
    list_at,
    number_at,
    object_at,
    optional_date,
    patient_reference,
    pick_coding,
    plain_number,
    provenance,
    text_at,
)
from cockpit.fhir.types import JSONObject, MappedResource, ResourceDoesNotFit
from cockpit.models import codes


def map_medication_statement(resource: JSONObject, _today: date) -> MappedResource:
    where = "MedicationStatement"
    mapped = provenance(resource, where, "medications", patient_reference(resource, where))
    period = object_at(resource, "effectivePeriod", where) or {}
    start = (
        optional_date(period, "start", f"{where}.effectivePeriod")
        or optional_date(resource, "effectiveDateTime", where)
        or optional_date(resource, "dateAsserted", where)
    )
    end = optional_date(period, "end", f"{where}.effectivePeriod")
    dosage = first_object(resource, "dosage", where)
    row = _medication_row(resource, where)
    row |= {
        "dosage_text": text_at(dosage, "text", f"{where}.dosage[0]"),
        "start": start,
        "end": end,
        "status": text_at(resource, "status", where),
    }
    mapped.rows.append(row)
    return mapped


def map_medication_request(resource: JSONObject, _today: date) -> MappedResource:
    where = "MedicationRequest"
    mapped = provenance(resource, where, "medications", patient_reference(resource, where))
    dispense = object_at(resource, "dispenseRequest", where) or {}
    validity = object_at(dispense, "validityPeriod", f"{where}.dispenseRequest") or {}
    dosage = first_object(resource, "dosageInstruction", where)
    row = _medication_row(resource, where)
    row |= {
        "dosage_text": text_at(dosage, "text", f"{where}.dosageInstruction[0]"),
        "start": optional_date(resource, "authoredOn", where),
        "end": optional_date(validity, "end", f"{where}.dispenseRequest.validityPeriod"),
        "status": text_at(resource, "status", where),
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
    concept = object_at(resource, "medicationCodeableConcept", where)
    strength = None
    concept_where = f"{where}.medicationCodeableConcept"
    reference = object_at(resource, "medicationReference", where)
    if concept is None and reference is not None:
        reference_where = f"{where}.medicationReference"
        target = text_at(reference, "reference", reference_where)
        if target is not None and target.startswith("#"):
            contained = _contained_medication(resource, target, where)
            concept = object_at(contained, "code", "Medication")
            concept_where = "Medication.code"
            strength = _strength(contained)
        elif target is not None and (medication_id := medication_reference_id(target)) is not None:
            display = text_at(reference, "display", reference_where)
            return {
                "code_system": None,
                "code": None,
                "drug_name": unresolved_drug_name(display),
                "strength": None,
                "medication_ref": medication_id,
                "name_source": atc.NAME_UNRESOLVED,
            }
    coding = pick_coding(concept, codes.MEDICATION_PREFERENCE, concept_where)
    drug_name = coding_display(coding, concept, concept_where) or text_at(
        reference, "display", f"{where}.medicationReference"
    )
    source = atc.NAME_SENT
    if (not drug_name or drug_name.isspace()) and coding is not None:
        drug_name, source = name_for_code(coding["system"], coding["code"])
    if not drug_name or drug_name.isspace():
        raise ResourceDoesNotFit(f"{where}.medication has no code, no text and no Medication reference")
    if strength is None:
        strength = _strength_from_text(drug_name, text_at(concept, "text", concept_where))
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


def map_medication(resource: JSONObject, _today: date) -> MappedResource:
    mapped = provenance(resource, "Medication", "medication_products", None)
    concept = object_at(resource, "code", "Medication")
    coding = pick_coding(concept, codes.MEDICATION_PREFERENCE, "Medication.code")
    drug_name = coding_display(coding, concept, "Medication.code")
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
            or _strength_from_text(drug_name, text_at(concept, "text", "Medication.code")),
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
    for item in list_at(resource, "contained", where):
        if type(item) is dict and item.get("resourceType") == "Medication" and item.get("id") == target[1:]:
            return item
    raise ResourceDoesNotFit(f"{where}.medicationReference points to no contained Medication")


def _strength(medication: JSONObject) -> str | None:
    """Strength as the GP reads it ("500 mg", "10 mg/mL"), else the dose form ("Tablet")."""
    ingredient = first_object(medication, "ingredient", "Medication")
    if ingredient is not None:
        ratio = object_at(ingredient, "strength", "Medication.ingredient[0]") or object_at(
            ingredient, "strengthRatio", "Medication.ingredient[0]"
        )
        if ratio is not None:
            text = _ratio_text(ratio)
            if text:
                return text
    form = object_at(medication, "form", "Medication")
    if form is None:
        return None
    return coding_display(first_object(form, "coding", "Medication.form"), form, "Medication.form")


def _ratio_text(ratio: JSONObject) -> str | None:
    numerator = _quantity_text(
        object_at(ratio, "numerator", "Medication.ingredient[0].strength"), "numerator"
    )
    if numerator is None:
        return None
    denominator = object_at(ratio, "denominator", "Medication.ingredient[0].strength")
    if denominator is None:
        return numerator
    value = number_at(denominator, "value", "Medication.ingredient[0].strength.denominator")
    unit = text_at(denominator, "unit", "Medication.ingredient[0].strength.denominator") or text_at(
        denominator, "code", "Medication.ingredient[0].strength.denominator"
    )
    # "per 1 tablet" says nothing; "per 1 mL" is "/mL"; "per 5 mL" stays.
    if unit is None or unit == "1" or unit.startswith("{"):
        return numerator
    if value is None or value == 1:
        return f"{numerator}/{unit}"
    return f"{numerator}/{plain_number(value)} {unit}"


def _quantity_text(quantity: JSONObject | None, name: str) -> str | None:
    if quantity is None:
        return None
    where = f"Medication.ingredient[0].strength.{name}"
    value = number_at(quantity, "value", where)
    if value is None:
        return None
    unit = text_at(quantity, "unit", where) or text_at(quantity, "code", where)
    return f"{plain_number(value)} {unit}" if unit else plain_number(value)
