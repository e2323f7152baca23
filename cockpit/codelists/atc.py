"""Names for ATC codes, from the bundled catalogue ``data/atc-names.csv`` (its header says where the names
come from and what was checked).

A drug sent with an ATC code but without a display text is named from here, so that it is kept (and counted by
the indicators) instead of being lost for want of a name: the code's own Danish name; else the nearest parent
level's name with the code ("Statiner (C10AA99)"); else the code itself.
"""

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources
from typing import Final

CATALOGUE_FILE: Final = "atc-names.csv"
# What a drug is called when a statement names it by reference to a Medication resource that is not (yet) in
# the store: a placeholder, so that the statement is kept; the reference's display follows in brackets.
UNKNOWN_DRUG: Final = "Ukendt lægemiddel"
# Where a stored drug name came from (``medications.name_source``, ``medication_products.name_source``).
NAME_SENT: Final = "sent"  # the sender's display or text
NAME_CATALOGUE: Final = "catalogue"  # this catalogue: the code's own name or its nearest level's
NAME_CODE: Final = "code"  # a code nobody could name: the code itself
NAME_UNRESOLVED: Final = "unresolved"  # a Medication reference whose Medication is not in the store
# ATC levels by the length of their code: anatomical group (1), therapeutic (3), pharmacological (4),
# chemical subgroup (5), chemical substance (7).
LEVEL_LENGTHS: Final = (7, 5, 4, 3, 1)


@dataclass(frozen=True, slots=True)
class AtcName:
    code: str
    name_da: str
    name_en: str


@dataclass(frozen=True, slots=True)
class AtcCatalogue:
    names: dict[str, AtcName]
    header: tuple[str, ...]  # the comment lines at the top of the file (source, version, what was checked)

    def exact(self, code: str) -> AtcName | None:
        """The entry of exactly ``code`` (case and surrounding spaces ignored)."""
        return self.names.get(code.strip().upper())

    def nearest(self, code: str) -> AtcName | None:
        """The entry of ``code`` or of its nearest parent level in the catalogue."""
        wanted = code.strip().upper()
        found = self.names.get(wanted)
        if found is not None:
            return found
        for length in LEVEL_LENGTHS:
            if length < len(wanted):
                found = self.names.get(wanted[:length])
                if found is not None:
                    return found
        return None

    def drug_name(self, code: str) -> str:
        """The Danish name to store for a drug coded ``code`` and sent without a name: the code's own name;
        else its nearest parent level's name and the code ("Statiner (C10AA99)"); else the code itself."""
        wanted = code.strip()
        entry = self.nearest(wanted)
        if entry is None:
            return wanted
        if entry.code == wanted.upper():
            return entry.name_da
        return f"{entry.name_da} ({wanted})"

    def is_catalogue_name(self, code: str, name: str) -> bool:
        """Whether ``name`` is the name ``drug_name`` gives for ``code``."""
        return self.drug_name(code) == name


def parse_catalogue(text: str) -> AtcCatalogue:
    """The catalogue from the text of an atc-names file: ``#`` comment lines, a header row
    ``code,name_da,name_en``, then one row per code. Raises ValueError for a malformed file."""
    lines = text.splitlines()
    header = tuple(line[1:].strip() for line in lines if line.startswith("#"))
    rows = csv.reader(io.StringIO("\n".join(line for line in lines if line and not line.startswith("#"))))
    columns = next(rows, None)
    if columns != ["code", "name_da", "name_en"]:
        raise ValueError("the ATC catalogue's columns are not code,name_da,name_en")
    names: dict[str, AtcName] = {}
    for number, row in enumerate(rows, 2):
        if len(row) != len(columns) or not all(part.strip() for part in row):
            raise ValueError(f"row {number} of the ATC catalogue does not have three non-empty fields")
        code = row[0].strip()
        if code != code.upper() or len(code) not in LEVEL_LENGTHS or code in names:
            raise ValueError(f"row {number} of the ATC catalogue has an invalid or repeated code")
        names[code] = AtcName(code, row[1].strip(), row[2].strip())
    return AtcCatalogue(names, header)


@functools.cache
def catalogue() -> AtcCatalogue:
    """The bundled catalogue, read once per process."""
    text = resources.files("cockpit.codelists").joinpath("data", CATALOGUE_FILE).read_text("utf-8")
    return parse_catalogue(text)


def drug_name(code: str) -> str:
    """``AtcCatalogue.drug_name`` of the bundled catalogue (remembered: bulk data repeats its codes)."""
    return named(code)[0]


@functools.lru_cache(maxsize=4096)
def named(code: str) -> tuple[str, str]:
    """(name, source) for an ATC code sent without a name: ``NAME_CATALOGUE`` when the catalogue knows the
    code or a level above it, else the code itself and ``NAME_CODE``."""
    known = catalogue()
    return known.drug_name(code), NAME_CATALOGUE if known.nearest(code) is not None else NAME_CODE
