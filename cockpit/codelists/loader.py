"""Reading the codelist files in ``data/`` (format: docs/codelists.md) and matching codes against them.

A file ``<id>.csv`` starts with a header of ``#`` lines that together are a YAML mapping (id, title,
version, sources, checked, optional note), followed by CSV with the columns ``system,code,term`` and the
optional ``verified``, ``exclude`` and ``note``. A file that breaks any rule raises ``CodelistError``
naming its file and line: the codelists ship with the program, so a bad one is a bug to fix, not data to
work around.

Matching is the same everywhere (the indicator engine builds the equivalent SQL from ``PREFIX_SYSTEMS``):
in ATC, SKS, ICD-10 and ICPC-2 a listed code is a prefix (ATC ``C10AA`` covers ``C10AA05``; ICPC-2
``T90`` is the rubric and covers the Danish extensions ``T90.01`` and ``T9001``); in the other systems a
code matches only itself. A code matches a codelist when an included row matches it and no excluded
row does.
"""

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

import yaml

from cockpit.models import codes

# Symbolic system names, as the files and the packs write them, and the URIs each stands for in the store.
# SKS D-codes come under the SKS D-hierarchy and under SKS as a whole; NPU/DNK codes under three URIs
# (DOMAIN.md); MedCom under its OID and the name its newer FHIR IGs use.
SYSTEMS: Final[dict[str, tuple[str, ...]]] = {
    "ICPC2": (codes.ICPC2,),
    "SKS": (codes.SKS_D, codes.SKS),
    "ICD10": (codes.ICD10,),
    "SNOMED": (codes.SNOMED,),
    "ATC": (codes.ATC,),
    "NPU": (codes.NPU, codes.NPU_LABTERM, codes.NPU_OID),
    "LOINC": (codes.LOINC,),
    "RXNORM": (codes.RXNORM,),
    "MEDCOM": (codes.MEDCOM, codes.MEDCOM_FHIR),
}
# Systems whose listed codes are prefixes (see the module text); the rest match exactly.
PREFIX_SYSTEMS: Final = frozenset(name for name, uris in SYSTEMS.items() if set(uris) <= codes.HIERARCHICAL)
_SYSTEM_OF_URI: Final = {uri: name for name, uris in SYSTEMS.items() for uri in uris}

# A code that cannot be in its system is almost always a typo (prefixes are allowed where they match).
CODE_FORMATS: Final = {
    "ICPC2": re.compile(r"[A-Z][0-9]{2}(\.?[0-9]{1,2})?"),
    "SKS": re.compile(r"[A-Z]{2}[0-9A-Z]*"),
    "ICD10": re.compile(r"[A-Z][0-9]{1,2}(\.[0-9A-Z]{0,4})?"),
    "SNOMED": re.compile(r"[1-9][0-9]{5,17}"),
    "ATC": re.compile(r"[A-Z]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?"),
    "NPU": re.compile(r"(NPU|DNK)[0-9]{5}"),
    "LOINC": re.compile(r"[0-9]{1,7}-[0-9]"),
    "RXNORM": re.compile(r"[0-9]{1,9}"),
    "MEDCOM": re.compile(r"MCS[0-9]{5}"),
}
ID_PATTERN: Final = re.compile(r"[a-z][a-z0-9-]{0,40}")
HEADER_KEYS: Final = frozenset({"id", "title", "version", "sources", "checked", "note"})
REQUIRED_HEADER: Final = ("id", "title", "version", "sources", "checked")
COLUMNS: Final = ("system", "code", "term", "verified", "exclude", "note")
REQUIRED_COLUMNS: Final = ("system", "code", "term")
YES_NO: Final = {"yes": True, "no": False, "": None}
DATA: Final = "data"
SUFFIX: Final = ".csv"
# Files in data/ that are catalogues with their own format and loader, not codelists.
NOT_CODELISTS: Final = frozenset({"atc-names"})


class CodelistError(ValueError):
    """A codelist file that breaks the format; the message starts with ``file:line:``."""


def system_name(uri: str) -> str | None:
    """The symbolic name of a system URI (``urn:oid:1.2.208.176.2.1`` -> ``NPU``), None if unknown."""
    return _SYSTEM_OF_URI.get(uri)


