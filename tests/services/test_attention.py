"""Every attention rule: when it fires, when it does not, and its boundaries (hand-checked, AS_OF 01-09-2026).

"Within N months" excludes the day exactly N months back, as in the indicator engine.
"""

import logging
from datetime import date

import pytest

from cockpit.models import codes
from cockpit.services.overview import rules as att
from cockpit.services.overview.attention import RuleBasedAttention
from cockpit.services.overview.facts import ConditionFact, MedicationFact, PatientFacts
from cockpit.services.overview.items import AttentionItem
from tests.services.factories import (
    AS_OF,
    condition,
    encounter,
    facts,
    hba1c,
    medication,
    observation,
    type_2_diabetic,
)


def fired(patient: PatientFacts, as_of: date = AS_OF) -> dict[str, AttentionItem]:
    return {item.rule_id: item for item in RuleBasedAttention().attention_for(patient, as_of)}


# --- HbA1c above target (DM-02 / DM-03) --------------------------------------------------------------------


def test_hba1c_above_target_is_medium_with_value_date_and_target() -> None:
    item = att.hba1c_above_target(type_2_diabetic(hba1c(71, date(2026, 3, 2))), AS_OF)
    assert item == AttentionItem(
        "medium", "HbA1c over behandlingsmål",
        "HbA1c 71 mmol/mol, 02-03-2026, mål ≤ 53 (klyngens grænse ved type 2-diabetes; "
        "individuelt mål aftales)",
        "DM-02", date(2026, 3, 2),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("value", "rule_id"),
    [(53, None), (53.4, "DM-02"), (54, "DM-02"), (74, "DM-02"), (75, "DM-03"), (98, "DM-03")],
)
def test_hba1c_thresholds(value: float, rule_id: str | None) -> None:
    item = att.hba1c_above_target(type_2_diabetic(hba1c(value, date(2026, 8, 1))), AS_OF)
    assert (item.rule_id if item else None) == rule_id
    if rule_id == "DM-03":
        assert item is not None and item.severity == "high"


def test_only_the_latest_hba1c_counts() -> None:
    patient = type_2_diabetic(hba1c(80, date(2026, 1, 5)), hba1c(50, date(2026, 6, 5)))
    assert att.hba1c_above_target(patient, AS_OF) is None


@pytest.mark.parametrize(("day", "within"), [(date(2025, 9, 1), False), (date(2025, 9, 2), True)])
def test_hba1c_window_is_twelve_months(day: date, within: bool) -> None:
    found = fired(type_2_diabetic(hba1c(80, day)))
    assert ("DM-03" in found) is within
    assert ("DM-01" in found) is not within


def test_hba1c_rules_need_active_type_2_diabetes() -> None:
    high = hba1c(90, date(2026, 8, 1))
    assert not fired(facts(observations=[high]))
    resolved = condition("T90", abatement=date(2026, 1, 1), clinical="resolved")
    assert not fired(facts(conditions=[resolved], observations=[high]))
    type_1 = condition("T89")
    assert not fired(facts(conditions=[type_1], observations=[high]))
    hospital_code = condition("DE119", system=codes.SKS_D)
    assert "DM-03" in fired(facts(conditions=[hospital_code], observations=[high]))


@pytest.mark.parametrize("code", ["T90.01", "T9001", "T90.00"])
def test_an_icpc_extension_counts_by_its_rubric(code: str) -> None:
    """As in the packs (diabetes.yaml fixture icpc_extension): T90 is the rubric, T90.01 one of its codes."""
    item = att.hba1c_missing(facts(conditions=[condition(code)]), AS_OF)
    assert item is not None and item.rule_id == "DM-01"
    assert item.evidence == f"Diagnose {code} ({code}) siden 01-01-2015"


@pytest.mark.parametrize(
    "type_1",
    [
        condition("T89"),
        condition("T89.01"),
        condition("DE109", system=codes.SKS_D),
        condition("E10.9", system=codes.ICD10),
        condition("46635009", system=codes.SNOMED),
    ],
)
def test_active_type_1_diabetes_takes_a_patient_out_of_the_type_2_rules(type_1: ConditionFact) -> None:
    high = hba1c(90, date(2026, 8, 1))
    assert not fired(facts(conditions=[condition("T90"), type_1], observations=[high]))
    assert "DM-01" not in fired(facts(conditions=[condition("T90"), type_1]))


