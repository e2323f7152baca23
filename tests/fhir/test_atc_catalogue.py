"""The bundled ATC name catalogue (cockpit/codelists/data/atc-names.csv): its header says where the names
come from, it covers every drug the demo practice generates and the groups the drug indicators read, and it
names a code the way the mapping needs (its own name, the nearest level above with the code, or the code)."""

import pytest

from cockpit.codelists import atc
from cockpit.demo.vocabulary import DRUGS

# The ATC levels of a code by the length of its prefix: 1, 3, 4, 5 and 7 characters.
LEVELS = (1, 3, 4, 5, 7)


def test_the_header_names_source_version_and_what_was_checked() -> None:
    header = "\n".join(atc.catalogue().header)
    assert "source (English): WHO Collaborating Centre" in header
    assert "pro.medicin.dk" in header
    assert "version: hand-compiled subset, 2026-12-07" in header
    assert "checked:" in header and "NOT machine-checked" in header


def test_every_level_of_every_demo_drug_is_named() -> None:
    catalogue = atc.catalogue()
    missing = sorted(
        code[:length] for code in DRUGS for length in LEVELS if catalogue.exact(code[:length]) is None
    )
    assert missing == []


@pytest.mark.parametrize(
    "code",
    [
        # the groups of the reference definitions and the packs (issue 16)
        "C10AA", "C10BA", "C10BX", "C09", "C09A", "C09C", "C09BA", "C09DA", "C09XA52", "C03", "C03C",
        "C07B", "C07C", "M01A", "M01AX", "B01AA", "B01AE", "B01AF", "B01AC", "A02BC", "N02A", "N05BA",
        "N05CF", "N05CD", "N05A", "N06A", "J01", "J01MA", "J01CE02", "J01CA08", "J01EB02", "J01XE01",
        "J01FA", "J01EA01", "J01EE01", "L04AX03", "L01BA01", "A10BA02",
    ],
)  # fmt: skip
def test_the_groups_the_indicators_read_are_named(code: str) -> None:
    assert atc.catalogue().exact(code) is not None


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("C10AA05", "Atorvastatin"),
        ("c10aa05 ", "Atorvastatin"),  # case and spaces as some senders write them
        ("C10AA99", "Statiner (C10AA99)"),
        ("C10AX99", "Andre lipidmodificerende midler (C10AX99)"),
        ("C10", "Lipidmodificerende midler"),
        ("C99XX01", "Hjerte og kredsløb (C99XX01)"),
        ("Z99ZZ99", "Z99ZZ99"),
    ],
)
def test_a_code_is_named_by_itself_or_its_nearest_level(code: str, name: str) -> None:
    assert atc.drug_name(code) == name


def test_english_names_are_the_who_index_names() -> None:
    catalogue = atc.catalogue()
    assert (catalogue.names["C10AA"].name_da, catalogue.names["C10AA"].name_en) == (
        "Statiner",
        "HMG CoA reductase inhibitors",
    )
    assert catalogue.names["M01AE01"].name_en == "ibuprofen"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("code,name\nA,x\n", "columns are not code,name_da,name_en"),
        ("code,name_da,name_en\nA,Fordøjelse\n", "row 2 of the ATC catalogue does not have three"),
        ("code,name_da,name_en\nA1,x,y\n", "row 2 of the ATC catalogue has an invalid or repeated code"),
        (
            "code,name_da,name_en\nA,x,y\nA,x,y\n",
            "row 3 of the ATC catalogue has an invalid or repeated code",
        ),
    ],
)
def test_a_malformed_catalogue_is_refused(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        atc.parse_catalogue("# a comment\n" + text)
