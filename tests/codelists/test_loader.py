"""Codelist files: the format (docs/codelists.md), errors that name file and line, and matching (prefixes in
ATC/SKS/ICD-10, ICPC-2 by rubric, exact elsewhere, exclusions), the same rules the engine puts in SQL."""

import pytest

from cockpit.codelists.loader import (
    PREFIX_SYSTEMS,
    SYSTEMS,
    Codelist,
    CodelistError,
    all_codelists,
    codelist,
    codelist_ids,
    parse_codelist,
    system_name,
)
from cockpit.models import codes

HEADER = """\
# id: example
# title: {da: "Eksempel", en: "Example"}
# version: 2026-12-07
# sources:
#   - "https://example.org/list"
# checked: every code against the source
"""
VALID = (
    HEADER
    + """\
system,code,term,verified,exclude,note
ICPC2,T90,Diabetes non-insulin dependent,yes,,
SKS,DE11,Type 2-diabetes,yes,,
ATC,M01A,NSAID,,,
ATC,M01AX,not an NSAID,no,yes,glucosamine
NPU,DNK05472,Arm systolic,yes,,
MEDCOM,MCS88019,Home systolic,yes,,
"""
)


def parse(text: str) -> Codelist:
    return parse_codelist(text, "data/example.csv")


def refusal(text: str) -> str:
    with pytest.raises(CodelistError) as caught:
        parse(text)
    return str(caught.value)


def test_a_valid_file() -> None:
    example = parse(VALID)
    assert (example.id, example.title.da, example.title.en) == ("example", "Eksempel", "Example")
    assert example.version == "2026-12-07"  # written unquoted, read as text
    assert example.sources == ("https://example.org/list",)
    assert example.checked == "every code against the source"
    assert [str(e) for e in example.include] == [
        "ICPC2 T90*", "SKS DE11*", "ATC M01A*", "NPU DNK05472", "MEDCOM MCS88019",
    ]  # fmt: skip
    assert [(e.code, e.verified, e.note, e.line) for e in example.exclude] == [
        ("M01AX", False, "glucosamine", 11)
    ]
    assert example.include[2].verified is None  # the file does not say
    assert example.codes("ATC") == ("M01A",)


@pytest.mark.parametrize(
    ("system", "code", "matches"),
    [
        (codes.ICPC2, "T90", True),
        (codes.ICPC2, "T90.01", True),  # a Danish extension of the rubric
        (codes.ICPC2, "T9001", True),
        (codes.ICPC2, "T89", False),
        (codes.SKS_D, "DE119", True),
        (codes.SKS, "DE11", True),
        (codes.ICD10, "E11", False),  # not in the list
        (codes.ATC, "M01AE01", True),
        (codes.ATC, "M01AX05", False),  # excluded
        (codes.ATC, "M01", False),  # a prefix of a listed code is not the code
        (codes.NPU_OID, "DNK05472", True),
        (codes.NPU, "DNK05472", True),
        (codes.NPU, "DNK054721", False),  # exact in NPU
        (codes.LOINC, "DNK05472", False),  # the code in another system
        (codes.MEDCOM, "MCS88019", True),
        (codes.MEDCOM_FHIR, "MCS88019", True),
    ],
)
def test_matching(system: str, code: str, matches: bool) -> None:
    assert parse(VALID).matches(system, code) is matches


def test_systems() -> None:
    assert sorted(PREFIX_SYSTEMS) == ["ATC", "ICD10", "ICPC2", "SKS"]
    assert SYSTEMS["MEDCOM"] == ("urn:oid:1.2.208.184.100.8", codes.MEDCOM_FHIR)
    assert system_name("urn:oid:1.2.208.176.2.1") == "NPU"
    assert system_name("https://example.org") is None