def test_type_1_diabetes_that_ended_does_not() -> None:
    ended = condition("T89", abatement=date(2026, 1, 1), clinical="resolved")
    high = hba1c(90, date(2026, 8, 1))
    assert "DM-03" in fired(facts(conditions=[condition("T90"), ended], observations=[high]))


def test_hba1c_in_percent_is_converted_before_comparing() -> None:
    # Synthea: LOINC 4548-4 in %; 10.929 x (9.0 - 2.15) = 74.9 -> 75 mmol/mol.
    percent = observation("4548-4", 9.0, date(2026, 8, 1), system=codes.LOINC, unit="%")
    item = att.hba1c_above_target(type_2_diabetic(percent), AS_OF)
    assert item is not None and item.rule_id == "DM-03"
    assert item.evidence.startswith("HbA1c 75 mmol/mol, 01-08-2026")


# --- no HbA1c within 12 months (DM-01) ---------------------------------------------------------------------


def test_missing_hba1c_says_for_how_long_and_when_last() -> None:
    item = att.hba1c_missing(type_2_diabetic(hba1c(58, date(2025, 7, 2))), AS_OF)
    assert item is not None
    assert item.title == "Ingen HbA1c i 13 måneder (seneste 02-07-2025)"
    assert item.evidence == "Diagnose T90 (T90) siden 01-01-2015; seneste HbA1c 58 mmol/mol, 02-07-2025"
    assert (item.severity, item.since) == ("medium", date(2026, 7, 2))


def test_missing_hba1c_without_any_result() -> None:
    item = att.hba1c_missing(type_2_diabetic(), AS_OF)
    assert item is not None and item.title == "Ingen HbA1c registreret"
    assert item.since == date(2015, 1, 1)


def test_a_result_after_as_of_does_not_count() -> None:
    assert att.hba1c_missing(type_2_diabetic(hba1c(50, date(2026, 9, 2))), AS_OF) is not None
    assert att.hba1c_missing(type_2_diabetic(hba1c(50, date(2026, 9, 1))), AS_OF) is None


# --- IHD without statin (IHD-01) ---------------------------------------------------------------------------


def test_ihd_without_statin_fires_and_a_statin_silences_it() -> None:
    ihd = condition("K76", date(2019, 4, 1))
    item = att.ihd_without_statin(facts(conditions=[ihd]), AS_OF)
    assert item is not None and (item.severity, item.since) == ("medium", date(2019, 4, 1))
    assert att.ihd_without_statin(facts(conditions=[ihd], medications=[medication("C10AA05")]), AS_OF) is None
    ezetimibe_only = medication("C10AX09")
    assert att.ihd_without_statin(facts(conditions=[ihd], medications=[ezetimibe_only]), AS_OF) is not None
    assert "ingen aktiv statin (C10AA, C10BA, C10BX)" in item.evidence


@pytest.mark.parametrize("combination", ["C10BA05", "C10BX03"])  # with ezetimibe; with amlodipine
def test_a_statin_in_a_combination_tablet_counts(combination: str) -> None:
    ihd = condition("K76.01")
    assert (
        att.ihd_without_statin(facts(conditions=[ihd], medications=[medication(combination)]), AS_OF) is None
    )


def test_ihd_with_a_stopped_statin_says_when_it_stopped() -> None:
    stopped = medication("C10AA01", date(2020, 1, 1), date(2026, 3, 1), status="completed")
    item = att.ihd_without_statin(facts(conditions=[condition("K76")], medications=[stopped]), AS_OF)
    assert item is not None and "seneste statin til 01-03-2026" in item.evidence
    assert item.since == date(2026, 3, 2)


