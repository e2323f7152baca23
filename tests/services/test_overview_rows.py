"""The overview's sections built from in-memory facts: active/inactive definitions, medication marks, lab
conversion and flags, targets, timeline and home care (AS_OF 01-09-2026)."""

from datetime import date, datetime, time

import pytest

from cockpit.models import codes
from cockpit.services.overview import sections as ov
from cockpit.services.overview.attention import RuleBasedAttention
from cockpit.services.overview.facts import ConditionFact, MedicationFact
from tests.services.factories import (
    AS_OF,
    condition,
    encounter,
    facts,
    hba1c,
    home_care,
    medication,
    observation,
)

# --- header ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "age"), [(date(1950, 9, 1), 76), (date(1950, 9, 2), 75), (None, None)]
)
def test_age_in_whole_years(birth_date: date | None, age: int | None) -> None:
    assert ov.header(facts(birth_date=birth_date), AS_OF).age == age


def test_cpr_is_masked_and_kept_out_of_repr() -> None:
    head = ov.header(facts(), AS_OF)
    assert head.cpr_masked == "150650-xxxx"
    assert head.cpr_formatted == "150650-4321"
    assert "4321" not in repr(head)
    assert (head.sex_label, head.gp_name, head.municipality) == ("Kvinde", "Martin Nielsen", "Aarhus")


# --- diagnoses ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "active"),
    [
        (condition("K86", date(2026, 9, 1)), True),  # onset today
        (condition("K86", date(2026, 9, 2)), None),  # onset after as_of: not shown
        (condition("K86", None), True),  # no onset
        (condition("K86", abatement=date(2026, 9, 1), clinical=None), False),  # abated today
        (condition("K86", abatement=date(2026, 9, 2), clinical=None), True),  # abates tomorrow
        (condition("K86", clinical="remission"), False),
        (condition("K86", clinical="inactive"), False),
        (condition("K86", clinical="recurrence"), True),
        (condition("K86", verification="refuted"), None),
        (condition("K86", verification="entered-in-error"), None),
        (condition("K86", verification="provisional"), True),
    ],
)
def test_active_condition_definition(entry: ConditionFact, active: bool | None) -> None:
    rows = ov.diagnosis_rows(facts(conditions=[entry]), AS_OF)
    assert [row.active for row in rows] == ([] if active is None else [active])


def test_active_diagnoses_first_newest_onset_first_then_resolved() -> None:
    conditions = [
        condition("R74", date(2026, 1, 5), abatement=date(2026, 1, 20), clinical="resolved"),
        condition("K86", date(2012, 3, 1)),
        condition("T90", date(2019, 5, 1)),
        condition("DI259", date(2021, 2, 1), system=codes.SKS_D),
        condition("T90", date(2020, 1, 1)),  # the same diagnosis again: shown once, from its first onset
        condition("44054006", None, system=codes.SNOMED),
        condition("U71", date(2025, 6, 1), abatement=date(2025, 6, 10), clinical="resolved"),
    ]
    rows = ov.diagnosis_rows(facts(conditions=conditions), AS_OF)
    assert [(r.active, r.system_label, r.code, r.onset) for r in rows] == [
        (True, "SKS", "DI259", date(2021, 2, 1)),
        (True, "ICPC-2", "T90", date(2019, 5, 1)),
        (True, "ICPC-2", "K86", date(2012, 3, 1)),
        (True, "SNOMED CT", "44054006", None),
        (False, "ICPC-2", "R74", date(2026, 1, 5)),
        (False, "ICPC-2", "U71", date(2025, 6, 1)),
    ]


# --- medication --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "shown"),
    [
        (medication("C09AA05", end=date(2026, 9, 1)), "active"),  # ends today
        (medication("C09AA05", end=date(2026, 8, 31), status="completed"), "stopped"),
        (medication("C09AA05", status="stopped"), None),  # stopped, no date: neither active nor dated
        (medication("C09AA05", status="completed"), None),
        (medication("C09AA05", end=date(2027, 1, 1), status="stopped"), "active"),  # an end date decides
        (medication("C09AA05", status="on-hold"), "active"),
        (medication("C09AA05", status=None), "active"),
        # no start date: active only with status active (as the indicator engine; issue 16)
        (medication("C09AA05", start=None), "active"),
        (medication("C09AA05", start=None, end=date(2026, 9, 1)), "active"),
        (medication("C09AA05", start=None, end=date(2026, 8, 31)), None),  # ended yesterday
        (medication("C09AA05", start=None, status=None), None),
        (medication("C09AA05", start=None, status="on-hold"), None),
        (medication("C09AA05", start=None, status="completed"), None),
        (medication("C09AA05", start=date(2026, 9, 2)), None),  # starts tomorrow
        (medication("C09AA05", status="draft"), None),
        (medication("C09AA05", status="cancelled"), None),
        (medication("C09AA05", status="not-taken"), None),
        (medication("C09AA05", status="entered-in-error"), None),
    ],
)
def test_active_medication_definition(entry: MedicationFact, shown: str | None) -> None:
    rows = ov.medication_rows(facts(medications=[entry]), AS_OF)
    assert [("active" if r.active else "stopped") for r in rows] == ([] if shown is None else [shown])


