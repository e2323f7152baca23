"""How the demo sends its data (issue 16): Danish NPU/DNK, LOINC and MedCom codes, blood pressure as a panel
or as two Observations, other unit spellings, drugs without display or by reference to a Medication,
FMK-style statements without a start date, elective and emergency priorities.

The first tests write a hand-made patient in each coding style and check every field by hand; the others
check the generated practice: one style per patient, at the shares of model.CODING, and pinned counts for
a small seed.
"""

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from cockpit.demo import generate_practice, model
from cockpit.demo.fhir import ResourceContext, medications, patient_resources
from cockpit.demo.population import build_practice
from cockpit.demo.record import BloodPressure, CodingStyle, Contact, PatientRecord, Prescription, Result
from cockpit.demo.simulate import simulate_patient
from cockpit.demo.vocabulary import DRUGS, MEASURES, SCORES
from cockpit.models import codes
from tests.demo.conftest import AS_OF
from tests.demo.export import Practice, first_code, read_export
from tests.demo.stats import assert_share

Resource = dict[str, Any]
MEDCOM = "urn:oid:1.2.208.184.100.8"
MMHG = {"unit": "mmHg", "system": codes.UCUM, "code": "mm[Hg]"}
SEEN = datetime(2025, 3, 4, 9, 15)  # a Tuesday, winter time: +01:00


def _hand_made(style: CodingStyle) -> tuple[list[tuple[str, Resource]], ResourceContext]:
    """Patient 0 of seed 1 with facts replaced by hand: one office and one home blood pressure, an LDL, an
    eGFR, an FEV1 and an MRC score, a long-term statin and a finished penicillin course, an acute and a
    planned admission."""
    practice = build_practice(1, 10)
    record: PatientRecord = simulate_patient(1, 0, practice, AS_OF, set())
    record.blood_pressures = [
        BloodPressure(SEEN, 140, 85),
        BloodPressure(datetime(2025, 3, 8, 7, 30), 131, 82, home=True),
    ]
    record.results = [
        Result(MEASURES["ldl"], datetime(2025, 3, 3, 8, 0), 2.4),
        Result(MEASURES["egfr"], datetime(2025, 3, 3, 8, 0), 54),
        Result(MEASURES["fev1"], SEEN, 1.85),
        Result(SCORES["mrc"], SEEN, 3),
    ]
    record.smoking_records = []
    record.prescriptions = [
        Prescription(DRUGS["C10AA05"], date(2020, 1, 2)),
        Prescription(DRUGS["J01CE02"], date(2025, 1, 6), date(2025, 1, 12)),
    ]
    record.contacts = [
        Contact("inpatient", datetime(2025, 2, 1, 14, 0), datetime(2025, 2, 4, 11, 0), "X", emergency=True),
        Contact("inpatient", datetime(2025, 4, 1, 8, 0), datetime(2025, 4, 3, 11, 0), "X", emergency=False),
    ]
    record.home_care = []
    record.coding = style
    context = ResourceContext(practice, AS_OF)
    return list(patient_resources(record, context)), context


def _of(resources: list[tuple[str, Resource]], kind: str) -> list[Resource]:
    return [resource for resource_type, resource in resources if resource_type == kind]


def _value(observation: Resource) -> tuple[str, str, float]:
    coding = observation["code"]["coding"][0]
    return coding["system"], coding["code"], observation["valueQuantity"]["value"]


def test_danish_vitals_as_two_observations_and_ucum_units() -> None:
    resources, _ = _hand_made(CodingStyle(vitals="danish", bp_panel=False))
    observations = _of(resources, "Observation")
    assert [_value(o) for o in observations] == [
        (codes.NPU, "DNK35302", 54),  # eGFR, 2025-03-03 08:00 (same time: by code)
        (codes.NPU, "NPU01568", 2.4),  # LDL
        (codes.LOINC, "20150-9", 1.85),  # 2025-03-04 09:15, results first: FEV1 in LOINC (no MedCom)
        (MEDCOM, "MCS88021", 3),  # MRC
        (codes.NPU_OID, "DNK05472", 140),  # then the office BP, as two Observations
        (codes.NPU_OID, "DNK05473", 85),
        (MEDCOM, "MCS88019", 131),  # home BP 2025-03-08, always MedCom, always two Observations
        (MEDCOM, "MCS88020", 82),
    ]
    systolic = observations[4]
    assert systolic["effectiveDateTime"] == "2025-03-04T09:15:00+01:00"
    assert systolic["valueQuantity"] == {"value": 140, **MMHG}
    assert "component" not in systolic
    assert observations[0]["valueQuantity"]["code"] == "mL/min/{1.73_m2}"
    assert observations[1]["valueQuantity"]["code"] == "mmol/L"
    assert observations[3]["category"][0]["coding"][0]["code"] == "survey"
    assert observations[3]["valueQuantity"]["code"] == "{score}"