def test_ihd_codes_from_hospital_and_refuted_entries() -> None:
    assert att.ihd_without_statin(facts(conditions=[condition("DI251", system=codes.SKS_D)]), AS_OF)
    refuted = condition("K76", verification="refuted")
    assert att.ihd_without_statin(facts(conditions=[refuted]), AS_OF) is None
    hypertension = condition("K86")
    assert att.ihd_without_statin(facts(conditions=[hypertension]), AS_OF) is None


# --- NSAID + anticoagulant (SAFE-03) -----------------------------------------------------------------------


def test_nsaid_with_anticoagulant_since_the_later_start() -> None:
    drugs = [
        medication("M01AE01", date(2026, 8, 10), name="Ibuprofen", strength="400 mg"),
        medication("B01AF02", date(2024, 1, 3), name="Apixaban", strength="5 mg"),
    ]
    item = att.nsaid_with_anticoagulant(facts(medications=drugs), AS_OF)
    assert item == AttentionItem(
        "high",
        "NSAID + antikoagulans siden 10-08-2026",
        "Ibuprofen 400 mg (M01AE01) fra 10-08-2026; Apixaban 5 mg (B01AF02) fra 03-01-2024",
        "SAFE-03",
        date(2026, 8, 10),
    )


@pytest.mark.parametrize(
    ("nsaid", "anticoagulant", "fires"),
    [
        (medication("M01AE01", end=date(2026, 8, 31)), medication("B01AA03"), False),  # NSAID ended yesterday
        (medication("M01AE01", end=date(2026, 9, 1)), medication("B01AA03"), True),  # ends today: still taken
        (medication("M01AX05"), medication("B01AA03"), False),  # M01AX is not an NSAID
        (medication("M01AB05"), medication("B01AE07"), True),  # dabigatran is oral
        (medication("M01AB05"), medication("B01AB01"), False),  # heparin is not
        (medication("M01AE01", status="stopped"), medication("B01AF01"), False),  # stopped, no date
        (medication("M01AE01", status="entered-in-error"), medication("B01AF01"), False),
        (medication("M01AE01", date(2026, 9, 2)), medication("B01AF01"), False),  # starts tomorrow
    ],
)
def test_nsaid_with_anticoagulant_cases(
    nsaid: MedicationFact, anticoagulant: MedicationFact, fires: bool
) -> None:
    assert (
        att.nsaid_with_anticoagulant(facts(medications=[nsaid, anticoagulant]), AS_OF) is not None
    ) is fires


def test_a_renewed_nsaid_counts_from_its_first_start() -> None:
    drugs = [
        medication("M01AE01", date(2026, 6, 1), date(2026, 7, 15), status="completed"),
        medication("M01AE01", date(2026, 7, 16)),
        medication("B01AF02", date(2024, 1, 3)),
    ]
    item = att.nsaid_with_anticoagulant(facts(medications=drugs), AS_OF)
    assert item is not None and item.title == "NSAID + antikoagulans siden 01-06-2026"


# --- triple whammy (SAFE-02) -------------------------------------------------------------------------------

TRIPLE = [medication("M01AE01", date(2026, 7, 1)), medication("C09AA05"), medication("C03CA01")]


@pytest.mark.parametrize(("egfr", "severity"), [(None, "medium"), (45, "medium"), (44, "high")])
def test_triple_whammy_is_high_with_low_egfr(egfr: float | None, severity: str) -> None:
    observations = [] if egfr is None else [observation("DNK35302", egfr, date(2026, 5, 1))]
    item = att.triple_whammy(facts(medications=TRIPLE, observations=observations), AS_OF)
    assert item is not None and (item.severity, item.since) == (severity, date(2026, 7, 1))
    assert item.title == "NSAID + ACE-hæmmer/ARB + diuretikum siden 01-07-2026"


def test_triple_whammy_needs_all_three() -> None:
    assert att.triple_whammy(facts(medications=TRIPLE[:2]), AS_OF) is None
    assert att.triple_whammy(
        facts(medications=[TRIPLE[0], medication("C09CA01"), medication("C03AA03")]), AS_OF
    )