def code_in_rule(rule_system: str, rule_code: str, system_uri: str, code: str) -> bool:
    """Does the stored (``system_uri``, ``code``) fall under the rule ``rule_system`` ``rule_code``?"""
    if system_uri not in SYSTEMS[rule_system]:
        return False
    return code.startswith(rule_code) if rule_system in PREFIX_SYSTEMS else code == rule_code


@dataclass(frozen=True, slots=True)
class Entry:
    """One row: a code of ``system`` (a key of SYSTEMS) with its term."""

    system: str
    code: str
    term: str
    verified: bool | None = None  # None: the file does not say
    exclude: bool = False
    note: str = ""
    line: int = 0

    @property
    def prefix(self) -> bool:
        return self.system in PREFIX_SYSTEMS

    def matches(self, system_uri: str, code: str) -> bool:
        return code_in_rule(self.system, self.code, system_uri, code)

    def __str__(self) -> str:
        return f"{self.system} {self.code}{'*' if self.prefix else ''}"


@dataclass(frozen=True, slots=True)
class Title:
    da: str
    en: str


@dataclass(frozen=True, slots=True)
class Codelist:
    id: str
    title: Title
    version: str
    sources: tuple[str, ...]
    checked: str
    entries: tuple[Entry, ...]
    note: str = ""
    file: str = ""

    @property
    def include(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if not e.exclude)

    @property
    def exclude(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.exclude)

    def matches(self, system_uri: str, code: str) -> bool:
        return any(e.matches(system_uri, code) for e in self.include) and not any(
            e.matches(system_uri, code) for e in self.exclude
        )

    def codes(self, system: str) -> tuple[str, ...]:
        """The included codes of one symbolic system, in file order."""
        return tuple(e.code for e in self.include if e.system == system)


def parse_codelist(text: str, file: str) -> Codelist:
    """A codelist from the text of ``file`` (the name is used in errors and must be ``<id>.csv``)."""
    lines = text.splitlines()
    header_end = 0
    while header_end < len(lines) and lines[header_end].startswith("#"):
        header_end += 1
    header = _header(lines[:header_end], file)
    expected = file.rsplit("/", 1)[-1].removesuffix(SUFFIX)
    if header["id"] != expected:
        raise CodelistError(f"{file}:1: id {header['id']!r} must be the file name ({expected!r})")
    entries = _entries(lines, header_end, file)
    return Codelist(
        id=header["id"],
        title=Title(header["title"]["da"], header["title"]["en"]),
        version=header["version"],
        sources=tuple(header["sources"]),
        checked=header["checked"],
        entries=entries,
        note=header.get("note", ""),
        file=file,
    )


def _header(lines: list[str], file: str) -> dict[str, Any]:
    if not lines:
        raise CodelistError(
            f"{file}:1: the file must start with its header (# id: ..., see docs/codelists.md)"
        )
    text = "\n".join(line[1:].removeprefix(" ") for line in lines)
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark is not None else 1
        raise CodelistError(f"{file}:{line}: the header is not valid YAML: {error.problem}") from None
    if not isinstance(data, dict):
        raise CodelistError(f"{file}:1: the header must be a mapping of id, title, version, sources, checked")
    for key in data:
        if key not in HEADER_KEYS:
            raise CodelistError(f"{file}:{_line_of(lines, key)}: unknown header key {key!r}")
    for key in REQUIRED_HEADER:
        if key not in data:
            raise CodelistError(f"{file}:1: the header has no {key}")
    problems = {
        "id": isinstance(data["id"], str) and ID_PATTERN.fullmatch(data["id"]) is not None,
        "title": isinstance(data["title"], dict)
        and set(data["title"]) == {"da", "en"}
        and all(isinstance(v, str) and v for v in data["title"].values()),
        "sources": isinstance(data["sources"], list)
        and bool(data["sources"])
        and all(isinstance(s, str) and s for s in data["sources"]),
        "checked": isinstance(data["checked"], str) and bool(data["checked"].strip()),
        "note": isinstance(data.get("note", ""), str),
    }
    for key, good in problems.items():
        if not good:
            raise CodelistError(f"{file}:{_line_of(lines, key)}: header {key} is not {_SHAPES[key]}")
    data["version"] = str(data["version"])  # a date written unquoted is read as a date
    return data


