"""Pack files: the built-in packs are valid and their fixtures pass; a malformed pack is refused with a
message that names the file, the line and the field."""

import re
from pathlib import Path

import pytest

from cockpit.indicators.describe import describe
from cockpit.indicators.diff import pack_diff
from cockpit.indicators.errors import PackFixtureError, PackInvalidError, PackTamperedError
from cockpit.indicators.fixtures import run_fixtures
from cockpit.indicators.packformat import load_pack, with_checksum
from cockpit.indicators.registry import builtin_packs

PACKS = Path(__file__).resolve().parents[2] / "cockpit" / "indicators" / "packs"
REFERENCE_IDS = {
    "DM-HBA1C-12M",
    "DM-HBA1C-HIGH",
    "IHD-STATIN",
    "SAFE-NSAID-OAC",
    "SAFE-TRIPLE",
    "POLY-75-10",
    "UTIL-ADM-12M",
    "HT-BP-12M",
    "UTIL-READMIT-30D",
}

# A small valid pack; the tests below break it one way at a time. Line numbers matter.
VALID = """\
format: 1
id: test-pack
version: "1.0"
title: {da: "Testpakke", en: "Test pack"}
topic: testing
value_sets:
  t2d:
    title: {da: "type 2-diabetes", en: "type 2 diabetes"}
    codes:
      - {system: ICPC2, code: T90}
  hba1c:
    title: {da: "HbA1c", en: "HbA1c"}
    unit: mmol/mol
    codes:
      - {system: NPU, code: NPU27300}
indicators:
  - id: TEST-1
    kind: process
    title: {da: "Test", en: "Test"}
    source: "https://example.org/source"
    parameters:
      limit: {default: 75, min: 50, max: 100, title: {da: "Grænse", en: "Limit"}}
    population: {condition: t2d}
    hit: {observation: {value_set: hba1c, within: {months: 12}, latest: {op: ">=", value: $limit}}}
fixtures:
  - name: "one high"
    as_of: "2025-06-30"
    patients:
      - {id: p1, birth_date: "1960-01-01", conditions: [{system: ICPC2, code: T90}],
         observations: [{system: NPU, code: NPU27300, value: 80, unit: mmol/mol, date: "2025-01-01"}]}
    expect:
      TEST-1: {population: [p1], hits: [p1]}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str) -> str:
    with pytest.raises(PackInvalidError) as caught:
        load_pack(write(tmp_path, text))
    return str(caught.value)


# --- the built-in packs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(PACKS.glob("*.yaml")), ids=lambda p: p.stem)
def test_builtin_pack_is_valid_and_its_fixtures_pass(path: Path) -> None:
    pack = load_pack(path)
    assert pack.id == path.stem
    assert run_fixtures(pack) == []


def test_every_builtin_indicator_has_a_source_and_hand_checked_hits() -> None:
    packs = builtin_packs()
    indicators = [i for pack in packs for i in pack.indicators]
    assert len({i.id for i in indicators}) == len(indicators), "indicator ids are unique across packs"
    assert {i.id for i in indicators} >= REFERENCE_IDS
    assert {p.id for p in packs} == {
        "admissions", "antibiotics", "atrial-fibrillation", "ckd", "copd", "diabetes", "drug-safety",
        "hypertension", "ihd", "polypharmacy",
    }  # fmt: skip
    for pack in packs:
        expected = {indicator_id for fixture in pack.fixtures for indicator_id in fixture.expect}
        for indicator in pack.indicators:
            assert indicator.source and all(s.startswith("https://") for s in indicator.source), indicator.id
            assert indicator.id in expected, f"{indicator.id} has no fixture"
            assert any(
                fixture.expect[indicator.id].hits
                for fixture in pack.fixtures
                if indicator.id in fixture.expect
            ), f"{indicator.id} has no fixture with a hit"


def test_the_valid_example_loads_and_its_fixture_passes(tmp_path: Path) -> None:
    pack = load_pack(write(tmp_path, VALID), run_fixtures=True)
    assert [i.id for i in pack.indicators] == ["TEST-1"]


# --- malformed packs ---------------------------------------------------------------------------------------


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    text = VALID.replace('title: {da: "Test", en: "Test"}', 'title: {da: "Test", en: "Test"')
    message = refusal(tmp_path, text)
    assert re.match(rf"{re.escape(str(tmp_path))}/pack.yaml:2[01]: \(document\): not valid YAML", message)


def test_a_misspelt_criterion_names_line_and_field(tmp_path: Path) -> None:
    message = refusal(tmp_path, VALID.replace("population: {condition: t2d}", "population: {conditon: t2d}"))
    assert message == (
        f"{tmp_path}/pack.yaml:23: indicators[0].population: "
        "Additional properties are not allowed ('conditon' was unexpected)"
    )


def test_a_value_of_the_wrong_type(tmp_path: Path) -> None:
    message = refusal(tmp_path, VALID.replace('version: "1.0"', "version: 1.0"))
    assert message == f"{tmp_path}/pack.yaml:3: version: 1.0 is not of type 'string'"


def test_an_undefined_value_set(tmp_path: Path) -> None:
    message = refusal(tmp_path, VALID.replace("population: {condition: t2d}", "population: {condition: t1d}"))
    assert (
        message == f"{tmp_path}/pack.yaml:23: indicators[0].population.condition: "
        "value set t1d is not defined in this pack"
    )


def test_a_code_that_cannot_be_in_its_system(tmp_path: Path) -> None:
    message = refusal(
        tmp_path, VALID.replace("{system: ICPC2, code: T90}\n  hba1c", "{system: ATC, code: T-90}\n  hba1c")
    )
    assert message == f"{tmp_path}/pack.yaml:10: value_sets.t2d.codes[0].code: 'T-90' is not a valid ATC code"


def test_a_duplicate_key(tmp_path: Path) -> None:
    message = refusal(tmp_path, VALID.replace("topic: testing\n", "topic: testing\ntopic: other\n"))
    assert message == f"{tmp_path}/pack.yaml:6: topic: duplicate key"


def test_an_undeclared_parameter_and_an_unused_one(tmp_path: Path) -> None:
    with pytest.raises(PackInvalidError) as caught:
        load_pack(write(tmp_path, VALID.replace("value: $limit", "value: $limt")))
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path}/pack.yaml:24: indicators[0].hit.observation.latest.value: "
        "$limt is not a parameter of this indicator",
        f"{tmp_path}/pack.yaml:22: indicators[0].parameters.limit: parameter is declared but not used",
    ]
    assert str(caught.value).endswith("(and 1 more problem)")


def test_a_default_outside_its_range(tmp_path: Path) -> None:
    message = refusal(tmp_path, VALID.replace("default: 75", "default: 40"))
    assert (
        message == f"{tmp_path}/pack.yaml:22: indicators[0].parameters.limit: "
        "default 40 is not within min 50 and max 100"
    )


def test_an_evidence_template_with_an_unknown_field(tmp_path: Path) -> None:
    text = VALID.replace(
        'latest: {op: ">=", value: $limit}}}',
        'latest: {op: ">=", value: $limit}, evidence: "HbA1c {valeu}"}}',
    )
    message = refusal(tmp_path, text)
    assert message.startswith(
        f"{tmp_path}/pack.yaml:24: indicators[0].hit.observation.evidence: evidence template uses {{valeu}}"
    )
    assert "{value}" in message


def test_a_comparison_on_a_value_set_without_unit(tmp_path: Path) -> None:
    message = refusal(tmp_path, VALID.replace("    unit: mmol/mol\n", ""))
    assert message == (
        f"{tmp_path}/pack.yaml:23: indicators[0].hit.observation.latest: "
        "value set hba1c has no unit, so values cannot be compared"
    )


OBSERVATION_HIT = (
    'hit: {observation: {value_set: hba1c, within: {months: 12}, latest: {op: ">=", value: $limit}}}'
)
STAYS_HIT = (
    "hit: {stays: {class: [emergency, inpatient], acute: true, merge_within: {days: 0},"
    " readmission_within: {days: $limit}, within: {months: 12}, min: 1}}"
)


def stays_pack(hit: str = STAYS_HIT) -> str:
    """VALID with a stays criterion as its hit ($limit a whole number, the days of a readmission)."""
    text = VALID.replace(OBSERVATION_HIT, hit)
    return text.replace("limit: {default: 75,", "limit: {integer: true, default: 75,")


def test_a_stays_criterion_is_read_with_its_options(tmp_path: Path) -> None:
    indicator = load_pack(write(tmp_path, stays_pack())).indicators[0]
    assert describe(indicator.hit) == (
        "≥ 1 acute emergency/inpatient readmissions ≤ $limit days after a stay starting within 12 months"
        " (merged ≤ 0 days)"
    )


def test_stays_that_must_not_reach_the_minimum_show_how_many_there_were(tmp_path: Path) -> None:
    """Evidence for an absent criterion counts the patient's stays, also below the minimum."""
    hit = "hit: {not: {stays: {class: inpatient, within: {months: 12}, min: $limit}}}"
    text = stays_pack(hit).replace(
        "limit: {integer: true, default: 75, min: 50,", "limit: {integer: true, default: 2, min: 2,"
    )
    text = text.replace(
        'observations: [{system: NPU, code: NPU27300, value: 80, unit: mmol/mol, date: "2025-01-01"}]}',
        'encounters: [{class: inpatient, start: "2025-01-01T10:00", end: "2025-01-03T10:00"}]}',
    )
    text = text.replace(
        "TEST-1: {population: [p1], hits: [p1]}",
        'TEST-1: {population: [p1], hits: [p1], evidence: {p1: ["1 ophold inden for 12 måneder"]}}',
    )
    assert load_pack(write(tmp_path, text), run_fixtures=True).indicators[0].id == "TEST-1"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("merge_within: {days: -1}", "indicators[0].hit.stays.merge_within.days: must be at least 0"),
        ("merge_within: {hours: 4}", "indicators[0].hit.stays.merge_within: 'days' is a required property"),
        ("merge_within: {days: 0}, planned: false", "indicators[0].hit.stays: Additional properties"),
        ("readmission_within: {days: 0}", "hit.stays.readmission_within.days: must be at least 1"),
    ],
)
def test_a_stays_criterion_that_does_not_fit(tmp_path: Path, change: str, problem: str) -> None:
    hit = STAYS_HIT.replace("merge_within: {days: 0}", change)
    if change.startswith("readmission_within"):
        hit = STAYS_HIT.replace("readmission_within: {days: $limit}", change).replace("min: 1", "min: $limit")
    assert problem in refusal(tmp_path, stays_pack(hit))