@pytest.mark.parametrize(
    ("drugs", "fires"),
    [
        (["C09DA01"], True),  # losartan and diuretics: RAS blocker and diuretic in one tablet
        (["C09BA05"], True),  # ramipril and diuretics
        (["C09XA52"], True),  # aliskiren and hydrochlorothiazide
        (["C09AA05", "C07BB07"], True),  # ramipril; bisoprolol and thiazides
        (["C09AA05", "C07CA03"], True),  # ramipril; pindolol and other diuretics
        (["C09AA05", "C07AB07"], False),  # ramipril; bisoprolol alone is no diuretic
    ],
)
def test_triple_whammy_counts_combination_tablets(drugs: list[str], fires: bool) -> None:
    medications = [TRIPLE[0], *(medication(atc) for atc in drugs)]
    assert (att.triple_whammy(facts(medications=medications), AS_OF) is not None) is fires


# --- methotrexate + trimethoprim (SAFE-04) -----------------------------------------------------------------

METHOTREXATE = medication("L04AX03", date(2023, 1, 1), name="Methotrexat")


def trimethoprim(start: date, end: date) -> MedicationFact:
    return medication("J01EA01", start, end, status="completed", name="Trimethoprim")


def test_a_recent_trimethoprim_course_on_methotrexate_fires() -> None:
    patient = facts(medications=[METHOTREXATE, trimethoprim(date(2026, 7, 1), date(2026, 7, 3))])
    item = att.methotrexate_with_trimethoprim(patient, AS_OF)
    assert item is not None
    assert (item.severity, item.title) == ("high", "Methotrexat + trimethoprim 01-07-2026 – 03-07-2026")


@pytest.mark.parametrize(("course_end", "fires"), [(date(2026, 6, 1), False), (date(2026, 6, 2), True)])
def test_methotrexate_window_is_three_months(course_end: date, fires: bool) -> None:
    patient = facts(medications=[METHOTREXATE, trimethoprim(date(2026, 5, 28), course_end)])
    assert (att.methotrexate_with_trimethoprim(patient, AS_OF) is not None) is fires


def test_trimethoprim_before_methotrexate_does_not_fire() -> None:
    later = medication("L01BA01", date(2026, 8, 1))
    patient = facts(medications=[later, trimethoprim(date(2026, 7, 1), date(2026, 7, 3))])
    assert att.methotrexate_with_trimethoprim(patient, AS_OF) is None
    ongoing = medication("J01EE01", date(2026, 8, 30))
    item = att.methotrexate_with_trimethoprim(facts(medications=[later, ongoing]), AS_OF)
    assert item is not None and item.title == "Methotrexat + trimethoprim siden 30-08-2026"


# --- renal function and potassium at 75+ on ACE-i/ARB or loop diuretic (SAFE-05) --------------------------

BORN_75_TODAY = date(1951, 9, 1)


def elderly_on(
    drug: MedicationFact, *observations: tuple[object, ...], born: date = BORN_75_TODAY
) -> PatientFacts:
    return facts(birth_date=born, medications=[drug], observations=observations)


def renal(day: date) -> list[tuple[object, ...]]:
    return [observation("NPU18016", 90, day), observation("NPU03230", 4.1, day)]


def test_renal_monitoring_gap_fires_with_the_last_dates() -> None:
    item = att.renal_monitoring_missing(elderly_on(medication("C09AA05"), *renal(date(2025, 5, 1))), AS_OF)
    assert item is not None and item.severity == "medium"
    assert item.evidence.endswith("seneste nyretal: 01-05-2025, seneste kalium: 01-05-2025")
    assert item.since == date(2026, 8, 1)


@pytest.mark.parametrize(("day", "fires"), [(date(2025, 6, 1), True), (date(2025, 6, 2), False)])
def test_renal_monitoring_window_is_fifteen_months(day: date, fires: bool) -> None:
    patient = elderly_on(medication("C09AA05"), *renal(day))
    assert (att.renal_monitoring_missing(patient, AS_OF) is not None) is fires


