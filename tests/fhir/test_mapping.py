"""Mapping FHIR resources to store rows: hand-checked rows for the Danish examples and small hand-written
resources, and "does not fit" (with a reason that names the field, never a value) for wrong shapes and
absurd values."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.fhir.fields import parse_date, parse_datetime
from cockpit.fhir.mapping import map_resource
from cockpit.fhir.reader import ResourceStream
from cockpit.fhir.types import JSONObject, MappedResource, ResourceDoesNotFit
from cockpit.models import codes

FHIR_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "fhir-data"
SYNTHEA = FHIR_DATA / "synthea-r4-100"
DK_EXAMPLES = FHIR_DATA / "dk-examples"

TODAY = date(2025, 6, 1)
SUBJECT = {"reference": "Patient/p1"}
SECRET = "Jensen"  # stands for patient data: never in a reason


def _map(resource: JSONObject) -> MappedResource:
    mapped = map_resource(resource, TODAY)
    assert mapped is not None
    return mapped


def _row(resource: JSONObject) -> JSONObject:
    (row,) = _map(resource).rows
    return row


def _does_not_fit(resource: JSONObject) -> str:
    with pytest.raises(ResourceDoesNotFit) as caught:
        map_resource(resource, TODAY)
    reason = caught.value.reason
    assert SECRET not in reason
    return reason


def _coding(system: str, code: str, display: str | None = None) -> JSONObject:
    coding = {"system": system, "code": code}
    if display is not None:
        coding["display"] = display
    return coding


def _patient(**fields: Any) -> JSONObject:
    return {"resourceType": "Patient", "id": "p1", **fields}


def _condition(*codings: JSONObject, **fields: Any) -> JSONObject:
    return {
        "resourceType": "Condition",
        "id": "c1",
        "subject": SUBJECT,
        "code": {"coding": list(codings)},
        **fields,
    }


def _observation(**fields: Any) -> JSONObject:
    return {
        "resourceType": "Observation",
        "id": "o1",
        "status": "final",
        "subject": SUBJECT,
        "code": {"coding": [_coding(codes.NPU, "NPU03230", "P-Kalium")]},
        "effectiveDateTime": "2024-03-01T08:30:00+01:00",
        **fields,
    }


def _quantity(value: Any, unit: str = "mmol/L") -> JSONObject:
    return {"value": value, "system": codes.UCUM, "code": unit}


def _encounter(**fields: Any) -> JSONObject:
    return {"resourceType": "Encounter", "id": "e1", "status": "finished", "subject": SUBJECT, **fields}


def _home_care(**fields: Any) -> JSONObject:
    """The documented representation (docs/fhir-mapping.md)."""
    return {
        "resourceType": "ServiceRequest",
        "id": "hc1",
        "status": "active",
        "intent": "order",
        "category": [{"coding": [_coding(codes.SERVICE_CATEGORY, "home-care")]}],
        "code": {"coding": [_coding(codes.HOME_CARE_SERVICE, "personal-care", "Personlig pleje")]},
        "subject": SUBJECT,
        "quantityQuantity": {"value": 3.5, "unit": "h/wk"},
        "occurrencePeriod": {"start": "2024-01-15"},
        "performer": [{"display": "Aarhus Kommune, Hjemmeplejen"}],
        **fields,
    }


# --- the real data -----------------------------------------------------------------------------------


def _dk_examples() -> dict[str, MappedResource]:
    mapped = (map_resource(raw.resource, TODAY) for raw in ResourceStream(DK_EXAMPLES))
    return {resource.fhir_id: resource for resource in mapped if resource is not None}


def test_danish_patient_keeps_cpr_name_and_gp() -> None:
    john = _dk_examples()["john"]

    assert (john.table, john.fhir_type, john.patient_ref) == ("patients", "Patient", None)
    assert john.rows == [
        {
            "cpr": "1112640001",
            "family": "Meyerhofen",
            "given": "John Christian",
            "name": "John Christian Meyerhofen",
            "search_text": "john christian meyerhofen 1112640001 1964-12-11",
            "birth_date": date(1964, 12, 11),
            "sex": "male",
            "gp_name": "Charlottenlund Lægehus",
            "gp_identifier": "487341000016005",
            "municipality": None,
            "deceased": False,
            "deceased_date": None,
        }
    ]


def test_danish_condition_keeps_sks_code_from_the_hospital() -> None:
    diabetes = _dk_examples()["JohnDiabetes"]

    assert (diabetes.table, diabetes.patient_ref) == ("conditions", "john")
    assert diabetes.rows == [
        {
            "code_system": "urn:oid:1.2.208.176.2.4.12",
            "code": "DE11",
            "display": "Type 2-diabetes",
            "onset": date(2020, 2, 20),
            "abatement": None,
            "clinical_status": "active",
            "verification_status": "confirmed",
            "recorded_by": "hospital",
        }
    ]


def test_danish_potassium_keeps_npu_value_and_unit() -> None:
    potassium = _dk_examples()["ElseKalium"]

    assert (potassium.table, potassium.patient_ref) == ("observations", "else")
    (row,) = potassium.rows
    assert (row["part"], row["code_system"], row["code"]) == (0, codes.NPU, "NPU03230")
    assert (row["value_num"], row["unit"], row["value_text"]) == (3.0, "mmol/L", None)
    assert row["effective"] == datetime(2023, 9, 15, 9, 15)
    assert row["status"] == "final"


def test_every_synthea_resource_maps_or_is_skipped() -> None:
    tables: Counter[str] = Counter()
    rows = 0
    skipped = 0
    for raw in ResourceStream(SYNTHEA):
        mapped = map_resource(raw.resource, TODAY)
        if mapped is None:
            skipped += 1
            continue
        tables[mapped.table] += 1
        rows += len(mapped.rows)
    # Counts from shared/fhir-data/README.md; Claims, Procedures, etc. are not kept.
    assert tables == {
        "patients": 100,
        "observations": 16315,
        "encounters": 3697,
        "medications": 2386,
        "conditions": 639,
    }
    assert skipped == 38472 - sum(tables.values())
    assert rows > 16315 + 3697 + 2386 + 639 + 100  # blood pressures give two rows


# --- common to every kept type -----------------------------------------------------------------------


def test_provenance_comes_from_id_and_meta() -> None:
    mapped = _map(
        _condition(
            _coding(codes.ICPC2, "T90"), meta={"versionId": "3", "lastUpdated": "2024-05-01T10:00:00+02:00"}
        )
    )

    assert (mapped.fhir_id, mapped.fhir_version) == ("c1", "3")
    assert mapped.last_updated == datetime(2024, 5, 1, 8, 0)


@pytest.mark.parametrize("bad_id", [None, "", 17, "a b", "x" * 65, "æøå"])
def test_an_invalid_id_does_not_fit(bad_id: object) -> None:
    resource = _condition(_coding(codes.ICPC2, "T90"), id=bad_id)
    if bad_id is None:
        del resource["id"]
    assert _does_not_fit(resource) == "Condition.id is missing or not a valid FHIR id"


def test_sixty_four_character_id_fits() -> None:
    assert _map(_condition(_coding(codes.ICPC2, "T90"), id="A-b.9" + "x" * 59)).fhir_id.endswith("x")


@pytest.mark.parametrize(
    ("subject", "reason"),
    [
        (None, "Condition.subject is missing"),
        ("Patient/p1", "Condition.subject is not an object"),
        ({"reference": "Group/g1"}, "Condition.subject is not a Patient reference"),
        ({"reference": "urn:uuid:5f1c"}, "Condition.subject is not a Patient reference"),
        ({"reference": "Patient/"}, "Condition.subject is not a Patient reference"),
        ({"display": SECRET}, "Condition.subject is not a Patient reference"),
    ],
)
def test_a_resource_without_a_patient_subject_does_not_fit(subject: object, reason: str) -> None:
    resource = _condition(_coding(codes.ICPC2, "T90"), subject=subject)
    if subject is None:
        del resource["subject"]
    assert _does_not_fit(resource) == reason


@pytest.mark.parametrize("resource_type", ["Claim", "Practitioner", "Procedure", "Bundle"])
def test_types_the_store_does_not_keep_are_none(resource_type: str) -> None:
    assert map_resource({"resourceType": resource_type, "id": "x"}, TODAY) is None


# --- Patient ---------------------------------------------------------------------------------------------


def test_patient_cpr_with_dash_and_official_name() -> None:
    row = _row(
        _patient(
            identifier=[{"system": "urn:other", "value": "1"}, {"system": codes.CPR, "value": "020191-9990"}],
            name=[
                {"use": "usual", "given": ["Elsa"]},
                {"use": "official", "family": "Lauridsen", "given": ["Else", "Test"]},
            ],
            birthDate="1991-02-02",
            gender="female",
            address=[{"city": "Aarhus", "district": "Aarhus Kommune"}],
            generalPractitioner=[{"reference": "Organization/lægehus", "display": "Lægehuset"}],
            deceasedDateTime="2024-02-03T10:00:00+01:00",
        )
    )

    assert row["cpr"] == "0201919990"
    assert (row["family"], row["given"], row["name"]) == ("Lauridsen", "Else Test", "Else Test Lauridsen")
    assert row["search_text"] == "else test lauridsen 0201919990 1991-02-02"
    assert (row["municipality"], row["gp_name"], row["gp_identifier"]) == (
        "Aarhus Kommune",
        "Lægehuset",
        "Organization/lægehus",
    )
    assert (row["deceased"], row["deceased_date"]) == (True, date(2024, 2, 3))


def test_patient_without_cpr_name_birth_date_or_gender() -> None:
    row = _row(_patient())

    assert (row["cpr"], row["name"], row["search_text"], row["sex"]) == (None, "(uden navn)", "", "unknown")
    assert (row["birth_date"], row["deceased"], row["municipality"]) == (None, False, None)


def test_patient_name_falls_back_to_first_name_then_text() -> None:
    assert _row(_patient(name=[{"given": ["Ib"], "family": "Holm"}, {"family": "X"}]))["name"] == "Ib Holm"
    assert _row(_patient(name=[{"text": "Ib Holm"}]))["name"] == "Ib Holm"


@pytest.mark.parametrize("cpr", ["020191999", "02019199901", "0201-919990", "02O1919990", 201919990, ""])
def test_patient_cpr_that_is_not_ten_digits_does_not_fit(cpr: object) -> None:
    reason = _does_not_fit(_patient(identifier=[{"system": codes.CPR, "value": cpr}]))

    assert reason.startswith("Patient.identifier (CPR)")
    assert str(cpr) not in reason or cpr == ""


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"birthDate": "2025-06-02"}, "Patient.birthDate is in the future"),
        ({"birthDate": "1879-12-31"}, "Patient.birthDate is before 1880"),
        ({"birthDate": "1990-02-30"}, "Patient.birthDate is not a valid date"),
        ({"birthDate": "02-02-1991"}, "Patient.birthDate is not a valid FHIR date"),
        ({"birthDate": 1991}, "Patient.birthDate is not a string"),
        ({"gender": "M"}, "Patient.gender is not a FHIR administrative gender"),
        ({"name": {"family": SECRET}}, "Patient.name is not a list"),
        ({"name": [{"given": SECRET}]}, "Patient.name.given is not a list"),
        ({"deceasedBoolean": "yes"}, "Patient.deceasedBoolean is not a boolean"),
        ({"address": [SECRET]}, "Patient.address[0] is not an object"),
    ],
)
def test_patient_with_wrong_shape_or_absurd_value_does_not_fit(fields: JSONObject, reason: str) -> None:
    assert _does_not_fit(_patient(**fields)) == reason


def test_patient_born_today_fits() -> None:
    assert _row(_patient(birthDate=TODAY.isoformat()))["birth_date"] == TODAY


# --- Condition -------------------------------------------------------------------------------------------


def test_condition_prefers_icpc2_recorded_by_the_gp() -> None:
    row = _row(
        _condition(
            _coding(codes.SNOMED, "44054006", "Diabetes mellitus type 2"),
            _coding(codes.ICPC2, "T90", "Diabetes type 2"),
            onsetPeriod={"start": "2019-05"},
            abatementDateTime="2023-01-02T23:30:00-05:00",
        )
    )

    assert (row["code_system"], row["code"], row["display"]) == (codes.ICPC2, "T90", "Diabetes type 2")
    assert row["recorded_by"] == "gp"
    assert (row["onset"], row["abatement"]) == (date(2019, 5, 1), date(2023, 1, 2))


@pytest.mark.parametrize(
    ("system", "recorded_by"),
    [(codes.SKS, "hospital"), (codes.ICD10, "hospital"), (codes.SNOMED, None), ("urn:local", None)],
)
def test_condition_recorded_by_follows_the_code_system(system: str, recorded_by: str | None) -> None:
    assert _row(_condition(_coding(system, "X1")))["recorded_by"] == recorded_by


def test_condition_display_falls_back_to_code_text() -> None:
    resource = _condition(_coding(codes.ICPC2, "R96"))
    resource["code"]["text"] = "Astma"
    assert _row(resource)["display"] == "Astma"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ({"text": "Diabetes"}, "Condition.code has no coding with a system and a code"),
        ({"coding": [{"code": "T90"}]}, "Condition.code has no coding with a system and a code"),
        ({"coding": "T90"}, "Condition.code.coding is not a list"),
        ({"coding": ["T90"]}, "Condition.code.coding[0] is not an object"),
        ("T90", "Condition.code is not an object"),
    ],
)
def test_condition_without_a_usable_coding_does_not_fit(code: object, reason: str) -> None:
    assert _does_not_fit(_condition(code=code)) == reason


def test_condition_without_code_does_not_fit() -> None:
    resource = _condition()
    del resource["code"]
    assert _does_not_fit(resource) == "Condition.code has no coding with a system and a code"


# --- MedicationStatement / MedicationRequest -------------------------------------------------------------


def test_medication_request_prefers_atc_and_reads_dates_and_dosage() -> None:
    mapped = _map(
        {
            "resourceType": "MedicationRequest",
            "id": "m1",
            "status": "active",
            "subject": SUBJECT,
            "medicationCodeableConcept": {
                "coding": [
                    _coding(codes.RXNORM, "860975", "metformin 500 MG"),
                    _coding(codes.ATC, "A10BA02", "Metformin"),
                ]
            },
            "authoredOn": "2024-02-01T09:00:00+01:00",
            "dosageInstruction": [{"text": "1 tablet 2 gange daglig"}],
            "dispenseRequest": {"validityPeriod": {"start": "2024-02-01", "end": "2025-02-01"}},
        }
    )

    assert (mapped.table, mapped.fhir_type, mapped.patient_ref) == ("medications", "MedicationRequest", "p1")
    assert mapped.rows == [
        {
            "code_system": codes.ATC,
            "code": "A10BA02",
            "drug_name": "Metformin",
            "strength": None,
            "medication_ref": None,
            "name_source": "sent",
            "dosage_text": "1 tablet 2 gange daglig",
            "start": date(2024, 2, 1),
            "end": date(2025, 2, 1),
            "status": "active",
        }
    ]


def _statement(**fields: Any) -> JSONObject:
    return {
        "resourceType": "MedicationStatement",
        "id": "s1",
        "status": "active",
        "subject": SUBJECT,
        **fields,
    }


def test_medication_statement_with_contained_medication_and_strength() -> None:
    row = _row(
        _statement(
            contained=[
                {
                    "resourceType": "Medication",
                    "id": "med",
                    "code": {"coding": [_coding(codes.ATC, "N02BE01", "Paracetamol")]},
                    "form": {"text": "Tablet"},
                    "ingredient": [
                        {
                            "strength": {
                                "numerator": {"value": 500, "unit": "mg"},
                                "denominator": {"value": 1, "unit": "{tablet}"},
                            }
                        }
                    ],
                }
            ],
            medicationReference={"reference": "#med"},
            effectivePeriod={"start": "2023-11-01", "end": "2024-01-31"},
            dosage=[{"text": "2 tabletter ved behov"}],
        )
    )

    assert (row["code_system"], row["code"], row["drug_name"]) == (codes.ATC, "N02BE01", "Paracetamol")
    assert (row["strength"], row["dosage_text"]) == ("500 mg", "2 tabletter ved behov")
    assert (row["start"], row["end"]) == (date(2023, 11, 1), date(2024, 1, 31))


@pytest.mark.parametrize(
    ("ingredient", "form", "strength"),
    [
        (
            {
                "strength": {
                    "numerator": {"value": 10, "unit": "mg"},
                    "denominator": {"value": 1, "unit": "mL"},
                }
            },
            None,
            "10 mg/mL",
        ),
        (
            {
                "strength": {
                    "numerator": {"value": 250, "code": "mg"},
                    "denominator": {"value": 5, "code": "mL"},
                }
            },
            None,
            "250 mg/5 mL",
        ),
        ({"strengthRatio": {"numerator": {"value": 1000000, "unit": "IE"}}}, None, "1000000 IE"),
        (None, {"coding": [{"display": "Oral suspension"}]}, "Oral suspension"),
        (None, None, None),
    ],
)
def test_contained_medication_strength_as_the_gp_reads_it(
    ingredient: JSONObject | None, form: JSONObject | None, strength: str | None
) -> None:
    medication: JSONObject = {"resourceType": "Medication", "id": "m", "code": {"text": "Noget"}}
    if ingredient is not None:
        medication["ingredient"] = [ingredient]
    if form is not None:
        medication["form"] = form
    row = _row(_statement(contained=[medication], medicationReference={"reference": "#m"}))

    assert (row["drug_name"], row["code"], row["strength"]) == ("Noget", None, strength)


def test_medication_statement_dates_fall_back_to_effective_date_then_date_asserted() -> None:
    concept = {"medicationCodeableConcept": {"text": "Magnyl"}}
    assert _row(_statement(**concept, effectiveDateTime="2024-03-04"))["start"] == date(2024, 3, 4)
    assert _row(_statement(**concept, dateAsserted="2024-03-05T12:00:00Z"))["start"] == date(2024, 3, 5)


def test_medication_named_only_by_a_reference_display_without_a_medication() -> None:
    row = _row(_statement(medicationReference={"display": "Furix 40 mg"}))
    assert (row["code_system"], row["code"], row["drug_name"]) == (None, None, "Furix 40 mg")
    assert row["medication_ref"] is None


@pytest.mark.parametrize(
    ("reference", "medication_id"),
    [
        ("Medication/m9", "m9"),
        ("https://fhir.example.dk/r4/Medication/m9", "m9"),
        ("Medication/m9/_history/3", "m9"),
        ("urn:uuid:0b6a1a8e-3c1f-4a53-9d0e-5f1a2b3c4d5e", "0b6a1a8e-3c1f-4a53-9d0e-5f1a2b3c4d5e"),
    ],
)
def test_a_medication_reference_is_kept_until_the_importer_resolves_it(
    reference: str, medication_id: str
) -> None:
    row = _row(_statement(medicationReference={"reference": reference, "display": "Furix 40 mg"}))
    assert (row["code_system"], row["code"], row["strength"]) == (None, None, None)
    assert (row["drug_name"], row["medication_ref"]) == ("Ukendt lægemiddel (Furix 40 mg)", medication_id)
    assert row["name_source"] == "unresolved"
    bare = _row(_statement(medicationReference={"reference": reference}))
    assert (bare["drug_name"], bare["medication_ref"]) == ("Ukendt lægemiddel", medication_id)


def test_a_reference_to_something_else_than_a_medication_keeps_its_display() -> None:
    row = _row(_statement(medicationReference={"reference": "Substance/x1", "display": "Furix"}))
    assert (row["drug_name"], row["medication_ref"], row["code"]) == ("Furix", None, None)
    reason = _does_not_fit(_statement(medicationReference={"reference": "Substance/x1"}))
    assert reason == "MedicationStatement.medication has no code, no text and no Medication reference"


@pytest.mark.parametrize(
    ("coding", "text", "name", "source"),
    [
        # the catalogue's Danish name of the code itself
        (_coding(codes.ATC, "C10AA05"), None, "Atorvastatin", "catalogue"),
        (_coding(codes.ATC, "M01AE01", ""), None, "Ibuprofen", "catalogue"),
        (_coding(codes.ATC, "B01AF02", "  "), None, "Apixaban", "catalogue"),
        # not in the catalogue: the nearest level above that is, with the code
        (_coding(codes.ATC, "C10AA99"), None, "Statiner (C10AA99)", "catalogue"),
        (_coding(codes.ATC, "C10ZZ01"), None, "Lipidmodificerende midler (C10ZZ01)", "catalogue"),
        # nothing known at all: the code itself; another system: the code itself
        (_coding(codes.ATC, "Z99ZZ99"), None, "Z99ZZ99", "code"),
        (_coding(codes.RXNORM, "197361"), None, "197361", "code"),
        # a display or a text the sender gave wins, even when it is the catalogue's name
        (_coding(codes.ATC, "C10AA05", "Lipitor"), None, "Lipitor", "sent"),
        (_coding(codes.ATC, "C10AA05", "Atorvastatin"), None, "Atorvastatin", "sent"),
        (_coding(codes.ATC, "C10AA05"), "Atorvastatin Krka 40 mg", "Atorvastatin Krka 40 mg", "sent"),
    ],
)
def test_a_coded_drug_without_a_name_is_named_from_the_atc_catalogue(
    coding: JSONObject, text: str | None, name: str, source: str
) -> None:
    concept: JSONObject = {"coding": [coding]}
    if text is not None:
        concept["text"] = text
    row = _row(_statement(medicationCodeableConcept=concept))
    assert (row["code_system"], row["code"], row["drug_name"]) == (coding["system"], coding["code"], name)
    assert row["name_source"] == source


def test_a_contained_medication_without_a_display_is_named_from_the_catalogue() -> None:
    medication = {
        "resourceType": "Medication",
        "id": "m",
        "code": {"coding": [_coding(codes.ATC, "C03CA01")]},
    }
    row = _row(_statement(contained=[medication], medicationReference={"reference": "#m"}))
    assert (row["code"], row["drug_name"], row["medication_ref"]) == ("C03CA01", "Furosemid", None)


def test_a_medication_resource_is_a_product_without_a_patient() -> None:
    mapped = _map(
        {
            "resourceType": "Medication",
            "id": "med-7",
            "meta": {"versionId": "2"},
            "code": {"coding": [_coding(codes.RXNORM, "1"), _coding(codes.ATC, "B01AA03")]},
            "ingredient": [{"strength": {"numerator": {"value": 2.5, "unit": "mg"}}}],
        }
    )
    assert (mapped.table, mapped.fhir_type, mapped.fhir_id, mapped.patient_ref) == (
        "medication_products",
        "Medication",
        "med-7",
        None,
    )
    assert mapped.rows == [
        {
            "code_system": codes.ATC,
            "code": "B01AA03",
            "drug_name": "Warfarin",
            "strength": "2.5 mg",
            "name_source": "catalogue",
        }
    ]
    texted = _row({"resourceType": "Medication", "id": "m2", "code": {"text": "Pinex 500 mg"}})
    assert (texted["code"], texted["drug_name"], texted["strength"]) == (None, "Pinex 500 mg", None)
    reason = _does_not_fit({"resourceType": "Medication", "id": "m3", "form": {"text": SECRET}})
    assert reason == "Medication.code has no coding and no text"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({}, "MedicationStatement.medication has no code, no text and no Medication reference"),
        (
            {"medicationCodeableConcept": {"text": " "}},
            "MedicationStatement.medication has no code, no text and no Medication reference",
        ),
        (
            {"medicationReference": {"reference": "#gone"}},
            "MedicationStatement.medicationReference points to no contained Medication",
        ),
        (
            {"medicationCodeableConcept": [SECRET]},
            "MedicationStatement.medicationCodeableConcept is not an object",
        ),
        (
            {"medicationCodeableConcept": {"text": "X"}, "dosage": {"text": SECRET}},
            "MedicationStatement.dosage is not a list",
        ),
    ],
)
def test_medication_that_does_not_fit(fields: JSONObject, reason: str) -> None:
    assert _does_not_fit(_statement(**fields)) == reason


# --- Observation -----------------------------------------------------------------------------------------


def test_blood_pressure_components_become_parts_one_and_two() -> None:
    mapped = _map(
        _observation(
            code={"coding": [_coding(codes.LOINC, "85354-9", "Blood pressure panel")]},
            component=[
                {
                    "code": {"coding": [_coding(codes.LOINC, "8480-6", "Systolic")]},
                    "valueQuantity": _quantity(142, "mm[Hg]"),
                },
                {
                    "code": {"coding": [_coding(codes.LOINC, "8462-4", "Diastolic")]},
                    "valueQuantity": _quantity(91, "mm[Hg]"),
                },
            ],
        )
    )

    assert [(row["part"], row["code"], row["value_num"], row["unit"]) for row in mapped.rows] == [
        (1, "8480-6", 142.0, "mm[Hg]"),
        (2, "8462-4", 91.0, "mm[Hg]"),
    ]
    assert {row["effective"] for row in mapped.rows} == {datetime(2024, 3, 1, 7, 30)}


def test_observation_with_a_value_and_components_keeps_part_zero() -> None:
    mapped = _map(
        _observation(
            valueQuantity=_quantity(4.1),
            component=[{"code": {"coding": [_coding(codes.LOINC, "1-1")]}, "valueString": "hæmolyse"}],
        )
    )
    assert [(row["part"], row["value_num"], row["value_text"]) for row in mapped.rows] == [
        (0, 4.1, None),
        (1, None, "hæmolyse"),
    ]


def test_observation_prefers_npu_and_keeps_range_interpretation_and_status() -> None:
    row = _row(
        _observation(
            code={
                "coding": [
                    _coding(codes.LOINC, "2823-3", "Potassium"),
                    _coding(codes.NPU, "NPU03230", "P-Kalium"),
                ]
            },
            valueQuantity={"value": 5.9, "unit": "mmol/l", "system": codes.UCUM, "code": "mmol/L"},
            referenceRange=[{"low": {"value": 3.5}, "high": {"value": 4.6}}],
            interpretation=[{"coding": [{"code": "H"}]}],
            status="amended",
        )
    )

    assert (row["code_system"], row["code"], row["display"]) == (codes.NPU, "NPU03230", "P-Kalium")
    assert (row["value_num"], row["unit"]) == (5.9, "mmol/L")
    assert (row["ref_low"], row["ref_high"], row["interpretation"], row["status"]) == (
        3.5,
        4.6,
        "H",
        "amended",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"valueQuantity": {"value": 7, "unit": "celler/µl", "code": "x"}}, (7.0, "celler/µl", None)),
        (
            {"valueQuantity": {"value": 0.5, "comparator": "<", "system": codes.UCUM, "code": "mg/L"}},
            (0.5, "mg/L", "<0.5"),
        ),
        (
            {"valueCodeableConcept": {"coding": [{"code": "POS", "display": "Positiv"}]}},
            (None, None, "Positiv"),
        ),
        ({"valueCodeableConcept": {"text": "Negativ", "coding": [{"code": "NEG"}]}}, (None, None, "Negativ")),
        ({"valueCodeableConcept": {"coding": [{"code": "NEG"}]}}, (None, None, "NEG")),
        ({"valueString": "Se notat"}, (None, None, "Se notat")),
        ({"valueInteger": 3}, (3.0, None, None)),
        ({"valueBoolean": False}, (None, None, "false")),
        ({"valueSampledData": {"data": "1 2 3"}}, (None, None, None)),
        ({}, (None, None, None)),
    ],
)
def test_observation_value_kinds(value: JSONObject, expected: tuple[object, ...]) -> None:
    row = _row(_observation(**value))
    assert (row["value_num"], row["unit"], row["value_text"]) == expected


@pytest.mark.parametrize(
    ("fields", "effective"),
    [
        ({"effectiveDateTime": "2024-03-01"}, datetime(2024, 3, 1)),
        ({"effectiveDateTime": "2024-03-01T23:30:00-02:00"}, datetime(2024, 3, 2, 1, 30)),
        (
            {"effectiveDateTime": None, "effectivePeriod": {"start": "2024-03-01T10:00:00Z"}},
            datetime(2024, 3, 1, 10),
        ),
        (
            {"effectiveDateTime": None, "effectiveInstant": "2024-03-01T10:00:00.123Z"},
            datetime(2024, 3, 1, 10, 0, 0, 123000),
        ),
        ({"effectiveDateTime": None, "issued": "2024-03-01T10:00:00+01:00"}, datetime(2024, 3, 1, 9)),
        ({"effectiveDateTime": "2025-06-02T23:59:59Z"}, datetime(2025, 6, 2, 23, 59, 59)),
        ({"effectiveDateTime": None}, None),
    ],
)
def test_observation_effective_is_naive_utc(fields: JSONObject, effective: datetime | None) -> None:
    resource = _observation(**fields)
    resource = {key: value for key, value in resource.items() if value is not None}
    assert _row(resource)["effective"] == effective


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"valueQuantity": _quantity(float("nan"))},
            "Observation.valueQuantity.value is not a finite number",
        ),
        (
            {"valueQuantity": _quantity(float("inf"))},
            "Observation.valueQuantity.value is not a finite number",
        ),
        ({"valueQuantity": _quantity(1e12)}, "Observation.valueQuantity.value is not a finite number"),
        ({"valueQuantity": _quantity(-(10**400))}, "Observation.valueQuantity.value is not a finite number"),
        ({"valueQuantity": _quantity("4.1")}, "Observation.valueQuantity.value is not a finite number"),
        ({"valueQuantity": _quantity(True)}, "Observation.valueQuantity.value is not a finite number"),
        ({"valueQuantity": 4.1}, "Observation.valueQuantity is not an object"),
        ({"valueInteger": 4.5}, "Observation.valueInteger is not an integer"),
        ({"valueBoolean": "true"}, "Observation.valueBoolean is not a boolean"),
        ({"effectiveDateTime": "1200-01-01"}, "Observation.effective[x] is before 1900"),
        ({"effectiveDateTime": "2025-06-03"}, "Observation.effective[x] is in the future"),
        ({"effectiveDateTime": "yesterday"}, "Observation.effectiveDateTime is not a valid FHIR date"),
        (
            {"referenceRange": [{"low": {"value": "3.5"}}]},
            "Observation.referenceRange[0].low.value is not a finite number",
        ),
        (
            {"component": [{"valueQuantity": _quantity(1)}]},
            "Observation.component[0].code has no coding with a system and a code",
        ),
        ({"component": [SECRET]}, "Observation.component[0] is not an object"),
        ({"code": {"text": "Kalium"}}, "Observation.code has no coding with a system and a code"),
    ],
)
def test_observation_that_does_not_fit(fields: JSONObject, reason: str) -> None:
    assert _does_not_fit(_observation(**fields)) == reason


# --- Encounter -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("act_code", "encounter_class"),
    [
        ("AMB", "outpatient"),
        ("VR", "phone"),
        ("HH", "home_visit"),
        ("IMP", "inpatient"),
        ("ACUTE", "inpatient"),
        ("NONAC", "inpatient"),
        ("SS", "inpatient"),
        ("EMER", "emergency"),
        ("FLD", "other"),
        (None, "other"),
    ],
)
def test_encounter_class_from_v3_act_code(act_code: str | None, encounter_class: str) -> None:
    fields = {} if act_code is None else {"class": {"code": act_code}}
    assert _row(_encounter(**fields))["encounter_class"] == encounter_class


def test_encounter_contact_type_wins_over_class() -> None:
    row = _row(
        _encounter(
            **{"class": {"code": "AMB"}},
            type=[
                {"coding": [_coding(codes.SNOMED, "185345009", "Encounter for symptom")]},
                {"coding": [_coding(codes.CONTACT_TYPE, "email")]},
            ],
        )
    )
    assert (row["encounter_class"], row["type_display"]) == ("email", "Encounter for symptom")


def test_encounter_period_provider_type_and_reason() -> None:
    row = _row(
        _encounter(
            period={"start": "2024-01-10T09:00:00+01:00", "end": "2024-01-10T09:15:00+01:00"},
            serviceProvider={"reference": "Organization/o1"},
            type=[{"text": "Konsultation", "coding": [{"display": "Other"}]}],
            reasonCode=[{"coding": [_coding(codes.ICPC2, "R74")], "text": "Forkølelse"}],
        )
    )

    assert (row["start"], row["end"]) == (datetime(2024, 1, 10, 8, 0), datetime(2024, 1, 10, 8, 15))
    assert (row["provider"], row["type_display"], row["status"]) == (
        "Organization/o1",
        "Konsultation",
        "finished",
    )
    assert (row["reason_system"], row["reason_code"], row["reason_display"]) == (
        codes.ICPC2,
        "R74",
        "Forkølelse",
    )


ACT_PRIORITY = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"


@pytest.mark.parametrize(
    ("priority", "stored"),
    [
        ({"coding": [_coding(ACT_PRIORITY, "EM", "emergency")]}, "EM"),
        ({"coding": [_coding(ACT_PRIORITY, "EL", "elective")]}, "EL"),
        ({"coding": [_coding("urn:oid:2.16.840.1.113883.5.7", "R")]}, "R"),
        # The first ActPriority coding, after codings in other systems.
        ({"coding": [_coding("urn:example:local", "akut"), _coding(ACT_PRIORITY, "UR")]}, "UR"),
        # Another system only, no system, text only, too long to be a code: no priority (counts as acute).
        ({"coding": [_coding("urn:example:local", "EL")]}, None),
        ({"coding": [{"code": "EL"}]}, None),
        ({"text": "Planlagt"}, None),
        ({"coding": [_coding(ACT_PRIORITY, "X" * 21)]}, None),
        (None, None),
    ],
)
def test_encounter_priority_is_the_v3_act_priority_code(
    priority: JSONObject | None, stored: str | None
) -> None:
    fields = {} if priority is None else {"priority": priority}
    assert _row(_encounter(**{"class": {"code": "IMP"}}, **fields))["priority"] == stored


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"priority": [{"coding": [_coding(ACT_PRIORITY, "EM")]}]}, "Encounter.priority is not an object"),
        ({"priority": {"coding": ["EM"]}}, "Encounter.priority.coding[0] is not an object"),
        (
            {"priority": {"coding": [{"system": ACT_PRIORITY, "code": 1}]}},
            "Encounter.priority.coding[0].code is not a string",
        ),
        (
            {"period": {"start": "2024-01-10T10:00:00Z", "end": "2024-01-10T09:59:59Z"}},
            "Encounter.period.end is before Encounter.period.start",
        ),
        (
            {"type": [{"coding": [_coding(codes.CONTACT_TYPE, "telepathy")]}]},
            "Encounter.type contact-type code is not a known contact type",
        ),
        ({"class": [{"code": "AMB"}]}, "Encounter.class is not an object"),
        ({"type": ["Konsultation"]}, "Encounter.type is not a list of objects"),
        ({"period": {"start": "2024-13-01"}}, "Encounter.period.start is not a valid date"),
    ],
)
def test_encounter_that_does_not_fit(fields: JSONObject, reason: str) -> None:
    assert _does_not_fit(_encounter(**fields)) == reason


# --- ServiceRequest: municipal home care -----------------------------------------------------------------


def test_home_care_service_request() -> None:
    mapped = _map(_home_care())

    assert (mapped.table, mapped.fhir_type, mapped.fhir_id, mapped.patient_ref) == (
        "home_care_services",
        "ServiceRequest",
        "hc1",
        "p1",
    )
    assert mapped.rows == [
        {
            "service_system": codes.HOME_CARE_SERVICE,
            "service_code": "personal-care",
            "service_display": "Personlig pleje",
            "hours_per_week": 3.5,
            "start": date(2024, 1, 15),
            "end": None,
            "status": "active",
            "provider": "Aarhus Kommune, Hjemmeplejen",
        }
    ]


def test_the_home_care_example_in_the_docs_maps_as_described() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "fhir-mapping.md").read_text(encoding="utf-8")
    example = orjson.loads(text.split("```json", 1)[1].split("```", 1)[0])

    (row,) = _map(example).rows

    assert (row["service_code"], row["service_display"], row["hours_per_week"]) == (
        "personal-care",
        "Personlig pleje",
        3.5,
    )
    assert (row["start"], row["provider"]) == (date(2024, 1, 15), "Aarhus Kommune, Hjemmeplejen")


def test_other_service_requests_are_skipped() -> None:
    referral = _home_care(category=[{"coding": [_coding(codes.SNOMED, "3457005", "Referral")]}])
    assert map_resource(referral, TODAY) is None
    assert map_resource(_home_care(category=None), TODAY) is None


def test_home_care_hours_only_from_hours_per_week_and_provider_falls_back_to_requester() -> None:
    row = _row(
        _home_care(
            quantityQuantity={"value": 2, "unit": "visits"},
            performer=None,
            requester={"display": "Visitationen"},
        )
    )
    assert (row["hours_per_week"], row["provider"]) == (None, "Visitationen")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"quantityQuantity": {"value": 500, "unit": "h/wk"}},
            "ServiceRequest.quantityQuantity.value is not between 0 and 168 hours per week",
        ),
        (
            {"quantityQuantity": {"value": -1, "code": "h/wk"}},
            "ServiceRequest.quantityQuantity.value is not between 0 and 168 hours per week",
        ),
        ({"code": {"coding": [{"code": "meals"}]}}, "ServiceRequest.code has no display or text"),
        ({"code": None}, "ServiceRequest.code is missing"),
        (
            {"occurrencePeriod": {"start": SECRET}},
            "ServiceRequest.occurrencePeriod.start is not a valid FHIR date",
        ),
    ],
)
def test_home_care_that_does_not_fit(fields: JSONObject, reason: str) -> None:
    assert _does_not_fit(_home_care(**fields)) == reason


# --- the date parser -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2024", datetime(2024, 1, 1)),
        ("2024-02", datetime(2024, 2, 1)),
        ("2024-02-29", datetime(2024, 2, 29)),
        ("2024-02-29T12:00:00Z", datetime(2024, 2, 29, 12)),
        ("2024-02-29T12:00:00.123456789+05:30", datetime(2024, 2, 29, 6, 30, 0, 123456)),
        ("2024-02-29T12:00", datetime(2024, 2, 29, 12)),
    ],
)
def test_fhir_dates_and_datetimes(text: str, moment: datetime) -> None:
    assert parse_datetime(text, "X.date") == moment


@pytest.mark.parametrize(
    "text",
    [
        "2023-02-29",
        "2024-1-5",
        "20240105",
        "2024-01-05 10:00",
        "2024-01-05T25:00:00Z",
        "2024-01-05T10:00:00+15:00",
        "",
    ],
)
def test_invalid_dates_do_not_fit_and_name_the_field(text: str) -> None:
    with pytest.raises(ResourceDoesNotFit, match=r"^X\.date is not a valid"):
        parse_datetime(text, "X.date")


aware_datetimes = st.datetimes(
    min_value=datetime(1901, 1, 1),
    max_value=datetime(2099, 12, 31),
    timezones=st.builds(
        timezone, st.integers(-14 * 60, 14 * 60).map(lambda minutes: timedelta(minutes=minutes))
    ),
)


@given(aware_datetimes)
def test_datetime_round_trip(moment: datetime) -> None:
    text = moment.isoformat().replace("+00:00", "Z")
    parsed = parse_datetime(text, "X.date")
    assert parsed == moment.astimezone(UTC).replace(tzinfo=None)
    assert parse_date(text, "X.date") == moment.date()


@given(st.dates(min_value=date(1, 1, 1)))
def test_date_round_trip(day: date) -> None:
    assert parse_date(day.isoformat(), "X.date") == day
    assert parse_datetime(day.isoformat(), "X.date") == datetime(day.year, day.month, day.day)


@given(st.one_of(st.text(max_size=40), st.integers(), st.none()))
def test_date_parser_never_fails_any_other_way(text: object) -> None:
    try:
        parse_datetime(text, "X.date")
    except ResourceDoesNotFit as error:
        assert error.reason.startswith("X.date ")


# --- robustness: any shape gives a row or "does not fit", never a crash ----------------------------------

FIELD_NAMES = [
    "code", "coding", "system", "display", "text", "value", "unit", "reference", "start", "end", "subject",
    "valueQuantity", "valueCodeableConcept", "valueString", "valueInteger", "valueBoolean", "component",
    "effectiveDateTime", "effectivePeriod", "issued", "referenceRange", "low", "high", "interpretation",
    "identifier", "name", "given", "family", "birthDate", "gender", "deceasedBoolean", "deceasedDateTime",
    "address", "city", "district", "generalPractitioner", "medicationCodeableConcept", "medicationReference",
    "contained", "ingredient", "strength", "numerator", "denominator", "form", "dosage", "dosageInstruction",
    "period", "class", "type", "serviceProvider", "reasonCode", "category", "quantityQuantity",
    "occurrencePeriod", "performer", "requester", "meta", "lastUpdated", "versionId", "onsetDateTime",
    "clinicalStatus", "status", "dispenseRequest", "validityPeriod", "authoredOn", "comparator",
]  # fmt: skip
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(
        ["Patient/p1", "#m", codes.CPR, codes.CONTACT_TYPE, "home-care", "2024-01-01", "h/wk", codes.UCUM]
    ),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(FIELD_NAMES), children, max_size=4)
    ),
    max_leaves=20,
)
KEPT = [
    "Patient",
    "Condition",
    "MedicationStatement",
    "MedicationRequest",
    "Observation",
    "Encounter",
    "ServiceRequest",
]


@given(st.sampled_from(KEPT), st.dictionaries(st.sampled_from(FIELD_NAMES), json_values, max_size=8))
def test_any_shape_maps_or_does_not_fit(resource_type: str, fields: JSONObject) -> None:
    resource = {"subject": SUBJECT, **fields, "resourceType": resource_type, "id": "r1"}
    try:
        mapped = map_resource(resource, TODAY)
    except ResourceDoesNotFit as error:
        assert error.reason.startswith(resource_type) or error.reason.startswith("Medication.")
        return
    assert mapped is None or mapped.rows


def test_the_strength_is_taken_from_a_drug_text_that_extends_the_coded_name() -> None:
    concept: dict[str, Any] = {
        "coding": [{"system": "http://www.whocc.no/atc", "code": "A10BA02", "display": "Metformin"}],
        "text": "Metformin 500 mg",
    }
    statement = {
        "resourceType": "MedicationStatement",
        "id": "m1",
        "status": "active",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": concept,
    }
    mapped = map_resource(statement, date(2026, 11, 22))
    assert mapped is not None
    assert mapped.rows[0]["strength"] == "500 mg"
    concept["text"] = "Metformin tabletter"  # no number: not a strength
    mapped = map_resource(statement, date(2026, 11, 22))
    assert mapped is not None and mapped.rows[0]["strength"] is None
