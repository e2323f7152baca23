"""The generated population against the documented model (cockpit/demo/model.py, docs/demo-model.md):
age structure, prevalence by age band, monitoring, contacts, home care, admissions."""

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

import pytest

from cockpit.demo import model
from tests.demo.conftest import AS_OF
from tests.demo.export import SYSTOLIC, Practice, first_code
from tests.demo.stats import assert_share, expected_prevalence

HOME_READINGS = ("MCS88019", "MCS88020")  # MedCom home blood pressure

SATURDAY = 5
DIAGNOSIS_CODES = {"t2d": ("T90",), "hypertension": ("K86", "K87"), "copd": ("R95",), "af": ("K78",)}


def test_age_and_sex_structure_is_danish(demo: Practice) -> None:
    total = len(demo.patients)
    assert_share(len(demo.aged(0, 17)), total, 0.20, "children 0-17", slack=0.02)
    assert_share(len(demo.aged(65)), total, 0.20, "aged 65+", slack=0.02)
    assert_share(len(demo.aged(80)), total, 0.05, "aged 80+", slack=0.01)
    assert_share(sum(demo.male.values()), total, 0.49, "men", slack=0.02)
    oldest = [pid for pid in demo.aged(85) if not demo.male[pid]]
    assert_share(len(oldest), len(demo.aged(85)), 0.66, "women among the 85+", slack=0.03)


def test_the_list_is_shared_by_gps_of_about_1600_patients(demo: Practice) -> None:
    assert len(demo.resources["Practitioner"]) == model.gp_count(len(demo.patients)) == 3
    districts = Counter(patient["address"][0]["district"] for patient in demo.resources["Patient"])
    for name, share, _, _ in model.MUNICIPALITIES:
        assert_share(districts[name], len(demo.patients), share, f"living in {name}")


@pytest.mark.parametrize("state", sorted(DIAGNOSIS_CODES))
@pytest.mark.parametrize("band", range(len(model.AGE_BANDS)))
def test_prevalence_by_age_band_follows_the_model(demo: Practice, state: str, band: int) -> None:
    low, high = model.AGE_BANDS[band]
    patients = demo.aged(low, high)
    hits = sum(demo.has(pid, *DIAGNOSIS_CODES[state]) for pid in patients)
    expected = expected_prevalence(demo, state, patients)
    # 28 cells are compared, so z = 4: at z = 3 one cell in a few seeds would stray by chance alone.
    assert_share(hits, len(patients), expected, f"{state} aged {model.BAND_LABELS[band]}", z=4, slack=0.005)


def test_overall_prevalences_are_close_to_danish_figures(demo: Practice) -> None:
    adults, over_40 = demo.aged(18), demo.aged(40)
    t2d = sum(demo.has(pid, "T90") for pid in adults) / len(adults)
    hypertension = sum(demo.has(pid, "K86", "K87") for pid in adults) / len(adults)
    copd = sum(demo.has(pid, "R95") for pid in over_40) / len(over_40)
    assert 0.05 <= t2d <= 0.08, "type 2 diabetes: 6-7 % of adults"
    assert 0.17 <= hypertension <= 0.23, "hypertension: about 20 % of adults"
    assert 0.035 <= copd <= 0.06, "COPD: 4-5 % of those over 40"


def test_states_cluster_in_the_same_patients(demo: Practice) -> None:
    """The latent morbidity makes hypertension more common among diabetics than among others of 40+."""
    over_40 = demo.aged(40)
    diabetics = [pid for pid in over_40 if demo.has(pid, "T90")]
    others = [pid for pid in over_40 if not demo.has(pid, "T90")]
    with_diabetes = sum(demo.has(pid, "K86", "K87") for pid in diabetics) / len(diabetics)
    without = sum(demo.has(pid, "K86", "K87") for pid in others) / len(others)
    assert with_diabetes > 1.5 * without


def test_most_diabetics_have_an_hba1c_in_the_last_12_months(demo: Practice) -> None:
    diabetics = [pid for pid in demo.patients if demo.has(pid, "T90")]
    measured = [pid for pid in diabetics if demo.measured_within(pid, "NPU27300", 365)]
    expected = 1 - model.GAPS.diabetes_no_hba1c_12m
    assert_share(len(measured), len(diabetics), expected, "diabetics with HbA1c in 12 months")


def test_hba1c_far_above_target_in_the_documented_share(demo: Practice) -> None:
    measured = [
        pid for pid in demo.patients if demo.has(pid, "T90") and demo.measured_within(pid, "NPU27300", 365)
    ]
    high = [pid for pid in measured if demo.results(pid, "NPU27300")[-1]["valueQuantity"]["value"] > 70]
    assert_share(len(high), len(measured), model.GAPS.diabetes_hba1c_over_70, "latest HbA1c > 70")


