"""The targets file (cockpit/codelists/data/targets.yaml) and its loader: the content the guidelines give,
and a file that breaks the format is refused with the place named."""

import pytest

from cockpit.codelists import targets as t
from cockpit.codelists.loader import Title

FILE = "targets.yaml"


def test_every_measure_is_cited_reviewed_and_has_reasons_in_both_languages() -> None:
    measures = t.measures()
    assert {"systolic-bp", "diastolic-bp", "ldl", "hba1c"} <= set(measures)
    for measure in measures.values():
        assert measure.sources and all(s.startswith("https://") for s in measure.sources)
        assert measure.reviewed.year >= 2026
        for rule in measure.rules:
            assert rule.reason.da and rule.reason.en


def test_only_the_hba1c_cluster_cut_off_is_at_most() -> None:
    at_most = [(m.id, r.limit) for m in t.measures().values() for r in m.rules if r.comparison == "at_most"]
    assert at_most == [("hba1c", 53.0)]  # DM-02: latest HbA1c ≤ 53


@pytest.mark.parametrize(
    ("measure", "age", "conditions", "expected"),
    [
        # NBV hypertension, by hand.
        ("systolic-bp", 60, {"hypertension"}, (135, "hypertension under 80 år")),
        ("systolic-bp", 79, {"hypertension"}, (135, "hypertension under 80 år")),
        ("systolic-bp", 80, {"hypertension"}, (145, "80 år og derover")),
        ("systolic-bp", 60, {"hypertension", "t2d"}, (130, "diabetes")),
        ("systolic-bp", 60, {"t1d"}, (130, "diabetes")),
        ("systolic-bp", 60, {"ckd"}, (130, "kronisk nyresygdom")),
        ("systolic-bp", 85, {"t2d"}, (145, "80 år og derover")),  # from 80 the age row comes first
        ("systolic-bp", 85, set(), None),
        ("systolic-bp", None, {"hypertension"}, (135, "hypertension under 80 år")),
        ("diastolic-bp", 85, {"hypertension"}, None),
        ("diastolic-bp", None, {"hypertension"}, None),  # the < 85 row is for under 80: age unknown
        ("diastolic-bp", 85, {"ihd"}, (80, "iskæmisk hjertesygdom")),
        # DES/DSAM 2022 LDL.
        ("ldl", 60, {"ihd", "t2d"}, (1.4, "iskæmisk hjertesygdom")),
        ("ldl", 60, {"t2d"}, (1.8, "diabetes")),
        ("ldl", 60, {"hypertension"}, None),  # moderate risk (< 2.6) is not applied
        ("hba1c", 60, {"t2d"}, (53, "klyngens grænse ved type 2-diabetes; individuelt mål aftales")),
        ("hba1c", 60, {"t1d"}, None),
    ],
)
def test_the_first_rule_that_applies_is_the_target(
    measure: str, age: int | None, conditions: set[str], expected: tuple[float, str] | None
) -> None:
    rule = t.measure(measure).target_for(age, conditions)
    assert (None if rule is None else (rule.limit, rule.reason.da)) == expected


def test_below_is_strict_and_at_most_is_not() -> None:
    below = t.TargetRule(130, "below", Title("x", "x"))
    at_most = t.TargetRule(53, "at_most", Title("x", "x"))
    assert below.met_by(129.9) and not below.met_by(130)
    assert at_most.met_by(53) and not at_most.met_by(53.1)
    assert (below.sign, at_most.sign) == ("<", "≤")


GOOD_RULE = '{conditions: [t2d], below: 130, reason: {da: "diabetes", en: "diabetes"}}'


def _file(rule: str = GOOD_RULE, **measure: str) -> str:
    fields = {
        "title": '{da: "Systolisk", en: "Systolic"}',
        "unit": "mmHg",
        "sources": '["https://www.cardio.dk/hypertension"]',
        "reviewed": '"2026-12-07"',
        **measure,
    }
    lines = "".join(f"    {key}: {value}\n" for key, value in fields.items() if value)
    return f"format: 1\nmeasures:\n  systolic-bp:\n{lines}    rules:\n      - {rule}\n"


def test_a_well_formed_file_is_read() -> None:
    (measure,) = t.parse_targets(_file(), FILE).values()
    assert measure.unit == "mmHg" and measure.rules[0].conditions == ("t2d",)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("format: 2\nmeasures: {}\n", "needs format: 1"),
        (_file(sources=""), "missing ['sources']"),
        (_file(reviewed='"soon"'), "reviewed must be a date"),
        (_file('{below: 130, at_most: 130, reason: {da: "a", en: "b"}}'), "exactly one of below, at_most"),
        (_file('{below: "130", reason: {da: "a", en: "b"}}'), "below must be a number"),
        (_file('{conditions: [diabetes], below: 130, reason: {da: "a", en: "b"}}'), "no codelist diabetes"),
        (_file('{age: {min: 79.5}, below: 130, reason: {da: "a", en: "b"}}'), "whole years"),
        (_file("{below: 130}"), "needs a reason"),
        (_file('{below: 130, reason: {da: "a"}}'), "needs da and en"),
        (_file('{below: 130, upto: 1, reason: {da: "a", en: "b"}}'), "unexpected ['upto']"),
    ],
)
def test_a_broken_file_is_refused_naming_the_place(text: str, problem: str) -> None:
    with pytest.raises(t.TargetError, match=r"^targets\.yaml: ") as raised:
        t.parse_targets(text, FILE)
    assert problem in str(raised.value)
