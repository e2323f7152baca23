"""The key-test catalogue: codes, units and conversions (Danish numbers: tests/models/test_danish.py)."""

import pytest

from cockpit.codelists import targets
from cockpit.codelists.units import unit_key
from cockpit.models import codes
from cockpit.services.overview import labcatalogue as lc


@pytest.mark.parametrize("system", [codes.NPU, codes.NPU_LABTERM, codes.NPU_OID])
def test_npu_codes_are_found_under_every_npu_system(system: str) -> None:
    test = lc.key_test_for(system, "NPU27300")
    assert test is not None and test.key == "hba1c"


def test_a_loinc_code_is_not_found_under_another_system() -> None:
    assert lc.key_test_for(codes.LOINC, "NPU27300") is None
    assert lc.key_test_for(codes.NPU, "4548-4") is None


def test_every_code_belongs_to_one_key_test_only() -> None:
    seen = [(c.system, c.code) for test in lc.KEY_TESTS for c in test.codes]
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    ("spelling", "same_as"),
    [
        ("µmol/L", "umol/L"),
        ("μmol/l", "umol/L"),
        ("mL/min/1,73 m²", "mL/min/{1.73_m2}"),
        ("mm[Hg]", "MM[HG]"),
    ],
)
def test_unit_spellings(spelling: str, same_as: str) -> None:
    assert unit_key(spelling) == unit_key(same_as)


def test_conversions() -> None:
    hba1c = lc.KEY_TEST_BY_KEY["hba1c"]
    percent = hba1c.conversion("%")
    assert percent is not None and percent.apply(7.0) == pytest.approx(53.006, abs=0.001)
    assert hba1c.conversion(None) == lc.SAME
    assert hba1c.conversion("mg/dL") is None
    creatinine = lc.KEY_TEST_BY_KEY["creatinine"].conversion("mg/dL")
    assert creatinine is not None and creatinine.apply(1.0) == pytest.approx(88.4)
    ldl = lc.KEY_TEST_BY_KEY["ldl"].conversion("mg/dL")
    assert ldl is not None and ldl.apply(38.67) == pytest.approx(1.0)


def test_every_target_measure_belongs_to_a_key_test_in_the_same_unit() -> None:
    for key, measure_id in lc.TARGET_MEASURES.items():
        assert lc.KEY_TEST_BY_KEY[key].unit == targets.measure(measure_id).unit


def test_target_context_names_the_codelists_of_active_conditions() -> None:
    context = lc.target_context(70, [(codes.ICPC2, "T90"), (codes.ICPC2, "K86.01"), (codes.ICPC2, "R74")])
    assert context == lc.TargetContext(70, frozenset({"t2d", "hypertension"}))
