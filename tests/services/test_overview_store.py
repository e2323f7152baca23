"""``OverviewService`` on hand-written FHIR imported into a real encrypted store: two patients, so that
nothing of one may show up in the other's overview."""

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from cockpit.errors import PatientNotFoundError
from cockpit.fhir.importer import import_path
from cockpit.models import Patient, codes
from cockpit.services.overview.sections import PatientOverview
from cockpit.services.overview.service import OverviewService
from cockpit.store import Store
from tests.services.conftest import write_ndjson

AS_OF = date(2026, 9, 1)
UCUM = "http://unitsofmeasure.org"
CONTACT = "https://patient-cockpit.dk/fhir/CodeSystem/contact-type"


def patient(fhir_id: str, cpr: str, birth: str, family: str) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": fhir_id,
        "gender": "female",
        "birthDate": birth,
        "name": [{"use": "official", "family": family, "given": ["Tove"]}],
        "identifier": [{"system": codes.CPR, "value": cpr}],
        "generalPractitioner": [{"display": "Martin Nielsen", "identifier": {"value": "287753"}}],
        "address": [{"city": "Brabrand", "district": "Aarhus"}],
    }


def condition(rid: str, subject: str, system: str, code: str, onset: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": rid,
        "subject": {"reference": f"Patient/{subject}"},
        "code": {"coding": [{"system": system, "code": code, "display": f"Diagnose {code}"}]},
        "clinicalStatus": {"coding": [{"code": extra.pop("clinical", "active")}]},
        "verificationStatus": {"coding": [{"code": "confirmed"}]},
        "onsetDateTime": onset,
        **extra,
    }


def medication(rid: str, subject: str, atc: str, name: str, start: str, **extra: Any) -> dict[str, Any]:
    period = {"start": start} | ({"end": extra.pop("end")} if "end" in extra else {})
    return {
        "resourceType": "MedicationStatement",
        "id": rid,
        "status": extra.pop("status", "active"),
        "subject": {"reference": f"Patient/{subject}"},
        "medicationCodeableConcept": {"coding": [{"system": codes.ATC, "code": atc, "display": name}]},
        "effectivePeriod": period,
        "dosage": [{"text": "1 tablet dagligt"}],
        **extra,
    }


def observation(
    rid: str, subject: str, coding: tuple[str, str], quantity: tuple[float, str], when: str, **extra: Any
) -> dict[str, Any]:
    (system, code), (value, unit) = coding, quantity
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "subject": {"reference": f"Patient/{subject}"},
        "code": {"coding": [{"system": system, "code": code}]},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit},
        **extra,
    }


def encounter(rid: str, subject: str, kind: str, start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Encounter",
        "id": rid,
        "status": extra.pop("status", "finished"),
        "subject": {"reference": f"Patient/{subject}"},
        "class": {"code": "AMB"},
        "type": [{"coding": [{"system": CONTACT, "code": kind}]}],
        "period": {"start": start, "end": end},
        **extra,
    }


def home_care(rid: str, subject: str, service: str, start: str) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": rid,
        "status": "active",
        "intent": "order",
        "subject": {"reference": f"Patient/{subject}"},
        "category": [{"coding": [{"system": codes.SERVICE_CATEGORY, "code": "home-care"}]}],
        "code": {
            "coding": [{"system": codes.HOME_CARE_SERVICE, "code": "practical-help", "display": service}]
        },
        "quantityQuantity": {"value": 2.5, "unit": "h/wk"},
        "occurrencePeriod": {"start": start},
        "performer": [{"display": "Aarhus Kommune"}],
    }