def test_diabetics_have_hba1c_every_6_months_and_blood_pressure_yearly(demo: Practice) -> None:
    followed = [
        pid for pid in demo.patients if demo.has(pid, "T90") and demo.measured_within(pid, "NPU27300", 365)
    ]
    per_year = [
        len([o for o in demo.results(pid, "NPU27300") if o["effectiveDateTime"] >= "2024-06-01"])
        for pid in followed
    ]
    assert 1.8 <= sum(per_year) / len(per_year) <= 3.5
    with_bp = [pid for pid in followed if demo.measured_within(pid, SYSTOLIC, 365)]
    assert len(with_bp) / len(followed) >= 0.9


def test_lab_values_carry_reference_ranges_and_flags(demo: Practice) -> None:
    flagged: Counter[str] = Counter()
    for observation in demo.resources["Observation"]:
        if first_code(observation["category"][0]) != "laboratory":
            continue
        value = observation["valueQuantity"]["value"]
        [reference] = observation["referenceRange"]
        low, high = reference.get("low", {}).get("value"), reference.get("high", {}).get("value")
        flag = observation.get("interpretation", [{"coding": [{"code": "N"}]}])[0]["coding"][0]["code"]
        assert flag == (
            "L" if low is not None and value < low else "H" if high is not None and value > high else "N"
        )
        flagged[flag] += 1
    assert 0.05 < flagged["H"] / sum(flagged.values()) < 0.5


def test_gp_contacts_follow_the_danish_rate(demo: Practice) -> None:
    """About 6.7 GP contacts per patient and year (49 a day for 1,600 patients), over the whole history."""
    gp_kinds = {"gp_consultation", "phone", "email", "home_visit"}
    contacts = Counter(first_code(e["type"][0]) for e in demo.resources["Encounter"])
    per_year = sum(contacts[kind] for kind in gp_kinds) / len(demo.patients) / model.HISTORY_YEARS
    assert 5.5 <= per_year <= 8.0
    assert contacts["gp_consultation"] > contacts["phone"] > contacts["email"] > contacts["home_visit"] > 0
    assert min(contacts["outpatient"], contacts["inpatient"], contacts["emergency"]) > 0


def test_frequent_admissions_in_the_documented_share(demo: Practice) -> None:
    frequent = [pid for pid in demo.patients if demo.acute_admissions_within(pid, 365) >= 3]
    expected = expected_prevalence(demo, "frequent_admitter", demo.patients)
    assert_share(
        len(frequent), len(demo.patients), expected, ">= 3 acute admissions in 12 months", slack=0.002
    )
    assert frequent, "a risk list of frequent admissions should not be empty"


def test_admissions_do_not_overlap(demo: Practice) -> None:
    for pid, encounters in demo.encounters.items():
        stays = sorted(
            (e["period"]["start"], e["period"]["end"])
            for e in encounters
            if first_code(e["type"][0]) == "inpatient"
        )
        for (_, end), (start, _) in pairwise(stays):
            assert end < start, pid


def test_home_care_for_the_frail_elderly(demo: Practice) -> None:
    old = demo.aged(85)
    active = [pid for pid in old if any(s["status"] == "active" for s in demo.home_care.get(pid, ()))]
    assert_share(len(active), len(old), expected_prevalence(demo, "home_care", old), "home care, 85+")
    services = Counter(first_code(s["code"]) for s in demo.resources["ServiceRequest"])
    assert set(services) == {"personal-care", "practical-help", "home-nursing", "meals", "emergency-alarm"}
    for request in demo.resources["ServiceRequest"]:
        assert request["performer"][0]["display"].endswith(" Kommune")
        if "quantityQuantity" in request:
            assert 0 < request["quantityQuantity"]["value"] <= 20


def test_antibiotic_use_is_close_to_danish_general_practice(demo: Practice) -> None:
    year_ago = (AS_OF - timedelta(days=365)).isoformat()
    courses = [
        demo.drug(s)
        for s in demo.resources["MedicationStatement"]
        if demo.drug(s).startswith("J01") and s["effectivePeriod"]["start"] >= year_ago
    ]
    per_1000 = len(courses) / len(demo.patients) * 1000
    assert 200 <= per_1000 <= 350, "national target 350 per 1,000 a year; 2021: 279"
    assert 0.30 <= courses.count("J01CE02") / len(courses) <= 0.45, "penicillin V share (target 36 %)"


def test_practice_clinics_and_labs_work_on_weekdays(demo: Practice) -> None:
    """GP contacts, outpatient visits and blood tests fall Monday to Friday (local date); acute
    admissions and emergency visits any day."""
    weekend: Counter[str] = Counter()
    for encounter in demo.resources["Encounter"]:
        kind = first_code(encounter["type"][0])
        if date.fromisoformat(encounter["period"]["start"][:10]).weekday() >= SATURDAY:
            weekend[kind] += 1
    for observation in demo.resources["Observation"]:
        if first_code(observation["code"]) in HOME_READINGS:
            continue  # measured by the patient at home, any day
        if date.fromisoformat(observation["effectiveDateTime"][:10]).weekday() >= SATURDAY:
            weekend["observation"] += 1
    assert set(weekend) == {"inpatient", "emergency"}
