"""The generator's parts on their own: the CPR scheme, CKD-EPI, Danish UTC offsets, the code tables."""

import re
from datetime import date, datetime, timedelta
from random import Random

import pytest

from cockpit.demo import model, vocabulary
from cockpit.demo.cpr import century_digits, is_synthetic_for, passes_modulus_11, synthetic_cpr, year_from_cpr
from cockpit.demo.dates import local_datetime, utc_offset
from cockpit.demo.labs import creatinine_for, egfr_for
from cockpit.demo.treatment import PREDECESSOR
from cockpit.models import codes

# --- CPR -------------------------------------------------------------------------------------------------


def test_synthetic_cpr_numbers_fit_birth_date_and_sex_and_fail_modulus_11() -> None:
    rng = Random(1)
    day = date(1900, 1, 1)
    while day < date(2057, 12, 31):
        for male in (True, False):
            cpr = synthetic_cpr(day, male, rng)
            assert is_synthetic_for(cpr, day, male), (cpr, day, male)
            assert not passes_modulus_11(cpr)
            assert int(cpr[6]) in century_digits(day.year)
            assert year_from_cpr(int(cpr[4:6]), int(cpr[6])) == day.year
        day += timedelta(days=37)


def test_modulus_11_check_of_a_known_valid_number() -> None:
    # 070761-4285 is the well-known textbook example that passes the old check.
    assert passes_modulus_11("0707614285")
    assert not is_synthetic_for("0707614285", date(1961, 7, 7), male=False)


@pytest.mark.parametrize(
    ("cpr", "birth_date", "male"),
    [
        ("0101801231", date(1980, 1, 2), True),  # another birth date
        ("0101801230", date(1980, 1, 1), True),  # even last digit: a woman
        ("3102801231", date(1980, 2, 28), True),  # not a date
        ("010180123", date(1980, 1, 1), True),  # nine digits
        ("01018012a1", date(1980, 1, 1), True),
    ],
)
def test_numbers_that_do_not_fit_are_rejected(cpr: str, birth_date: date, male: bool) -> None:
    assert not is_synthetic_for(cpr, birth_date, male)


def test_century_digit_decides_the_birth_year() -> None:
    assert year_from_cpr(36, 4) == 2036
    assert year_from_cpr(37, 4) == 1937
    assert year_from_cpr(57, 5) == 2057
    assert year_from_cpr(58, 5) == 1858
    assert year_from_cpr(99, 3) == 1999


# --- eGFR, dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("egfr", [8, 25, 44, 59, 75, 90, 110, 125])
@pytest.mark.parametrize("male", [True, False])
def test_creatinine_and_egfr_are_inverse(egfr: float, male: bool) -> None:
    creatinine = creatinine_for(egfr, 70, male)
    assert egfr_for(creatinine, 70, male) == pytest.approx(egfr, rel=1e-9)


def test_ckd_epi_2021_reference_values() -> None:
    # A 60-year-old man with creatinine 100 µmol/L (1.13 mg/dL) has an eGFR of about 75.
    assert egfr_for(100, 60, male=True) == pytest.approx(75, abs=1.5)
    assert egfr_for(100, 60, male=False) < egfr_for(100, 60, male=True)


def test_danish_offsets_follow_summer_time() -> None:
    assert utc_offset(date(2025, 3, 29)) == "+01:00"
    assert utc_offset(date(2025, 3, 30)) == "+02:00"
    assert utc_offset(date(2025, 10, 25)) == "+02:00"
    assert utc_offset(date(2025, 10, 26)) == "+01:00"
    assert local_datetime(datetime(2024, 7, 1, 8, 5)) == "2024-07-01T08:05:00+02:00"


# --- code tables -----------------------------------------------------------------------------------------

PATTERNS = {
    codes.ICPC2: r"[A-Z]\d{2}",
    codes.SKS_D: r"D[A-Z]\d{2,4}",
    codes.ATC: r"[A-Z]\d{2}[A-Z]{2}\d{2}",
    codes.NPU: r"(NPU|DNK)\d{5}",
    codes.NPU_OID: r"(NPU|DNK)\d{5}",
    vocabulary.MEDCOM: r"MCS\d{5}",
    codes.LOINC: r"\d{1,5}-\d",
    codes.SNOMED: r"\d{6,18}",
}


@pytest.mark.parametrize("system", sorted(PATTERNS))
def test_codes_have_the_shape_of_their_system(system: str) -> None:
    table = vocabulary.CODE_TABLES[system]
    assert table
    for code, display in table.items():
        assert re.fullmatch(PATTERNS[system], code), code
        assert display and display.strip() == display


def test_every_code_the_model_names_is_in_the_tables() -> None:
    drugs = set(vocabulary.DRUGS)
    named = {
        *model.EXTRA_DRUG_POOL,
        *(atc for atc, _ in model.ANTICOAGULANTS),
        *(atc for atc, _ in model.UTI_DRUGS),
        *(atc for _, _, _, choices in model.INFECTION_KINDS.values() for atc, _ in choices),
        *PREDECESSOR,
        *PREDECESSOR.values(),
        *(atc for pair in vocabulary.COMBINATIONS for atc in pair),
        *vocabulary.COMBINATIONS.values(),
        *(atc for atc, _ in vocabulary.STRONG_OPIOIDS),
        *vocabulary.UTI_AVOID_WITH_METHOTREXATE,
        vocabulary.ALISKIREN_THIAZIDE,
        vocabulary.METFORMIN,
        vocabulary.METHOTREXATE,
    }
    assert named <= drugs, named - drugs
    assert set(model.INFECTION_KINDS) <= set(vocabulary.ICPC2)
    assert {code for code, _ in model.IHD_KINDS} <= set(vocabulary.ICPC2)
    assert set(model.HOME_CARE_SERVICES) == set(vocabulary.HOME_CARE_SERVICES)
    assert set(vocabulary.CONTACT_TYPES) == set(vocabulary.CONTACT_CLASS)


def test_courses_are_short_and_long_term_drugs_have_no_course() -> None:
    for drug in vocabulary.DRUGS.values():
        if drug.atc.startswith("J01"):
            assert 3 <= drug.course_days <= 7, drug.atc
        assert drug.text == f"{drug.name} {drug.strength}"
    assert all(vocabulary.DRUGS[atc].course_days == 0 for atc in model.EXTRA_DRUG_POOL)


def test_prevalence_table_covers_every_band() -> None:
    for name, state in model.STATES.items():
        assert len(state.prevalence) == len(model.AGE_BANDS), name
        assert all(0 <= share < 1 for pair in state.prevalence for share in pair), name
    assert sum(weight for _, _, weight in model.AGE_PYRAMID) == pytest.approx(100)