def test_renal_monitoring_needs_age_75_and_a_long_term_drug() -> None:
    assert (
        att.renal_monitoring_missing(elderly_on(medication("C09AA05"), born=date(1951, 9, 2)), AS_OF) is None
    )
    recent_start = medication("C09AA05", date(2025, 6, 2))  # 15 months ago is 01-06-2025
    assert att.renal_monitoring_missing(elderly_on(recent_start), AS_OF) is None
    assert att.renal_monitoring_missing(elderly_on(medication("C09AA05", date(2025, 6, 1))), AS_OF)
    assert att.renal_monitoring_missing(elderly_on(medication("C03CA01")), AS_OF)  # loop diuretic
    assert att.renal_monitoring_missing(elderly_on(medication("C03AA03")), AS_OF) is None  # thiazide
    assert att.renal_monitoring_missing(elderly_on(medication("C09DA01")), AS_OF)  # ARB and diuretic
    assert att.renal_monitoring_missing(elderly_on(medication("C09XA02")), AS_OF) is None  # aliskiren


def test_renal_monitoring_needs_both_a_renal_test_and_potassium() -> None:
    recent = date(2026, 2, 1)
    creatinine_only = observation("NPU18016", 90, recent)
    item = att.renal_monitoring_missing(elderly_on(medication("C09CA01"), creatinine_only), AS_OF)
    assert item is not None and item.evidence.endswith("seneste kalium: aldrig")
    assert item.since is None
    egfr_and_potassium = [observation("DNK35302", 70, recent), observation("NPU03230", 4.0, recent)]
    assert att.renal_monitoring_missing(elderly_on(medication("C09CA01"), *egfr_and_potassium), AS_OF) is None


# --- polypharmacy (POLY-01) --------------------------------------------------------------------------------

TEN_SUBSTANCES = ["A10BA02", "C09AA05", "C10AA05", "B01AC06", "C07AB07", "N06AB10", "A02BC01", "H03AA01",
                  "A11CC05", "M04AA01"]  # fmt: skip


def test_ten_active_substances_is_polypharmacy() -> None:
    item = att.polypharmacy(facts(medications=[medication(atc) for atc in TEN_SUBSTANCES]), AS_OF)
    assert item is not None
    assert (item.severity, item.title) == ("low", "Udtalt polyfarmaci: 10 aktive lægemidler")


def test_polypharmacy_counts_distinct_active_substances() -> None:
    nine = [medication(atc) for atc in TEN_SUBSTANCES[:9]]
    duplicate = medication(TEN_SUBSTANCES[0], date(2024, 1, 1), strength="850 mg")
    stopped = medication("M04AA01", date(2020, 1, 1), date(2026, 8, 1))
    assert att.polypharmacy(facts(medications=[*nine, duplicate, stopped]), AS_OF) is None


# --- many admissions (UTIL-01) -----------------------------------------------------------------------------


def test_two_admissions_in_twelve_months_fire_with_length_of_stay() -> None:
    admissions = [
        encounter("inpatient", date(2026, 2, 3), date(2026, 2, 7)),
        encounter("inpatient", date(2026, 5, 10), date(2026, 5, 11)),
    ]
    item = att.many_admissions(facts(encounters=admissions), AS_OF)
    assert item == AttentionItem(
        "medium",
        "2 indlæggelser på 12 måneder",
        "indlagt 03-02-2026 (4 dage); indlagt 10-05-2026 (1 dag)",
        "UTIL-01",
        date(2026, 5, 10),
    )


def test_three_acute_contacts_fire_and_two_do_not() -> None:
    one_admission = encounter("inpatient", date(2026, 2, 3), date(2026, 2, 7))
    emergency = [encounter("emergency", date(2026, 3, 1)), encounter("emergency", date(2026, 6, 1))]
    item = att.many_admissions(facts(encounters=[one_admission, *emergency]), AS_OF)
    assert item is not None and item.title == "1 indlæggelse og 2 akutbesøg på 12 måneder"
    assert att.many_admissions(facts(encounters=[one_admission, emergency[0]]), AS_OF) is None