def test_a_fixture_about_an_unknown_patient(tmp_path: Path) -> None:
    message = refusal(tmp_path, VALID.replace("hits: [p1]}", "hits: [p2]}"))
    assert (
        f"{tmp_path}/pack.yaml:32: fixtures[0].expect.TEST-1.hits[0]: p2 is not a patient of this fixture"
        in message
    )


def test_an_impossible_date(tmp_path: Path) -> None:
    message = refusal(tmp_path, VALID.replace('as_of: "2025-06-30"', 'as_of: "2025-02-30"'))
    assert message == f"{tmp_path}/pack.yaml:27: fixtures[0].as_of: 2025-02-30 is not a valid date"


def test_a_failing_fixture_refuses_the_pack(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("value: 80,", "value: 70,"))
    with pytest.raises(PackFixtureError) as caught:
        load_pack(path, run_fixtures=True)
    assert str(caught.value) == (
        f"{path}:26: fixture 'one high': TEST-1: hits were [], expected [p1]; the pack was refused"
    )


def test_fixtures_run_on_every_load_in_development(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, VALID.replace("value: 80,", "value: 70,"))
    load_pack(path)  # not in development: fixtures are not run
    monkeypatch.setenv("COCKPIT_DEV_PACKS", "1")
    with pytest.raises(PackFixtureError):
        load_pack(path)