def test_a_drug_without_a_start_date_is_active_since_an_unknown_day_and_not_new() -> None:
    (row,) = ov.medication_rows(facts(medications=[medication("C10AA05", None)]), AS_OF)
    assert (row.active, row.new, row.start) == (True, False, None)


@pytest.mark.parametrize(("start", "new"), [(date(2026, 6, 3), True), (date(2026, 6, 2), False)])
def test_new_means_started_at_most_90_days_ago(start: date, new: bool) -> None:
    (row,) = ov.medication_rows(facts(medications=[medication("C10AA05", start)]), AS_OF)
    assert (row.active, row.new, row.start) == (True, new, start)


def test_a_renewal_is_not_new_and_a_restart_is() -> None:
    renewed = [
        medication("C10AA05", date(2025, 1, 1), date(2026, 7, 31), status="completed"),
        medication("C10AA05", date(2026, 8, 1)),
    ]
    (row,) = ov.medication_rows(facts(medications=renewed), AS_OF)
    assert (row.new, row.start) == (False, date(2025, 1, 1))
    restarted = [
        medication("C10AA05", date(2025, 1, 1), date(2026, 3, 1), status="completed"),
        medication("C10AA05", date(2026, 8, 1)),
    ]
    (row,) = ov.medication_rows(facts(medications=restarted), AS_OF)
    assert (row.new, row.start) == (True, date(2026, 8, 1))


@pytest.mark.parametrize(("end", "listed"), [(date(2026, 6, 3), True), (date(2026, 6, 2), False)])
def test_recently_stopped_means_within_90_days(end: date, listed: bool) -> None:
    rows = ov.medication_rows(facts(medications=[medication("N06AB10", end=end, status="completed")]), AS_OF)
    assert [(r.stopped_recently, r.end) for r in rows] == ([(True, end)] if listed else [])


def test_medication_list_order_marks_and_count() -> None:
    drugs = [
        medication("N06AB10", end=date(2026, 8, 1), status="completed", name="Escitalopram"),
        medication("C09AA05", name="Ramipril", strength="5 mg", dosage="1 tablet dagligt"),
        medication("A10BA02", name="Metformin", strength="500 mg"),
        medication("A10BA02", name="Metformin", strength="500 mg"),  # the same prescription twice
        medication("A10BA02", date(2024, 1, 1), name="Metformin", strength="850 mg"),
        medication("J01CA08", date(2026, 8, 20), date(2026, 8, 22), status="completed", name="Pivmecillinam"),
        medication("313782", system=codes.RXNORM, name="Acetaminophen 325 MG Oral Tablet"),
        medication("B01AC06", date(2026, 8, 15), name="Acetylsalicylsyre"),
    ]
    rows = ov.medication_rows(facts(medications=drugs), AS_OF)
    assert [(r.drug_name, r.strength, r.active, r.new, r.stopped_recently) for r in rows] == [
        ("Acetaminophen 325 MG Oral Tablet", None, True, False, False),
        ("Acetylsalicylsyre", None, True, True, False),
        ("Metformin", "500 mg", True, False, False),
        ("Metformin", "850 mg", True, False, False),
        ("Ramipril", "5 mg", True, False, False),
        ("Pivmecillinam", None, False, False, True),
        ("Escitalopram", None, False, False, True),
    ]
    assert rows[4].atc == "C09AA05" and rows[4].dosage_text == "1 tablet dagligt"
    assert rows[0].atc is None
    assert ov.active_substances(facts(medications=drugs), AS_OF) == 4  # metformin counted once


# --- labs --------------------------------------------------------------------------------------------------