_SHAPES: Final = {
    "id": "lower-case letters, digits and hyphens",
    "title": "a mapping with the texts da and en",
    "sources": "a list of at least one source (URL or document)",
    "checked": "a text saying what was checked",
    "note": "a text",
}


def _line_of(lines: list[str], key: str) -> int:
    return next((n for n, line in enumerate(lines, 1) if line[1:].strip().startswith(f"{key}:")), 1)


def _entries(lines: list[str], start: int, file: str) -> tuple[Entry, ...]:
    columns: tuple[str, ...] | None = None
    entries: list[Entry] = []
    seen: dict[tuple[str, str, bool], int] = {}
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if not line.strip() or line.startswith("#"):
            continue
        where = f"{file}:{number}"
        cells = [cell.strip() for cell in next(csv.reader([line]))]
        if columns is None:
            columns = _columns(cells, where)
            continue
        if len(cells) > len(columns):
            raise CodelistError(f"{where}: {len(cells)} cells, but the columns are {','.join(columns)}")
        row = dict(zip(columns, cells + [""] * (len(columns) - len(cells)), strict=True))
        entry = _entry(row, number, where)
        key = (entry.system, entry.code, entry.exclude)
        if key in seen:
            raise CodelistError(f"{where}: {entry.system} {entry.code} is already on line {seen[key]}")
        seen[key] = number
        entries.append(entry)
    if columns is None:
        raise CodelistError(f"{file}:{start + 1}: the column line (system,code,term,...) is missing")
    if not any(not e.exclude for e in entries):
        raise CodelistError(f"{file}:{start + 1}: the codelist includes no code")
    return tuple(entries)


def _columns(cells: list[str], where: str) -> tuple[str, ...]:
    if cells[: len(REQUIRED_COLUMNS)] != list(REQUIRED_COLUMNS):
        raise CodelistError(f"{where}: the columns must start with system,code,term")
    for cell in cells:
        if cell not in COLUMNS:
            raise CodelistError(f"{where}: unknown column {cell!r} (known: {', '.join(COLUMNS)})")
    if len(set(cells)) != len(cells):
        raise CodelistError(f"{where}: a column is named twice")
    return tuple(cells)


def _entry(row: dict[str, str], number: int, where: str) -> Entry:
    system, code, term = row["system"], row["code"], row["term"]
    if system not in SYSTEMS:
        raise CodelistError(f"{where}: unknown system {system!r} (known: {', '.join(SYSTEMS)})")
    if CODE_FORMATS[system].fullmatch(code) is None:
        raise CodelistError(f"{where}: {code!r} is not a valid {system} code")
    if not term:
        raise CodelistError(f"{where}: {system} {code} has no term")
    flags = {}
    for column in ("verified", "exclude"):
        value = row.get(column, "")
        if value not in YES_NO:
            raise CodelistError(f"{where}: {column} is {value!r}; write yes, no or nothing")
        flags[column] = YES_NO[value]
    return Entry(system, code, term, flags["verified"], bool(flags["exclude"]), row.get("note", ""), number)


@functools.cache
def codelist(codelist_id: str) -> Codelist:
    """The codelist ``data/<id>.csv`` (read once). ``KeyError`` when there is none by that id."""
    if ID_PATTERN.fullmatch(codelist_id) is None:
        raise KeyError(codelist_id)
    resource = resources.files(__package__).joinpath(DATA, codelist_id + SUFFIX)
    if not resource.is_file():
        raise KeyError(codelist_id)
    return parse_codelist(resource.read_text("utf-8"), f"cockpit/codelists/{DATA}/{codelist_id}{SUFFIX}")


@functools.cache
def codelist_ids() -> tuple[str, ...]:
    """The ids of every codelist file, sorted."""
    folder = resources.files(__package__).joinpath(DATA)
    names = (item.name for item in folder.iterdir() if item.is_file())
    return tuple(
        sorted(
            name.removesuffix(SUFFIX)
            for name in names
            if name.endswith(SUFFIX)
            and ID_PATTERN.fullmatch(name.removesuffix(SUFFIX))
            and name.removesuffix(SUFFIX) not in NOT_CODELISTS
        )
    )


def all_codelists() -> dict[str, Codelist]:
    return {codelist_id: codelist(codelist_id) for codelist_id in codelist_ids()}