# --- checksums ---------------------------------------------------------------------------------------------


def test_checksum_survives_layout_but_not_content_changes(tmp_path: Path) -> None:
    signed, checksum = with_checksum(VALID, tmp_path / "pack.yaml")
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", checksum)
    assert f'version: "1.0"\nchecksum: {checksum}\n' in signed
    relaid = signed.replace("format: 1\n", "# a comment\nformat:   1\n")
    assert load_pack(write(tmp_path, relaid), require_checksum=True).content_checksum == checksum

    tampered = signed.replace("min: 50", "min: 5")
    with pytest.raises(PackTamperedError) as caught:
        load_pack(write(tmp_path, tampered), require_checksum=True)
    assert str(caught.value).startswith(f"{tmp_path}/pack.yaml:4: checksum: the content does not match")


def test_a_pack_without_checksum_is_refused_where_one_is_required(tmp_path: Path) -> None:
    with pytest.raises(PackTamperedError, match="has no checksum"):
        load_pack(write(tmp_path, VALID), require_checksum=True)


# --- codelists ---------------------------------------------------------------------------------------------

WITH_CODELIST = VALID.replace(
    "    codes:\n      - {system: ICPC2, code: T90}\n", "    codelist: t2d\n"
).replace("    codes:\n      - {system: NPU, code: NPU27300}\n", "    codelist: hba1c\n")


