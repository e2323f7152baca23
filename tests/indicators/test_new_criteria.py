# ruff: noqa: E501 (pack text is clearer on one line per criterion)
"""The criteria and the indicator kind added for issue 16: ``medication`` with ``active_for`` and
``near_condition``, ``observation`` with ``repeated``, and ``unit: prescriptions``. How packs using them
are checked, described and diffed; their results are in the built-in packs' fixtures (run on both stores
by test_fixtures_on_stores.py)."""

from pathlib import Path

import pytest

from cockpit.indicators.describe import describe
from cockpit.indicators.diff import pack_diff
from cockpit.indicators.errors import PackFixtureError, PackInvalidError
from cockpit.indicators.model import Pack
from cockpit.indicators.packformat import load_pack
from cockpit.indicators.registry import builtin_packs

PACK = """\
format: 1
id: test-pack
version: "1.0"
title: {da: "Testpakke", en: "Test pack"}
topic: testing
value_sets:
  antibiotics:
    title: {da: "antibiotika", en: "antibiotics"}
    codes: [{system: ATC, code: J01}]
  not_first_line:
    title: {da: "ikke førstevalg", en: "not first-line"}
    codes: [{system: ATC, code: J01}]
    exclude: [{system: ATC, code: J01CA08}]
  uti:
    title: {da: "cystitis", en: "cystitis"}
    codes: [{system: ICPC2, code: U71}]
  opioid:
    title: {da: "opioid", en: "opioid"}
    codes: [{system: ATC, code: N02A}]
  egfr:
    title: {da: "eGFR", en: "eGFR"}
    unit: "mL/min/{1.73_m2}"
    codes: [{system: NPU, code: DNK35302}]
indicators:
  - id: TEST-SHARE
    kind: process
    unit: prescriptions
    title: {da: "Andel", en: "Share"}
    source: "https://example.org/source"
    population: {medication: {value_set: antibiotics, within: {months: 12}, near_condition: {value_set: uti, days: 7}}}
    hit: {medication: {value_set: not_first_line, within: {months: 12}, near_condition: {value_set: uti, days: 7}}}
  - id: TEST-LONG
    kind: safety
    title: {da: "Lang", en: "Long"}
    source: "https://example.org/source"
    population: {medication: {value_set: opioid, active_for: {months: 3}}}
    hit: {observation: {value_set: egfr, within: {months: 24}, repeated: {min: 2, op: "<", value: 60, apart: {days: 90}}}}
fixtures:
  - name: "one each"
    as_of: "2025-06-30"
    patients:
      - {id: p1, conditions: [{system: ICPC2, code: U71, onset: "2025-06-01"}],
         medications: [{system: ATC, code: J01MA02, start: "2025-06-02"}, {system: ATC, code: J01CA08, start: "2025-06-01"}]}
      - {id: p2, medications: [{system: ATC, code: N02AX02, start: "2025-01-01"}],
         observations: [{system: NPU, code: DNK35302, value: 50, unit: "mL/min/{1.73_m2}", date: "2024-01-01"},
                        {system: NPU, code: DNK35302, value: 40, unit: "mL/min/{1.73_m2}", date: "2025-01-01"}]}
    expect:
      TEST-SHARE: {population: [p1], hits: [p1], prescriptions: {population: 2, hits: 1}}
      TEST-LONG: {population: [p2], hits: [p2]}
"""


def load(tmp_path: Path, text: str = PACK) -> Pack:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return load_pack(path, run_fixtures=True)


def refusal(tmp_path: Path, text: str) -> str:
    with pytest.raises(PackInvalidError) as caught:
        load(tmp_path, text)
    return "\n".join(str(problem) for problem in caught.value.problems)


def test_the_example_loads_and_its_fixture_passes(tmp_path: Path) -> None:
    pack = load(tmp_path)
    share, long = pack.indicators
    assert (share.unit, long.unit) == ("prescriptions", "patients")
    assert describe(share.population) == (
        "medication antibiotics started within 12 months within 7 days of condition uti"
    )
    assert describe(long.population) == "medication opioid active for ≥ 3 months"
    assert describe(long.hit) == ("observation egfr within 24 months, ≥ 2 values < 60 at least 90 days apart")