def test_an_emergency_visit_and_an_admission_at_the_same_moment() -> None:
    """Both start 01-03-2026 10:00 (the demo practice has such pairs): the rule once failed comparing them."""
    contacts = [
        encounter("emergency", date(2026, 3, 1)),
        encounter("inpatient", date(2026, 3, 1), date(2026, 3, 4)),
        encounter("inpatient", date(2026, 5, 10), date(2026, 5, 11)),
    ]
    item = att.many_admissions(facts(encounters=contacts), AS_OF)
    assert item == AttentionItem(
        "medium",
        "2 indlæggelser og 1 akutbesøg på 12 måneder",
        "indlagt 01-03-2026 (3 dage); indlagt 10-05-2026 (1 dag); akutmodtagelse 01-03-2026",
        "UTIL-01",
        date(2026, 5, 10),
    )


def test_admissions_outside_the_window_or_not_held_do_not_count() -> None:
    recent = encounter("inpatient", date(2026, 5, 10), date(2026, 5, 11))
    for other in (
        encounter("inpatient", date(2025, 9, 1), date(2025, 9, 3)),  # exactly 12 months ago
        encounter("inpatient", date(2026, 6, 1), status="cancelled"),
        encounter("inpatient", date(2026, 9, 20), status="planned"),  # after as_of
        encounter("outpatient", date(2026, 6, 1)),
    ):
        assert att.many_admissions(facts(encounters=[recent, other]), AS_OF) is None
    assert att.many_admissions(facts(encounters=[recent, encounter("inpatient", date(2025, 9, 2))]), AS_OF)


# --- annual control overdue (CTRL-COPD-13M, CTRL-HT-13M, CTRL-IHD-13M) -------------------------------------
# 13 months before AS_OF (01-09-2026) is 01-08-2025: a control on that day is overdue, one a day later not.


def fev1(value: float, day: date, *, system: str = codes.LOINC, code: str = "20150-9") -> tuple[object, ...]:
    return observation(code, value, day, system=system, unit="L")


def systolic(
    value: float, day: date, *, system: str = codes.NPU, code: str = "DNK05472"
) -> tuple[object, ...]:
    return observation(code, value, day, system=system, unit="mmHg")


def ldl(value: float, day: date) -> tuple[object, ...]:
    return observation("NPU01568", value, day, unit="mmol/L")


def test_copd_control_overdue_says_when_the_last_spirometry_was() -> None:
    copd = condition("R95", date(2018, 3, 1), display="KOL")
    item = att.copd_control_overdue(
        facts(conditions=[copd], observations=[fev1(1.8, date(2025, 8, 1))]), AS_OF
    )
    assert item == AttentionItem(
        "medium",
        "Årskontrol for KOL over 13 måneder siden (seneste spirometri 01-08-2025)",
        "KOL (R95) siden 01-03-2018; seneste FEV1 1,80 L, 01-08-2025",
        "CTRL-COPD-13M",
        date(2026, 9, 1),  # 13 months after the spirometry: overdue from today
    )


@pytest.mark.parametrize(
    ("spirometry", "overdue"),
    [
        (fev1(1.8, date(2025, 8, 1)), True),
        (fev1(1.8, date(2025, 8, 2)), False),
        (fev1(1.8, date(2025, 8, 2), system=codes.MEDCOM, code="MCS88015"), False),  # MedCom FEV1
        (observation("19926-5", 62, date(2026, 2, 1), system=codes.LOINC, unit="%"), False),  # FEV1/FVC
        (observation("19868-9", 2.9, date(2026, 2, 1), system=codes.LOINC, unit="L"), False),  # FVC
        (observation("19868-9", 2.9, date(2026, 2, 1), system=codes.LOINC, unit="mL"), False),  # any unit
        (observation("39156-5", 24.1, date(2026, 2, 1), system=codes.LOINC, unit="kg/m2"), True),  # BMI
    ],
)
def test_copd_control_is_a_spirometry_within_13_months(spirometry: tuple[object, ...], overdue: bool) -> None:
    patient = facts(conditions=[condition("R95")], observations=[spirometry])
    assert (att.copd_control_overdue(patient, AS_OF) is not None) is overdue


