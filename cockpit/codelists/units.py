"""Units as sources spell them: one key per unit, so that "mmol/l", "mmol/L" and "mmol / L" compare equal.

Clinic systems and laboratories write the same UCUM unit in many ways (case, spaces, a decimal comma,
"µ" or "u", "mmHg" or "mm[Hg]"). A unit is compared by its *key*: lower case, the characters in
``REPLACEMENTS`` replaced, then mapped through ``data/unit-spellings.csv`` to the key of its UCUM unit. The
same replacements are applied in SQL (cockpit/indicators/observations.py ``unit_key_sql``), so the engine and
the overview agree on which values can be compared. A unit whose key matches nothing is never guessed at.
"""

import csv
import functools
from importlib import resources
from typing import Final

# (old, new), applied in this order after lower-casing. Both Python and SQL apply exactly these.
REPLACEMENTS: Final = (
    (" ", ""),
    ("µ", "u"),  # MICRO SIGN
    ("μ", "u"),  # GREEK SMALL LETTER MU (what Python's lower() makes of the micro sign)
    ("²", "2"),
    (",", "."),
    ("{", ""),
    ("}", ""),
    ("_", ""),
    ("^", ""),
)
SPELLINGS_FILE: Final = "unit-spellings.csv"


class UnitSpellingsError(ValueError):
    """The bundled spellings file is damaged (a packaging error, never user input)."""


def normalise(unit: str) -> str:
    """The unit with case and the characters of ``REPLACEMENTS`` folded (no spelling table)."""
    key = unit.lower()
    for old, new in REPLACEMENTS:
        key = key.replace(old, new)
    return key


@functools.cache
def _aliases() -> dict[str, str]:
    """normalised spelling -> normalised UCUM unit."""
    text = resources.files("cockpit.codelists").joinpath("data", SPELLINGS_FILE).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    table: dict[str, str] = {}
    for number, row in enumerate(csv.DictReader(lines), start=2):
        spelling, ucum = (row.get("spelling") or "").strip(), (row.get("ucum") or "").strip()
        if not spelling or not ucum:
            raise UnitSpellingsError(f"{SPELLINGS_FILE}: row {number} needs a spelling and a UCUM unit")
        table[normalise(spelling)] = normalise(ucum)
    return table


@functools.lru_cache(maxsize=1024)
def unit_key(unit: str) -> str:
    """The key two spellings of one unit share: ``unit_key("mmHg") == unit_key("mm[Hg]")``."""
    key = normalise(unit)
    return _aliases().get(key, key)


@functools.lru_cache(maxsize=256)
def spellings(unit: str) -> frozenset[str]:
    """Every normalised spelling (``normalise``) that has ``unit``'s key: what a stored unit, normalised,
    is compared with in SQL."""
    key = unit_key(unit)
    return frozenset({key} | {spelling for spelling, ucum in _aliases().items() if ucum == key})


def same_unit(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and unit_key(a) == unit_key(b)