def test_loinc_vitals_as_a_panel_with_components() -> None:
    resources, _ = _hand_made(CodingStyle(vitals="loinc", bp_panel=True, medcom_spirometry=True))
    observations = _of(resources, "Observation")
    [panel] = [o for o in observations if "component" in o]
    assert first_code(panel["code"]) == "85354-9"
    assert "valueQuantity" not in panel
    assert [(c["code"]["coding"][0]["code"], c["valueQuantity"]) for c in panel["component"]] == [
        ("8480-6", {"value": 140, **MMHG}),
        ("8462-4", {"value": 85, **MMHG}),
    ]
    assert [first_code(o["code"]) for o in observations] == [
        "DNK35302",
        "NPU01568",
        "MCS88015",  # FEV1 as MedCom sends it
        "MCS88021",
        "85354-9",
        "MCS88019",  # the home reading is still two Observations
        "MCS88020",
    ]


def test_danish_panel_has_dnk_components() -> None:
    resources, _ = _hand_made(CodingStyle(vitals="danish", bp_panel=True))
    [panel] = [o for o in _of(resources, "Observation") if "component" in o]
    assert first_code(panel["code"]) == "85354-9"
    assert [first_code(c["code"]) for c in panel["component"]] == ["DNK05472", "DNK05473"]


def test_other_unit_spellings() -> None:
    resources, _ = _hand_made(CodingStyle(other_unit_spelling=True))
    egfr, ldl = _of(resources, "Observation")[:2]
    assert ldl["valueQuantity"] == {"value": 2.4, "unit": "mmol/l", "system": codes.UCUM, "code": "mmol/l"}
    assert egfr["valueQuantity"]["code"] == egfr["valueQuantity"]["unit"] == "mL/min/1.73m2"
    assert egfr["referenceRange"] == [
        {"low": {"value": 60, "unit": "mL/min/1.73m2", "system": codes.UCUM, "code": "mL/min/1.73m2"}}
    ]
    assert egfr["interpretation"][0]["coding"][0]["code"] == "L"


def test_drugs_with_name_without_display_and_by_reference() -> None:
    named, _ = _hand_made(CodingStyle(drugs="concept"))
    statin, course = _of(named, "MedicationStatement")
    assert statin["medicationCodeableConcept"] == {
        "coding": [{"system": codes.ATC, "code": "C10AA05", "display": "Atorvastatin"}],
        "text": "Atorvastatin 40 mg",
    }
    assert statin["effectivePeriod"] == {"start": "2020-01-02"}
    assert course["effectivePeriod"] == {"start": "2025-01-06", "end": "2025-01-12"}

    bare, _ = _hand_made(CodingStyle(drugs="atc_only"))
    assert [s["medicationCodeableConcept"] for s in _of(bare, "MedicationStatement")] == [
        {"coding": [{"system": codes.ATC, "code": "C10AA05"}]},
        {"coding": [{"system": codes.ATC, "code": "J01CE02"}]},
    ]

    referring, context = _hand_made(CodingStyle(drugs="reference"))
    catalogue = {f"Medication/{m['id']}": m for m in medications(context)}
    assert len(catalogue) == len(DRUGS)
    for statement, atc in zip(_of(referring, "MedicationStatement"), ("C10AA05", "J01CE02"), strict=True):
        assert "medicationCodeableConcept" not in statement
        target = catalogue[statement["medicationReference"]["reference"]]
        assert target["code"]["coding"] == [{"system": codes.ATC, "code": atc, "display": DRUGS[atc].name}]
        assert target["code"]["text"] == DRUGS[atc].text


def test_fmk_lists_send_current_drugs_without_a_start_date() -> None:
    resources, _ = _hand_made(CodingStyle(fmk_without_start=True))
    statin, course = _of(resources, "MedicationStatement")
    assert statin["status"] == "active"
    assert "effectivePeriod" not in statin
    assert course["effectivePeriod"] == {"start": "2025-01-06", "end": "2025-01-12"}  # courses keep theirs


def test_acute_and_planned_admissions_carry_their_priority() -> None:
    resources, _ = _hand_made(CodingStyle())
    acute, planned = _of(resources, "Encounter")
    priority = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"
    assert acute["priority"]["coding"] == [{"system": priority, "code": "EM", "display": "emergency"}]
    assert planned["priority"]["coding"] == [{"system": priority, "code": "EL", "display": "elective"}]
    assert acute["class"]["code"] == planned["class"]["code"] == "IMP"


# --- the generated practice ------------------------------------------------------------------------------


def _office_bp(observations: list[Resource]) -> list[Resource]:
    return [
        o
        for o in observations
        if first_code(o["code"]) in {"85354-9", "8480-6", "8462-4", "DNK05472", "DNK05473"}
    ]


def _drug_form(statement: Resource) -> str:
    if "medicationReference" in statement:
        return "reference"
    return "concept" if "text" in statement["medicationCodeableConcept"] else "atc_only"