def test_a_value_set_takes_its_codes_from_a_codelist(tmp_path: Path) -> None:
    pack = load_pack(write(tmp_path, WITH_CODELIST), run_fixtures=True)
    t2d = pack.value_sets["t2d"]
    assert t2d.codelists == ("t2d",)
    assert [str(rule) for rule in t2d.include] == ["ICPC2 T90*", "SKS DE11*", "ICD10 E11*", "SNOMED 44054006"]
    assert [str(rule) for rule in pack.value_sets["hba1c"].include] == [
        "NPU NPU27300",
        "LOINC 59261-8",
        "LOINC 4548-4",
    ]


def test_inline_codes_and_exclusions_add_to_a_codelist(tmp_path: Path) -> None:
    text = WITH_CODELIST.replace(
        "    codelist: t2d\n",
        "    codelist: [t2d, t1d]\n    codes:\n      - {system: MEDCOM, code: MCS88019}\n"
        "    exclude:\n      - {system: ICPC2, code: T89.01}\n",
    )
    t2d = load_pack(write(tmp_path, text)).value_sets["t2d"]
    assert t2d.codelists == ("t2d", "t1d")
    assert [str(rule) for rule in t2d.include] == [
        "ICPC2 T90*", "SKS DE11*", "ICD10 E11*", "SNOMED 44054006",
        "ICPC2 T89*", "SKS DE10*", "ICD10 E10*", "SNOMED 46635009", "MEDCOM MCS88019",
    ]  # fmt: skip
    assert [str(rule) for rule in t2d.exclude] == ["ICPC2 T89.01*"]


def test_an_unknown_codelist(tmp_path: Path) -> None:
    message = refusal(tmp_path, WITH_CODELIST.replace("codelist: t2d", "codelist: t3d"))
    assert (
        message
        == f"{tmp_path}/pack.yaml:9: value_sets.t2d.codelist: this version of the cockpit has no codelist t3d"
    )


def test_a_value_set_needs_codes_or_a_codelist(tmp_path: Path) -> None:
    message = refusal(tmp_path, WITH_CODELIST.replace("    codelist: t2d\n", ""))
    assert message.startswith(f"{tmp_path}/pack.yaml:8: value_sets.t2d: ")
    assert "'codes' is a required property" in message or "'codelist' is a required property" in message


