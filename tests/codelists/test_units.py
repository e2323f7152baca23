"""Unit spellings: the keys that make "mmol/l" and "mmol/L" one unit, checked by hand."""

import pytest

from cockpit.codelists.units import normalise, same_unit, spellings, unit_key


@pytest.mark.parametrize(
    ("spelling", "same_as"),
    [
        ("mmol/l", "mmol/L"),
        ("µmol/L", "umol/L"),
        ("μmol/l", "umol/L"),
        ("mL/min/1,73 m²", "mL/min/{1.73_m2}"),
        ("ml/min/1.73m2", "mL/min/{1.73_m2}"),
        ("mmHg", "mm[Hg]"),
        ("mm Hg", "mm[Hg]"),
        ("MM[HG]", "mm[Hg]"),
        ("pct.", "%"),
        ("mia./l", "10*9/L"),
        ("×10⁹/l", "10*9/L"),
        ("kg/m²", "kg/m2"),
    ],
)
def test_spellings_of_one_unit_share_a_key(spelling: str, same_as: str) -> None:
    assert unit_key(spelling) == unit_key(same_as)
    assert same_unit(spelling, same_as)


@pytest.mark.parametrize(
    ("unit", "other"),
    [("mmol/L", "mmol/mol"), ("mg/dL", "mmol/L"), ("mL/min", "mL/min/{1.73_m2}"), ("%", "mmol/mol")],
)
def test_different_units_stay_different(unit: str, other: str) -> None:
    assert not same_unit(unit, other)


def test_a_missing_unit_is_no_unit() -> None:
    assert not same_unit(None, "mmol/L")


def test_normalise_folds_case_spaces_and_signs_but_no_spelling() -> None:
    assert normalise("mL/min/1,73 m²") == "ml/min/1.73m2"
    assert normalise("mmHg") == "mmhg"  # the spelling table, not normalise, makes it mm[Hg]


def test_spellings_are_what_sql_compares_with() -> None:
    assert spellings("mm[Hg]") == {"mm[hg]", "mmhg"}
    assert spellings("mL/min/{1.73_m2}") == {"ml/min/1.73m2"}