def test_each_patient_has_one_coding_style_at_the_documented_shares(demo: Practice) -> None:
    loinc = with_bp = panels = 0
    for pid, observations in demo.observations.items():
        office = _office_bp(observations)
        if not office:
            continue
        with_bp += 1
        systems = {o["code"]["coding"][0]["system"] for o in office if "component" not in o}
        systems |= {c["code"]["coding"][0]["system"] for o in office for c in o.get("component", ())}
        assert len(systems) == 1, pid
        loinc += systems == {codes.LOINC}
        shapes = {"component" in o for o in office}
        assert len(shapes) == 1, pid
        panels += shapes == {True}
        units = {o["valueQuantity"]["code"] for o in observations if first_code(o["code"]) == "NPU03230"}
        assert units in (set(), {"mmol/L"}, {"mmol/l"}), pid
    shares = model.CODING
    assert_share(loinc, with_bp, shares["vitals_loinc"], "patients with LOINC vitals")
    expected_panels = (
        shares["vitals_loinc"] * shares["bp_panel_loinc"]
        + (1 - shares["vitals_loinc"]) * shares["bp_panel_danish"]
    )
    assert_share(panels, with_bp, expected_panels, "patients with BP panels")

    forms = {"reference": 0, "atc_only": 0, "concept": 0}
    for pid, statements in demo.medications.items():
        [form] = {_drug_form(s) for s in statements} or {pid}
        forms[form] += 1
    total = sum(forms.values())
    assert_share(forms["reference"], total, shares["drugs_by_reference"], "drugs by reference")
    assert_share(forms["atc_only"], total, shares["drugs_atc_only"], "drugs without display")


def test_separate_readings_come_in_pairs(demo: Practice) -> None:
    pairs = (("8480-6", "8462-4"), ("DNK05472", "DNK05473"), ("MCS88019", "MCS88020"))
    for observations in demo.observations.values():
        for systolic_code, diastolic_code in pairs:
            systolic = [o for o in observations if first_code(o["code"]) == systolic_code]
            diastolic = [o for o in observations if first_code(o["code"]) == diastolic_code]
            assert [o["effectiveDateTime"] for o in systolic] == [o["effectiveDateTime"] for o in diastolic]
            for high, low in zip(systolic, diastolic, strict=True):
                assert high["valueQuantity"]["value"] > low["valueQuantity"]["value"]


def test_combination_tablets_replace_their_parts(demo: Practice) -> None:
    parts = {
        "C10BA05": ("C10AA05", "C10AX09"),
        "C10BA02": ("C10AA01", "C10AX09"),
        "C09BA02": ("C09AA02", "C03AA03"),
        "C09DA01": ("C09CA01", "C03AA03"),
        "C07BB07": ("C07AB07", "C03AA03"),
        "C07CB02": ("C07AB02", "C03AA03"),
    }
    users = {tablet: [pid for pid in demo.patients if demo.on(pid, tablet)] for tablet in parts}
    assert users["C10BA05"] or users["C10BA02"]
    assert users["C09BA02"] and users["C09DA01"]
    assert users["C07BB07"] or users["C07CB02"]
    assert any(demo.on(pid, "C09XA52") for pid in demo.patients)
    for tablet, patients in users.items():
        for pid in patients:
            assert not demo.on(pid, *parts[tablet]), (pid, tablet)


def test_fmk_style_statements_are_current_long_term_drugs(demo: Practice) -> None:
    without_start = [s for s in demo.resources["MedicationStatement"] if "effectivePeriod" not in s]
    assert without_start
    for statement in without_start:
        assert statement["status"] == "active"
        assert DRUGS[demo.drug(statement)].course_days == 0


# Pinned on seed 1, 200 patients, as of 2025-06-01 (the counts of a reviewed run: a change of the model
# changes them; the shapes themselves are checked by hand above).
PINNED = {
    "office BP, DNK pair": 401,
    "office BP, LOINC pair": 69,
    "BP panel, LOINC components": 88,
    "BP panel, DNK components": 72,
    "home BP pair": 68,
    "statements by reference": 75,
    "statements without display": 15,
    "statements without start": 13,
    "planned admissions (EL)": 7,
}


def _shape_counts(out_dir: Path) -> dict[str, int]:
    resources = read_export(out_dir)
    counts = dict.fromkeys(PINNED, 0)
    for observation in resources["Observation"]:
        code = first_code(observation["code"])
        if code == "85354-9":
            first_part = first_code(observation["component"][0]["code"])
            counts[
                "BP panel, DNK components" if first_part == "DNK05472" else "BP panel, LOINC components"
            ] += 1
        elif code == "DNK05472":
            counts["office BP, DNK pair"] += 1
        elif code == "8480-6":
            counts["office BP, LOINC pair"] += 1
        elif code == "MCS88019":
            counts["home BP pair"] += 1
    for statement in resources["MedicationStatement"]:
        form = _drug_form(statement)
        counts["statements by reference"] += form == "reference"
        counts["statements without display"] += form == "atc_only"
        counts["statements without start"] += "effectivePeriod" not in statement
    for encounter in resources["Encounter"]:
        counts["planned admissions (EL)"] += (
            encounter.get("priority", {}).get("coding", [{}])[0].get("code") == "EL"
        )
    return counts


@pytest.mark.parametrize("run", [1, 2])
def test_a_small_seed_gives_the_pinned_shapes(tmp_path: Path, run: int) -> None:
    summary = generate_practice(tmp_path / f"run{run}", 200, 1, AS_OF)
    assert _shape_counts(summary.out_dir) == PINNED