def lab(patient_observations: list[tuple[object, ...]], key: str, **context: object) -> ov.LabRow:
    patient = facts(observations=patient_observations, **context)  # type: ignore[arg-type]
    return next(row for row in ov.lab_rows(patient, AS_OF) if row.key == key)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (("4548-4", 7.0, "%"), ("hba1c", 53, "mmol/mol")),  # 10.929 x (7.0 - 2.15) = 53.006
        (("59261-8", 48, "mmol/mol"), ("hba1c", 48, "mmol/mol")),
        (("2160-0", 1.2, "mg/dL"), ("creatinine", 106, "µmol/L")),  # 1.2 x 88.4 = 106.08
        (("38483-4", 0.9, "mg/dL"), ("creatinine", 80, "µmol/L")),
        (("18262-6", 116.0, "mg/dL"), ("ldl", 3.0, "mmol/L")),  # 116 / 38.67 = 2.9997
        (("718-7", 14.0, "g/dL"), ("haemoglobin", 8.7, "mmol/L")),  # 14 x 0.6206 = 8.688
        (("33914-3", 74.0, "mL/min"), ("egfr", 74, "mL/min/1,73 m²")),
        (("6298-4", 4.2, "mmol/L"), ("potassium", 4.2, "mmol/L")),
        (("29463-7", 81.5, "kg"), ("weight", 81.5, "kg")),
        (("14959-1", 25.0, "mg/g"), ("uacr", 25, "mg/g")),
    ],
)
def test_loinc_results_are_converted_to_the_danish_unit(
    source: tuple[str, float, str], expected: tuple[str, float, str]
) -> None:
    code, value, unit = source
    key, converted, danish_unit = expected
    row = lab([observation(code, value, date(2026, 5, 1), system=codes.LOINC, unit=unit)], key)
    assert row.value == pytest.approx(converted)
    assert (row.unit, row.is_key_test) == (danish_unit, True)


def test_a_value_in_an_unknown_unit_stays_under_its_own_code() -> None:
    odd = observation("NPU18016", 1.1, date(2026, 5, 1), unit="mg/L")
    (row,) = ov.lab_rows(facts(observations=[odd]), AS_OF)
    assert (row.key, row.value, row.unit, row.is_key_test) == (f"{codes.NPU}|NPU18016", 1.1, "mg/L", False)


def test_reference_range_is_converted_with_the_value() -> None:
    creatinine = observation(
        "2160-0", 1.5, date(2026, 5, 1), system=codes.LOINC, unit="mg/dL", ref_low=0.6, ref_high=1.2
    )
    row = lab([creatinine], "creatinine")
    assert (row.value, row.ref_low, row.ref_high, row.flag) == (133, 53, 106, "H")


@pytest.mark.parametrize(
    ("value", "interpretation", "flag"),
    [
        (4.6, None, "H"),
        (3.4, None, "L"),
        (4.4, None, None),  # at the limit is inside
        (3.5, None, None),
        (4.0, "H", "H"),  # the lab's own flag wins
        (4.0, "LL", "L"),
        (4.6, "N", None),
        (4.6, "A", "H"),  # abnormal without a direction: from the range
    ],
)
def test_flag_from_the_lab_else_from_the_range(
    value: float, interpretation: str | None, flag: str | None
) -> None:
    result = observation(
        "NPU03230", value, date(2026, 5, 1), ref_low=3.5, ref_high=4.4, interpretation=interpretation
    )
    assert lab([result], "potassium").flag == flag


def test_latest_with_previous_value_and_nothing_after_as_of() -> None:
    results = [
        hba1c(62, date(2025, 9, 1)),
        hba1c(58, date(2026, 3, 2)),
        hba1c(49, date(2026, 9, 2)),  # after as_of
    ]
    row = lab(results, "hba1c")
    assert (row.value, row.effective.date(), row.previous, row.previous_effective) == (
        58, date(2026, 3, 2), 62, datetime.combine(date(2025, 9, 1), time(8, 0)),
    )  # fmt: skip


def test_key_tests_in_catalogue_order_then_other_tests_by_name() -> None:
    results = [
        observation("NPU03230", 4.1, date(2026, 5, 1)),
        observation("72166-2", None, date(2026, 5, 1), system=codes.LOINC, text="Tidligere ryger",
                    display="Rygestatus"),
        observation("NPU01568", 2.4, date(2026, 5, 1)),
        hba1c(50, date(2026, 5, 1)),
        observation("8302-2", 172, date(2026, 5, 1), system=codes.LOINC, unit="cm", display="Højde"),
        observation("NPU01685", None, date(2026, 5, 1), display="INR"),  # no value at all: not a result
        observation("NPU19651", 30, date(2026, 5, 1), status="entered-in-error"),
    ]  # fmt: skip
    rows = ov.lab_rows(facts(observations=results), AS_OF)
    assert [(r.name, r.value, r.text, r.display) for r in rows] == [
        ("HbA1c", 50, None, "50"),
        ("LDL-kolesterol", 2.4, None, "2,4"),
        ("Kalium", 4.1, None, "4,1"),
        ("Højde", 172, None, "172"),
        ("Rygestatus", None, "Tidligere ryger", "Tidligere ryger"),
    ]