def test_an_indicator_of_prescriptions_needs_prescribing_criteria(tmp_path: Path) -> None:
    text = PACK.replace(
        "    hit: {medication: {value_set: not_first_line, within: {months: 12}, near_condition: {value_set: uti, days: 7}}}",
        "    hit: {medication: not_first_line}",
    )
    assert refusal(tmp_path, text) == (
        f"{tmp_path}/pack.yaml:31: indicators[0].hit: an indicator of prescriptions needs a medication "
        "criterion with within as its hit"
    )
    text = PACK.replace(
        "    population: {medication: {value_set: antibiotics, within: {months: 12}, near_condition: {value_set: uti, days: 7}}}",
        "    population: {condition: uti}",
    )
    assert "an indicator of prescriptions needs one medication criterion with within in its population" in (
        refusal(tmp_path, text)
    )


def test_prescription_counts_are_expected_only_of_an_indicator_of_prescriptions(tmp_path: Path) -> None:
    text = PACK.replace(
        "TEST-LONG: {population: [p2], hits: [p2]}",
        "TEST-LONG: {population: [p2], hits: [p2], prescriptions: {population: 1, hits: 1}}",
    )
    assert "fixtures[0].expect.TEST-LONG.prescriptions: TEST-LONG does not count prescriptions" in (
        refusal(tmp_path, text)
    )


def test_contradictory_options_are_refused(tmp_path: Path) -> None:
    text = PACK.replace("active_for: {months: 3}", "active_for: {months: 3}, within: {months: 3}")
    assert "within (prescribed in a window) and active_for exclude each other" in refusal(tmp_path, text)
    text = PACK.replace("repeated: {min: 2,", 'latest: {op: "<", value: 30}, repeated: {min: 2,')
    assert "latest and repeated exclude each other" in refusal(tmp_path, text)
    text = PACK.replace("repeated: {min: 2,", "repeated: {min: 1,")
    assert "a repeated value needs at least 2 values" in refusal(tmp_path, text)
    text = PACK.replace("apart: {days: 90}", "apart: {months: 3}")
    assert "apart" in refusal(tmp_path, text)
    text = PACK.replace(
        "near_condition: {value_set: uti, days: 7}}}\n    hit",
        "near_condition: {value_set: cystitis, days: 7}}}\n    hit",
    )
    assert "value set cystitis is not defined in this pack" in refusal(tmp_path, text)


def test_a_wrong_prescription_count_fails_the_fixture(tmp_path: Path) -> None:
    text = PACK.replace("prescriptions: {population: 2, hits: 1}", "prescriptions: {population: 2, hits: 2}")
    with pytest.raises(
        PackFixtureError, match=r"prescriptions \(counted, found\) were \(2, 1\), expected \(2, 2\)"
    ):
        load(tmp_path, text)


def test_the_diff_shows_the_new_options(tmp_path: Path) -> None:
    (new,) = [p for p in builtin_packs() if p.id == "antibiotics"]
    assert new.path is not None
    old_text = (
        new.path.read_text("utf-8")
        .replace('version: "1.2.0"', 'version: "1.0.0"')
        .replace("    unit: prescriptions\n", "")
        .replace(
            "hit: {medication: {value_set: uti_not_first_line, within: {months: 12}, near_condition: {value_set: uti, days: 7},",
            "hit: {medication: {value_set: uti_not_first_line, within: {months: 12}, near_condition: {value_set: uti, days: 3},",
        )
        .replace("        prescriptions: {population: 6, hits: 3}\n", "")
    )
    path = tmp_path / "antibiotics.yaml"
    path.write_text(old_text, encoding="utf-8")
    old = load_pack(path)
    assert pack_diff(old, new) == [
        "pack antibiotics: version 1.0.0 -> 1.2.0",
        "~ AB-UTI-NOT-FIRST-LINE: counts patients -> prescriptions",
        "~ AB-UTI-NOT-FIRST-LINE: hit: medication uti_not_first_line started within 12 months within 3 days of "
        "condition uti -> medication uti_not_first_line started within 12 months within 7 days of condition uti",
    ]
    added = pack_diff(None, new)
    assert (
        "+ indicator AB-UTI-NOT-FIRST-LINE: Antibiotics for urinary tract infection other than first-line (share of prescriptions)"
        in added
    )