def tove() -> list[dict[str, Any]]:
    """A type 2 diabetic on ibuprofen and apixaban, with labs partly in US units, two admissions and
    home care."""
    bp = {
        "resourceType": "Observation",
        "id": "a-bp",
        "status": "final",
        "subject": {"reference": "Patient/a"},
        "code": {"coding": [{"system": codes.LOINC, "code": "85354-9"}]},
        "effectiveDateTime": "2026-06-10T09:00:00+02:00",
        "component": [
            {"code": {"coding": [{"system": codes.LOINC, "code": "8480-6"}]},
             "valueQuantity": {"value": 142, "system": UCUM, "code": "mm[Hg]"}},
            {"code": {"coding": [{"system": codes.LOINC, "code": "8462-4"}]},
             "valueQuantity": {"value": 84, "system": UCUM, "code": "mm[Hg]"}},
        ],
    }  # fmt: skip
    potassium_range = {"referenceRange": [{"low": {"value": 3.5}, "high": {"value": 4.4}}]}
    return [
        patient("a", "1506504321", "1950-06-15", "Testesen"),
        condition("a-c1", "a", codes.ICPC2, "T90", "2015-03-01"),
        condition("a-c2", "a", codes.SKS_D, "DI259", "2021-02-01"),
        condition("a-c3", "a", codes.ICPC2, "R74", "2026-01-05", abatementDateTime="2026-01-20",
                  clinical="resolved"),
        medication("a-m1", "a", "M01AE01", "Ibuprofen", "2026-08-10"),
        medication("a-m2", "a", "B01AF02", "Apixaban", "2024-01-03"),
        medication("a-m3", "a", "C10AA05", "Atorvastatin", "2020-01-01"),
        medication("a-m4", "a", "N06AB10", "Escitalopram", "2022-01-01", end="2026-07-01",
                   status="completed"),
        observation("a-o1", "a", (codes.NPU, "NPU27300"), (58, "mmol/mol"), "2025-09-10T08:00:00+02:00"),
        observation("a-o2", "a", (codes.NPU, "NPU27300"), (71, "mmol/mol"), "2026-03-02T08:00:00+01:00"),
        observation("a-o3", "a", (codes.LOINC, "2160-0"), (1.2, "mg/dL"), "2026-03-02T08:00:00+01:00"),
        observation("a-o4", "a", (codes.NPU, "NPU03230"), (4.6, "mmol/L"), "2026-03-02T08:00:00+01:00",
                    **potassium_range),
        bp,
        encounter("a-e1", "a", "inpatient", "2026-02-03T22:30:00+01:00", "2026-02-07T11:00:00+01:00"),
        encounter("a-e2", "a", "inpatient", "2026-05-10T10:00:00+02:00", "2026-05-11T10:00:00+02:00"),
        encounter("a-e3", "a", "gp_consultation", "2026-08-10T09:00:00+02:00", "2026-08-10T09:15:00+02:00"),
        encounter("a-e4", "a", "phone", "2026-08-20T09:00:00+02:00", "2026-08-20T09:05:00+02:00",
                  status="cancelled"),
        home_care("a-s1", "a", "Praktisk hjælp", "2025-11-01"),
    ]  # fmt: skip


def other_patient() -> list[dict[str, Any]]:
    """Everything here would show up (or fire a rule) if it leaked into Tove's overview."""
    return [
        patient("b", "0101401234", "1940-01-01", "Andersen"),
        condition("b-c1", "b", codes.ICPC2, "K77", "2018-01-01"),
        medication("b-m1", "b", "L04AX03", "Methotrexat", "2019-01-01"),
        medication("b-m2", "b", "J01EA01", "Trimethoprim", "2026-08-25"),
        observation("b-o1", "b", (codes.NPU, "NPU03230"), (6.3, "mmol/L"), "2026-08-01T08:00:00+02:00"),
        observation("b-o2", "b", (codes.NPU, "NPU27300"), (90, "mmol/mol"), "2026-08-01T08:00:00+02:00"),
        encounter("b-e1", "b", "emergency", "2026-07-01T10:00:00+02:00", "2026-07-01T14:00:00+02:00"),
        home_care("b-s1", "b", "Madservice", "2024-01-01"),
    ]


@pytest.fixture(scope="module")
def service(module_store: Store, tmp_path_factory: pytest.TempPathFactory) -> OverviewService:
    folder = tmp_path_factory.mktemp("fhir")
    write_ndjson(
        folder / "Patient.ndjson", [r for r in tove() + other_patient() if r["resourceType"] == "Patient"]
    )
    write_ndjson(
        folder / "rest.ndjson", [r for r in tove() + other_patient() if r["resourceType"] != "Patient"]
    )
    summary = import_path(module_store, folder, today=AS_OF)
    assert summary.quarantined == 0
    return OverviewService(module_store)


def internal_id(store: Store, fhir_id: str) -> int:
    with store.session() as session:
        return int(session.execute(select(Patient.id).where(Patient.fhir_id == fhir_id)).scalar_one())