def test_a_comparator_is_kept_in_the_text() -> None:
    below = observation("NPU19661", 3.0, date(2026, 5, 1), unit="mg/g", text="<3")
    row = lab([below], "uacr")
    assert (row.value, row.text, row.display) == (3.0, "<3", "<3")


@pytest.mark.parametrize(
    ("source", "display"),
    [(observation("NPU03429", 137.86, date(2026, 5, 1)), "138"),
     (observation("NPU03230", 4.0, date(2026, 5, 1)), "4,0"),
     (observation("49765-1", 9.11, date(2026, 5, 1), system=codes.LOINC, unit="mg/dL"), "9,11")],
)  # fmt: skip
def test_display_uses_the_key_tests_decimals(source: tuple[object, ...], display: str) -> None:
    (row,) = ov.lab_rows(facts(observations=[source]), AS_OF)
    assert row.display == display


HBA1C_REASON = "klyngens grænse ved type 2-diabetes; individuelt mål aftales"


# Expected targets by hand from the guidelines cited in cockpit/codelists/data/targets.yaml: NBV
# hypertension (< 135 under 80, < 145 from 80, < 130 with diabetes, IHD or CKD; from 80 the age row comes
# first), DES/DSAM 2022 LDL (< 1.4 IHD, < 1.8 diabetes or CKD, moderate risk not applied), DM-02 (≤ 53).
@pytest.mark.parametrize(
    ("conditions", "age", "key", "target"),
    [
        ([], 60, "hba1c", None),
        (["T90"], 60, "hba1c", ("≤", 53, HBA1C_REASON)),
        (["T90"], 60, "ldl", ("<", 1.8, "diabetes")),
        (["T90", "K76"], 60, "ldl", ("<", 1.4, "iskæmisk hjertesygdom")),
        (["K76"], 60, "ldl", ("<", 1.4, "iskæmisk hjertesygdom")),
        ([], 60, "ldl", None),
        (["T90"], 60, "systolic", ("<", 130, "diabetes")),
        (["K76"], 60, "systolic", ("<", 130, "iskæmisk hjertesygdom")),
        (["K86"], 60, "systolic", ("<", 135, "hypertension under 80 år")),
        (["K86"], 80, "systolic", ("<", 145, "80 år og derover")),
        (["K86", "T90"], 85, "systolic", ("<", 145, "80 år og derover")),
        (["K86"], 80, "diastolic", None),
        (["K86"], 79, "diastolic", ("<", 85, "hypertension under 80 år")),
        (["K76"], 60, "diastolic", ("<", 80, "iskæmisk hjertesygdom")),
        ([], 60, "systolic", None),
    ],
)
def test_targets_follow_the_patients_diagnoses_and_age(
    conditions: list[str], age: int, key: str, target: tuple[str, float, str] | None
) -> None:
    results = [
        hba1c(50, date(2026, 5, 1)),
        observation("NPU01568", 2.0, date(2026, 5, 1)),
        observation("8480-6", 128, date(2026, 5, 1), system=codes.LOINC, unit="mm[Hg]"),
        observation("8462-4", 78, date(2026, 5, 1), system=codes.LOINC, unit="mm[Hg]"),
    ]
    born = date(AS_OF.year - age, 1, 1)
    row = lab(results, key, conditions=[condition(c) for c in conditions], birth_date=born)
    found = (row.target.sign, row.target.limit, row.target.reason.da) if row.target else None
    assert found == target
    if row.target is not None:
        assert row.meets_target is row.target.met_by(row.value or 0)


def test_targets_are_strict_except_where_the_source_says_at_most() -> None:
    row = lab([hba1c(53, date(2026, 5, 1))], "hba1c", conditions=[condition("T90")])
    assert row.meets_target is True  # DM-02: ≤ 53
    row = lab([observation("NPU01568", 1.8, date(2026, 5, 1))], "ldl", conditions=[condition("T90")])
    assert row.meets_target is False  # < 1.8
    systolic = observation("8480-6", 130, date(2026, 5, 1), system=codes.LOINC, unit="mm[Hg]")
    row = lab([systolic], "systolic", conditions=[condition("T90")])
    assert row.meets_target is False  # < 130
    row = lab([systolic], "systolic", conditions=[condition("K86")], birth_date=date(1966, 1, 1))
    assert row.meets_target is True  # < 135