def test_copd_control_never_done_counts_from_the_diagnosis() -> None:
    item = att.copd_control_overdue(
        facts(conditions=[condition("DJ449", date(2024, 2, 10), system=codes.SKS_D)]), AS_OF
    )
    assert item is not None
    assert (item.title, item.since) == ("Årskontrol for KOL: ingen spirometri registreret", date(2025, 3, 10))
    assert item.evidence == "Diagnose DJ449 (DJ449) siden 10-02-2024"


def test_a_control_needs_active_disease_and_a_measurement_up_to_as_of() -> None:
    resolved = condition("R95", abatement=date(2026, 1, 1), clinical="resolved")
    assert att.copd_control_overdue(facts(conditions=[resolved]), AS_OF) is None
    assert att.copd_control_overdue(facts(observations=[fev1(1.8, date(2024, 1, 1))]), AS_OF) is None
    tomorrow = facts(
        conditions=[condition("R95")], observations=[fev1(1.8, date(2024, 1, 1)), fev1(1.7, date(2026, 9, 2))]
    )
    item = att.copd_control_overdue(tomorrow, AS_OF)
    assert item is not None and item.title.endswith("(seneste spirometri 01-01-2024)")


@pytest.mark.parametrize(
    ("pressure", "overdue"),
    [
        (systolic(148, date(2025, 8, 1)), True),
        (systolic(148, date(2025, 8, 2)), False),
        (systolic(131, date(2026, 5, 1), system=codes.MEDCOM, code="MCS88019"), False),  # home BP
        (systolic(131, date(2026, 5, 1), system=codes.LOINC, code="8480-6"), False),
        (observation("DNK05473", 88, date(2026, 5, 1), unit="mmHg"), True),  # diastolic alone: not counted
    ],
)
def test_hypertension_control_is_a_blood_pressure_within_13_months(
    pressure: tuple[object, ...], overdue: bool
) -> None:
    patient = facts(conditions=[condition("K86")], observations=[pressure])
    assert (att.hypertension_control_overdue(patient, AS_OF) is not None) is overdue


def test_hypertension_control_overdue_text() -> None:
    patient = facts(
        conditions=[condition("DI10", system=codes.SKS_D)], observations=[systolic(148, date(2025, 2, 3))]
    )
    item = att.hypertension_control_overdue(patient, AS_OF)
    assert item is not None
    assert item.title == "Årskontrol for hypertension over 13 måneder siden (seneste blodtryk 03-02-2025)"
    assert (
        item.evidence
        == "Diagnose DI10 (DI10) siden 01-01-2015; seneste Blodtryk, systolisk 148 mmHg, 03-02-2025"
    )
    assert item.since == date(2026, 3, 3)


def test_ihd_control_is_blood_pressure_or_ldl_and_the_later_one_is_shown() -> None:
    ihd = condition("K76", date(2019, 4, 1))
    old = [systolic(138, date(2025, 3, 1)), ldl(2.1, date(2025, 6, 1))]
    item = att.ihd_control_overdue(facts(conditions=[ihd], observations=old), AS_OF)
    assert item is not None
    assert (
        item.title == "Årskontrol for iskæmisk hjertesygdom over 13 måneder siden"
        " (seneste blodtryk eller LDL 01-06-2025)"
    )
    assert (
        item.evidence == "Diagnose K76 (K76) siden 01-04-2019; seneste LDL-kolesterol 2,1 mmol/L, 01-06-2025"
    )
    recent_ldl = facts(conditions=[ihd], observations=[old[0], ldl(1.6, date(2026, 4, 1))])
    assert att.ihd_control_overdue(recent_ldl, AS_OF) is None
    recent_bp = facts(conditions=[ihd], observations=[old[1], systolic(128, date(2026, 4, 1))])
    assert att.ihd_control_overdue(recent_bp, AS_OF) is None