@pytest.fixture(scope="module")
def overview(service: OverviewService, module_store: Store) -> PatientOverview:
    return service.patient_overview(internal_id(module_store, "a"), AS_OF)


def test_header(overview: PatientOverview) -> None:
    head = overview.header
    assert (head.name, head.age, head.sex_label, head.cpr_masked) == (
        "Tove Testesen",
        76,
        "Kvinde",
        "150650-xxxx",
    )
    assert (head.gp_name, head.municipality) == ("Martin Nielsen", "Aarhus")


def test_attention(overview: PatientOverview) -> None:
    assert [(i.severity, i.title) for i in overview.attention] == [
        ("high", "NSAID + antikoagulans siden 10-08-2026"),
        ("medium", "HbA1c over behandlingsmål"),
        ("medium", "2 indlæggelser på 12 måneder"),
    ]
    assert overview.attention[1].evidence == (
        "HbA1c 71 mmol/mol, 02-03-2026, mål ≤ 53 "
        "(klyngens grænse ved type 2-diabetes; individuelt mål aftales)"
    )


def test_diagnoses_and_medication(overview: PatientOverview) -> None:
    assert [(d.active, d.system_label, d.code) for d in overview.diagnoses] == [
        (True, "SKS", "DI259"),
        (True, "ICPC-2", "T90"),
        (False, "ICPC-2", "R74"),
    ]
    assert [(m.drug_name, m.active, m.new, m.stopped_recently) for m in overview.medications] == [
        ("Apixaban", True, False, False),
        ("Atorvastatin", True, False, False),
        ("Ibuprofen", True, True, False),
        ("Escitalopram", False, False, True),
    ]
    assert overview.medications[2].start == date(2026, 8, 10) and overview.medications[2].atc == "M01AE01"
    assert overview.active_substances == 3


def test_labs(overview: PatientOverview) -> None:
    rows = {row.key: row for row in overview.labs}
    assert list(rows) == ["hba1c", "creatinine", "potassium", "systolic", "diastolic"]
    assert (rows["hba1c"].value, rows["hba1c"].previous, rows["hba1c"].meets_target) == (71, 58, False)
    assert rows["hba1c"].effective == datetime(2026, 3, 2, 7, 0)  # stored in UTC
    assert (rows["creatinine"].value, rows["creatinine"].unit) == (106, "µmol/L")
    assert (rows["potassium"].flag, rows["potassium"].ref_high) == ("H", 4.4)
    assert (rows["systolic"].value, rows["systolic"].target is not None) == (142, True)
    assert rows["systolic"].meets_target is False  # diabetes: < 130


def test_timeline_and_home_care(overview: PatientOverview) -> None:
    assert [(e.kind, e.length_of_stay_days) for e in overview.timeline] == [
        ("home_care", None),
        ("inpatient", 4),
        ("inpatient", 1),
        ("gp_consultation", None),
    ]
    assert [(h.service, h.hours_per_week) for h in overview.home_care] == [("Praktisk hjælp", 2.5)]


def test_the_other_patient_has_only_their_own_data(service: OverviewService, module_store: Store) -> None:
    other = service.patient_overview(internal_id(module_store, "b"), AS_OF)
    assert other.header.cpr_formatted == "010140-1234"
    assert [d.code for d in other.diagnoses] == ["K77"]
    assert {m.drug_name for m in other.medications} == {"Methotrexat", "Trimethoprim"}
    assert [(r.key, r.value) for r in other.labs] == [("hba1c", 90), ("potassium", 6.3)]
    assert [e.kind for e in other.timeline] == ["home_care", "emergency"]
    assert {i.rule_id for i in other.attention} == {"LAB-K-HIGH", "SAFE-04"}


def test_lab_series_through_the_service(service: OverviewService, module_store: Store) -> None:
    series = service.lab_series(internal_id(module_store, "a"), "hba1c", AS_OF)
    assert [value for _, value in series.points] == [58, 71]
    assert series.target is not None and series.target.limit == 53
    assert service.lab_series(internal_id(module_store, "a"), "2160-0", AS_OF).points[0][1] == 106


def test_an_unknown_patient_is_reported(service: OverviewService) -> None:
    with pytest.raises(PatientNotFoundError):
        service.patient_overview(999_999, AS_OF)
    with pytest.raises(PatientNotFoundError):
        service.lab_series(999_999, "hba1c", AS_OF)