BROKEN = [
    ("ATC,M01A,NSAID,,,", "ATC,M1A,NSAID,,,", "10: 'M1A' is not a valid ATC code"),
    ("NPU,DNK05472", "NPU,DNK5472", "12: 'DNK5472' is not a valid NPU code"),
    ("MEDCOM,MCS88019", "MEDCOM,MCS8801", "13: 'MCS8801' is not a valid MEDCOM code"),
    (
        "SKS,DE11,",
        "ICD11,DE11,",
        "9: unknown system 'ICD11' (known: ICPC2, SKS, ICD10, SNOMED, ATC, NPU, LOINC, RXNORM, MEDCOM)",
    ),
    ("Arm systolic,yes", "Arm systolic,ja", "12: verified is 'ja'; write yes, no or nothing"),
    (
        "Home systolic,yes,,",
        "Home systolic,yes,,,extra",
        "13: 7 cells, but the columns are system,code,term,verified,exclude,note",
    ),
    ("MEDCOM,MCS88019,Home systolic", "NPU,DNK05472,Again", "13: NPU DNK05472 is already on line 12"),
    ("SKS,DE11,Type 2-diabetes", "SKS,DE11,", "9: SKS DE11 has no term"),
    ("system,code,term", "code,system,term", "7: the columns must start with system,code,term"),
    (
        "verified,exclude,note",
        "verified,exclude,remark",
        "7: unknown column 'remark' (known: system, code, term, verified, exclude, note)",
    ),
    ("# id: example", "# id: other", "1: id 'other' must be the file name ('example')"),
    ("# checked: every code against the source\n", "", "1: the header has no checked"),
    ("# version", "# release", "3: unknown header key 'release'"),
    ('en: "Example"}', 'engelsk: "Example"}', "2: header title is not a mapping with the texts da and en"),
    (
        '#   - "https://example.org/list"\n',
        "",
        "4: header sources is not a list of at least one source (URL or document)",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_a_broken_file_names_file_and_line(old: str, new: str, message: str) -> None:
    assert old in VALID
    assert refusal(VALID.replace(old, new, 1)) == f"data/example.csv:{message}"


def test_a_file_without_header_or_codes() -> None:
    assert refusal("system,code,term\nATC,C10AA,Statins\n") == (
        "data/example.csv:1: the file must start with its header (# id: ..., see docs/codelists.md)"
    )
    assert refusal(HEADER) == "data/example.csv:7: the column line (system,code,term,...) is missing"
    only_excluded = HEADER + "system,code,term,exclude\nATC,M01AX,not an NSAID,yes\n"
    assert refusal(only_excluded) == "data/example.csv:7: the codelist includes no code"


def test_the_shipped_codelists_are_read_once_and_complete() -> None:
    assert codelist("t2d") is codelist("t2d")  # cached
    assert set(all_codelists()) == set(codelist_ids())
    assert "atc-names" not in codelist_ids()  # a catalogue with its own format, not a codelist
    with pytest.raises(KeyError):
        codelist("no-such-list")
    with pytest.raises(KeyError):
        codelist("../packs/diabetes")
    for found in all_codelists().values():
        assert found.sources and found.checked and found.version, found.id


def test_the_danish_vital_sign_codes() -> None:
    """Issue 16 and DOMAIN.md (addendum 2026-12-07): DNK05462 is diastolic *lying* and is in no codelist."""
    assert [str(e) for e in codelist("systolic-bp").include] == [
        "LOINC 8480-6",
        "NPU DNK05472",
        "MEDCOM MCS88019",
    ]
    assert [str(e) for e in codelist("diastolic-bp").include] == [
        "LOINC 8462-4",
        "NPU DNK05473",
        "MEDCOM MCS88020",
    ]
    assert [str(e) for e in codelist("bmi").include] == ["NPU NPU27281", "LOINC 39156-5"]
    assert [str(e) for e in codelist("weight").include] == ["NPU NPU03804", "LOINC 29463-7"]
    assert [str(e) for e in codelist("fev1").include] == ["LOINC 20150-9", "MEDCOM MCS88015"]
    assert codelist("mrc").codes("MEDCOM") == ("MCS88021",)
    assert codelist("cat").codes("MEDCOM") == ("MCS88137",)
    assert not any(e.code == "DNK05462" for found in all_codelists().values() for e in found.entries)


def test_the_reference_definition_codes() -> None:
    """issues show 16, "Reference definitions"."""
    assert [str(e) for e in codelist("t1d").include] == [
        "ICPC2 T89*",
        "SKS DE10*",
        "ICD10 E10*",
        "SNOMED 46635009",
    ]
    assert codelist("statin").codes("ATC") == ("C10AA", "C10BA", "C10BX")
    assert codelist("diuretic").codes("ATC") == ("C03", "C07B", "C07C", "C09BA", "C09DA", "C09XA52")
    assert codelist("ras-blocker").codes("ATC") == ("C09",)
    assert codelist("hba1c").codes("NPU") + codelist("hba1c").codes("LOINC") == (
        "NPU27300",
        "59261-8",
        "4548-4",
    )