# --- lab values --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "fires"), [(5.5, False), (5.6, True)])
def test_high_potassium(value: float, fires: bool) -> None:
    patient = facts(
        observations=[observation("NPU03230", value, date(2026, 8, 1), ref_low=3.5, ref_high=4.4)]
    )
    item = att.potassium_high(patient, AS_OF)
    assert (item is not None) is fires
    if item is not None:
        assert (item.severity, item.evidence) == ("high", "Kalium 5,6 mmol/L, 01-08-2026 (ref. 3,5–4,4)")


def test_only_the_latest_potassium_counts() -> None:
    patient = facts(
        observations=[
            observation("NPU03230", 6.1, date(2026, 1, 1)),
            observation("NPU03230", 4.2, date(2026, 2, 1)),
        ]
    )
    assert att.potassium_high(patient, AS_OF) is None


@pytest.mark.parametrize(("value", "fires"), [(30, False), (29, True)])
def test_low_egfr(value: float, fires: bool) -> None:
    patient = facts(observations=[observation("DNK35302", value, date(2026, 8, 1))])
    assert (att.egfr_low(patient, AS_OF) is not None) is fires


@pytest.mark.parametrize(("day", "fires"), [(date(2026, 6, 1), False), (date(2026, 6, 2), True)])
def test_a_high_potassium_alerts_only_within_3_months(day: date, fires: bool) -> None:
    item = att.potassium_high(facts(observations=[observation("NPU03230", 6.2, day)]), AS_OF)
    assert (item is not None) is fires
    if item is not None:
        assert item.evidence == "Kalium 6,2 mmol/L, 02-06-2026"


@pytest.mark.parametrize(("day", "fires"), [(date(2025, 9, 1), False), (date(2025, 9, 2), True)])
def test_a_low_egfr_alerts_only_within_12_months(day: date, fires: bool) -> None:
    item = att.egfr_low(facts(observations=[observation("DNK35302", 25, day)]), AS_OF)
    assert (item is not None) is fires
    if item is not None:
        assert item.evidence.startswith("eGFR 25 ")
        assert "02-09-2025; gennemgå doser" in item.evidence


def test_an_older_low_egfr_does_not_raise_the_triple_whammy() -> None:
    old = facts(medications=TRIPLE, observations=[observation("DNK35302", 40, date(2025, 9, 1))])
    item = att.triple_whammy(old, AS_OF)
    assert item is not None and item.severity == "medium"
    assert "seneste eGFR 40" in item.evidence  # still shown, with its date
    recent = facts(medications=TRIPLE, observations=[observation("DNK35302", 40, date(2025, 9, 2))])
    assert (att.triple_whammy(recent, AS_OF) or item).severity == "high"


# --- the source as a whole ---------------------------------------------------------------------------------


def test_items_are_sorted_by_severity() -> None:
    patient = facts(
        conditions=[condition("T90")],
        medications=[medication(atc) for atc in TEN_SUBSTANCES],
        observations=[hba1c(60, date(2026, 8, 1)), observation("NPU03230", 6.0, date(2026, 8, 1))],
    )
    items = RuleBasedAttention().attention_for(patient, AS_OF)
    assert [(i.severity, i.rule_id) for i in items] == [
        ("high", "LAB-K-HIGH"),
        ("medium", "DM-02"),
        ("medium", "SAFE-05"),  # 76 years on ramipril without renal tests
        ("low", "POLY-01"),
    ]


def test_a_failing_rule_is_logged_by_id_and_left_out(caplog: pytest.LogCaptureFixture) -> None:
    def broken(_patient: PatientFacts, _as_of: date) -> AttentionItem | None:
        raise KeyError("T90")

    source = RuleBasedAttention([("BROKEN", broken), ("LAB-K-HIGH", att.potassium_high)])
    patient = facts(observations=[observation("NPU03230", 6.0, date(2026, 8, 1))])
    with caplog.at_level(logging.ERROR):
        items = source.attention_for(patient, AS_OF)
    assert [i.rule_id for i in items] == ["LAB-K-HIGH"]
    assert "BROKEN failed: KeyError" in caplog.text
    assert "T90" not in caplog.text


def test_a_patient_without_findings_gets_an_empty_panel() -> None:
    assert RuleBasedAttention().attention_for(facts(), AS_OF) == []