def test_medcom_codes_in_a_pack(tmp_path: Path) -> None:
    text = VALID.replace("{system: NPU, code: NPU27300}", "{system: MEDCOM, code: MCS88019}").replace(
        "{system: NPU, code: NPU27300, value: 80", "{system: MEDCOM, code: MCS88019, value: 80"
    )
    pack = load_pack(write(tmp_path, text), run_fixtures=True)
    assert [str(r) for r in pack.value_sets["hba1c"].include] == ["MEDCOM MCS88019"]
    message = refusal(
        tmp_path, text.replace("{system: MEDCOM, code: MCS88019}", "{system: MEDCOM, code: MCS8801}")
    )
    assert (
        message
        == f"{tmp_path}/pack.yaml:15: value_sets.hba1c.codes[0].code: 'MCS8801' is not a valid MEDCOM code"
    )


def test_the_diff_shows_what_a_codelist_changes(tmp_path: Path) -> None:
    old = load_pack(write(tmp_path, VALID))
    new = load_pack(write(tmp_path, WITH_CODELIST.replace('version: "1.0"', 'version: "1.1"')))
    assert pack_diff(old, new) == [
        "pack test-pack: version 1.0 -> 1.1",
        "~ value set hba1c: codelist (none) -> hba1c; +LOINC 4548-4 +LOINC 59261-8",
        "~ value set t2d: codelist (none) -> t2d; +ICD10 E11* +SKS DE11* +SNOMED 44054006",
    ]


# --- concerns (what the attention panel shows one item for) -------------------------------------------------


def test_a_concern_and_what_it_supersedes_are_read(tmp_path: Path) -> None:
    text = VALID.replace(
        "    kind: process\n", "    kind: process\n    concern: hba1c\n    supersedes: [TEST-2]\n"
    )
    indicator = load_pack(write(tmp_path, text)).indicators[0]
    assert (indicator.concern, indicator.supersedes) == ("hba1c", ("TEST-2",))
    plain = load_pack(write(tmp_path, VALID)).indicators[0]
    assert (plain.concern, plain.supersedes) == (None, ())


def test_the_diff_shows_a_changed_concern(tmp_path: Path) -> None:
    old = load_pack(write(tmp_path, VALID))
    text = VALID.replace('version: "1.0"', 'version: "1.1"').replace(
        "    kind: process\n", "    kind: process\n    concern: hba1c\n    supersedes: [TEST-2, TEST-3]\n"
    )
    assert pack_diff(old, load_pack(write(tmp_path, text))) == [
        "pack test-pack: version 1.0 -> 1.1",
        "~ TEST-1: concern - -> hba1c (supersedes TEST-2, TEST-3)",
    ]


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ("    supersedes: [TEST-2]\n", "indicators[0].supersedes: supersedes needs a concern"),
        (
            "    concern: hba1c\n    supersedes: TEST-1\n",
            "indicators[0].supersedes: an indicator cannot supersede",
        ),
        ("    concern: HbA1c\n", "indicators[0].concern: 'HbA1c' does not match"),
    ],
)
def test_a_concern_that_does_not_fit(tmp_path: Path, lines: str, problem: str) -> None:
    assert problem in refusal(tmp_path, VALID.replace("    kind: process\n", f"    kind: process\n{lines}"))


def test_the_builtin_packs_say_which_indicator_is_the_more_specific() -> None:
    """Issue 16 item 5: a patient in POLY-75-10 is not also told POLY-65-5; a readmission within 30 days
    is the finding shown rather than "two acute admissions"."""
    indicators = {i.id: i for pack in builtin_packs() for i in pack.indicators}
    assert indicators["POLY-75-10"].supersedes == ("POLY-65-5",)
    assert indicators["UTIL-READMIT-30D"].supersedes == ("UTIL-ADM-12M", "UTIL-ED-12M")
    assert indicators["UTIL-ADM-12M"].supersedes == ("UTIL-ED-12M",)
    for indicator in indicators.values():
        for superseded in indicator.supersedes:
            assert indicators[superseded].concern == indicator.concern, (indicator.id, superseded)