# --- lab series ------------------------------------------------------------------------------------------


def test_series_mixes_codes_and_units_and_stops_at_as_of() -> None:
    patient = facts(
        conditions=[condition("T90")],
        observations=[
            observation("4548-4", 7.5, date(2024, 5, 1), system=codes.LOINC, unit="%"),
            observation("NPU27300", 55, date(2025, 5, 1), unit="mmol/mol", ref_low=31, ref_high=44),
            hba1c(52, date(2026, 5, 1)),
            hba1c(51, date(2026, 9, 2)),
        ],
    )
    for lab_name in ("hba1c", "NPU27300", "4548-4"):
        series = ov.build_lab_series(patient, lab_name, AS_OF)
        assert [(p[0].date(), p[1]) for p in series.points] == [
            (date(2024, 5, 1), 58), (date(2025, 5, 1), 55), (date(2026, 5, 1), 52),
        ]  # fmt: skip
        assert (series.name, series.unit, series.ref_low, series.ref_high) == ("HbA1c", "mmol/mol", 31, 44)
        assert series.target is not None and series.target.limit == 53


def test_series_of_another_test_and_of_an_unknown_one() -> None:
    height = observation("8302-2", 172, date(2026, 5, 1), system=codes.LOINC, unit="cm", display="Højde")
    patient = facts(observations=[height])
    for name in ("8302-2", f"{codes.LOINC}|8302-2"):
        series = ov.build_lab_series(patient, name, AS_OF)
        assert (series.name, series.unit, len(series.points), series.target) == ("Højde", "cm", 1, None)
    assert ov.build_lab_series(patient, "NPU99999", AS_OF).points == ()


# --- timeline and home care ------------------------------------------------------------------------------


def test_timeline_holds_every_contact_and_home_care_oldest_first() -> None:
    patient = facts(
        encounters=[
            encounter(
                "inpatient", datetime(2026, 2, 3, 22, 30), datetime(2026, 2, 7, 11, 0), reason="Pneumoni"
            ),
            encounter("gp_consultation", date(2019, 4, 1)),
            encounter("emergency", date(2026, 3, 1), status="entered-in-error"),
            encounter("outpatient", date(2026, 10, 1), status="planned"),  # booked: shown
            encounter("phone", date(2026, 1, 2)),
        ],
        home_care_services=[home_care("Praktisk hjælp", date(2025, 11, 1))],
    )
    events = ov.timeline(patient)
    assert [(e.kind, e.start.date(), e.label, e.length_of_stay_days) for e in events] == [
        ("gp_consultation", date(2019, 4, 1), "Konsultation", None),
        ("home_care", date(2025, 11, 1), "Hjemmepleje: Praktisk hjælp", None),
        ("phone", date(2026, 1, 2), "Telefonkonsultation", None),
        ("inpatient", date(2026, 2, 3), "Indlæggelse: Pneumoni", 4),
        ("outpatient", date(2026, 10, 1), "Ambulant besøg", None),
    ]


def test_home_care_shows_what_runs_on_as_of() -> None:
    services = [
        home_care("Personlig pleje", date(2025, 1, 1)),
        home_care("Madservice", date(2025, 1, 1), date(2026, 9, 1), status="active"),  # ends today
        home_care("Nødkald", date(2025, 1, 1), date(2026, 8, 31), status="completed"),
        home_care("Praktisk hjælp", date(2025, 1, 1), status="completed"),  # completed, no date
        home_care("Hjemmesygepleje", date(2026, 9, 2)),  # starts tomorrow
    ]
    rows = ov.home_care_rows(facts(home_care_services=services), AS_OF)
    assert [r.service for r in rows] == ["Madservice", "Personlig pleje"]
    assert rows[1].hours_per_week == 3.5 and rows[1].provider == "Aarhus Kommune"


def test_build_overview_puts_the_sections_together() -> None:
    patient = facts(
        conditions=[condition("T90")],
        medications=[medication("A10BA02")],
        observations=[hba1c(71, date(2026, 3, 2))],
    )
    overview = ov.build_overview(patient, AS_OF, RuleBasedAttention())
    assert overview.as_of == AS_OF and overview.header.name == "Tove Testesen"
    assert [i.evidence for i in overview.attention] == [
        (
            "HbA1c 71 mmol/mol, 02-03-2026, mål ≤ 53 "
            "(klyngens grænse ved type 2-diabetes; individuelt mål aftales)"
        )
    ]
    assert (len(overview.diagnoses), len(overview.medications), overview.active_substances) == (1, 1, 1)
    assert overview.labs[0].meets_target is False
