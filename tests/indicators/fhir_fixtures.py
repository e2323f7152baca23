"""Hand-written Danish FHIR resources for the engine and CLI tests, with hand-checked expectations in the
tests that use them (three patients: Else, Hans, Mia)."""

from datetime import date
from pathlib import Path
from typing import Any

import orjson

from cockpit.fhir.importer import import_path
from cockpit.store import Store

AS_OF = date(2025, 6, 30)
SKS_D = "urn:oid:1.2.208.176.2.4.12"
ICPC2 = "urn:oid:1.2.208.176.2.31"
ATC = "http://www.whocc.no/atc"
CONTACT_TYPE = "https://patient-cockpit.dk/fhir/CodeSystem/contact-type"


def patient(pid: str, cpr: str, given: str, family: str, born: str) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": pid,
        "birthDate": born,
        "gender": "female",
        "name": [{"family": family, "given": [given]}],
        "identifier": [{"system": "urn:oid:1.2.208.176.1.2", "value": cpr}],
    }


def condition(rid: str, pid: str, system: str, code: str, display: str) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": rid,
        "subject": {"reference": f"Patient/{pid}"},
        "code": {"coding": [{"system": system, "code": code, "display": display}]},
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "onsetDateTime": "2015-04-01",
    }


def statement(rid: str, pid: str, atc: str, name: str, start: str) -> dict[str, Any]:
    return {
        "resourceType": "MedicationStatement",
        "id": rid,
        "status": "active",
        "subject": {"reference": f"Patient/{pid}"},
        "medicationCodeableConcept": {"coding": [{"system": ATC, "code": atc, "display": name}]},
        "effectivePeriod": {"start": start},
    }


def observation(
    rid: str, pid: str, code: tuple[str, str], value: float, *, unit: str, when: str
) -> dict[str, Any]:
    system, code_value = code
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "subject": {"reference": f"Patient/{pid}"},
        "code": {"coding": [{"system": system, "code": code_value}]},
        "valueQuantity": {"value": value, "unit": unit},
        "effectiveDateTime": when,
    }


def cystitis_treated(rid: str, pid: str, atc: str, name: str, day: str) -> list[dict[str, Any]]:
    """A cystitis (ICPC-2 U71) and the antibiotic prescribed for it on the same day."""
    return [
        {
            "resourceType": "Condition",
            "id": f"{rid}-u71",
            "subject": {"reference": f"Patient/{pid}"},
            "code": {"coding": [{"system": ICPC2, "code": "U71", "display": "Cystitis"}]},
            "clinicalStatus": {"coding": [{"code": "resolved"}]},
            "onsetDateTime": day,
        },
        {
            "resourceType": "MedicationRequest",
            "id": f"{rid}-rx",
            "status": "completed",
            "intent": "order",
            "subject": {"reference": f"Patient/{pid}"},
            "medicationCodeableConcept": {"coding": [{"system": ATC, "code": atc, "display": name}]},
            "authoredOn": day,
        },
    ]


def admission(rid: str, pid: str, start: str) -> dict[str, Any]:
    return {
        "resourceType": "Encounter",
        "id": rid,
        "status": "finished",
        "subject": {"reference": f"Patient/{pid}"},
        "class": {"code": "IMP"},
        "type": [{"coding": [{"system": CONTACT_TYPE, "code": "inpatient"}]}],
        "period": {"start": start},
    }


RESOURCES = [
    patient("else", "0302504321", "Else", "Lauridsen", "1950-02-03"),
    condition("c1", "else", SKS_D, "DE119", "Type 2-diabetes uden komplikationer"),
    observation(
        "o1",
        "else",
        ("https://labterm.dk/", "NPU27300"),
        81,
        unit="mmol/mol",
        when="2025-03-01T10:00:00+01:00",
    ),
    statement("m1", "else", "M01AE01", "Ibuprofen", "2025-05-01"),
    statement("m2", "else", "B01AF02", "Apixaban", "2023-01-01"),
    admission("e1", "else", "2024-09-01T10:00:00+02:00"),
    admission("e2", "else", "2025-06-01T22:30:00+02:00"),
    *cystitis_treated("u1", "else", "J01CA08", "Pivmecillinam", "2025-02-01"),
    patient("hans", "0101401234", "Hans", "Hansen", "1940-01-01"),
    condition("c2", "hans", ICPC2, "K74", "Angina pectoris"),
    {
        "resourceType": "MedicationRequest",
        "id": "r1",
        "status": "stopped",
        "intent": "order",
        "subject": {"reference": "Patient/hans"},
        "medicationCodeableConcept": {
            "coding": [{"system": ATC, "code": "C10AA01", "display": "Simvastatin"}]
        },
        "authoredOn": "2020-01-01",
    },
    patient("mia", "1212601234", "Mia", "Madsen", "1960-12-12"),
    condition("c3", "mia", "http://snomed.info/sct", "44054006", "Diabetes mellitus type 2"),
    observation("o2", "mia", ("http://loinc.org", "4548-4"), 9.2, unit="%", when="2025-05-05T08:00:00Z"),
    *cystitis_treated("u2", "mia", "J01MA02", "Ciprofloxacin", "2025-05-10"),
]


def fill(store: Store, folder: Path) -> Store:
    source = folder / "Bundle.ndjson"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in RESOURCES))
    summary = import_path(store, source)
    assert summary.quarantined == 0
    return store
