"""A loaded pack: value sets, indicators with their criteria, and fixtures. Immutable once loaded.

Criteria form a small tree: ``AllOf`` / ``AnyOf`` / ``Not`` over leaves, each leaf one kind of fact about
a patient on the as-of date. Numbers a practice may tune are ``Param`` references, resolved when the
indicator is compiled (``engine.evaluate``) with the practice's thresholds.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final, Literal

from cockpit.codelists import loader as codelists

# Symbolic code-system names a pack uses, the system URIs each stands for in the store, and the systems
# matched by prefix (ATC M01A covers M01AE01, ICPC-2 T90 covers T90.01): the codelists' (docs/codelists.md).
SYSTEMS: Final = codelists.SYSTEMS
PREFIX_SYSTEMS: Final = codelists.PREFIX_SYSTEMS

Kind = Literal["process", "outcome", "safety", "utilisation"]
# What an indicator counts: patients (the default), or prescriptions (a share of prescriptions, whose hits
# are still the patients with a prescription the hit rule finds).
Unit = Literal["patients", "prescriptions"]
Comparator = Literal[">=", ">", "<=", "<"]


@dataclass(frozen=True, slots=True)
class Text:
    da: str
    en: str


@dataclass(frozen=True, slots=True)
class Param:
    """A reference to an indicator parameter (``$name`` in the pack)."""

    name: str


Number = float | Param


@dataclass(frozen=True, slots=True)
class CodeRule:
    system: str  # a key of SYSTEMS
    code: str

    @property
    def prefix(self) -> bool:
        return self.system in PREFIX_SYSTEMS

    def __str__(self) -> str:
        return f"{self.system} {self.code}{'*' if self.prefix else ''}"


@dataclass(frozen=True, slots=True)
class Conversion:
    """``value = (x + add_before) * multiply + add_after`` for a value recorded in ``from_unit``."""

    from_unit: str
    multiply: float = 1.0
    add_before: float = 0.0
    add_after: float = 0.0

    def apply(self, value: float) -> float:
        return (value + self.add_before) * self.multiply + self.add_after


@dataclass(frozen=True, slots=True)
class ValueSet:
    key: str
    title: Text
    include: tuple[CodeRule, ...]
    exclude: tuple[CodeRule, ...] = ()
    units: tuple[str, ...] = ()  # the unit values are compared in (and its spellings)
    conversions: tuple[Conversion, ...] = ()
    codelists: tuple[str, ...] = ()  # the codelists (docs/codelists.md) whose codes are in include/exclude


@dataclass(frozen=True, slots=True)
class Window:
    """A look-back window ending on the as-of date: ``months`` or ``days`` back (exclusive start)."""

    months: Number | None = None
    days: Number | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    op: Comparator
    value: Number


@dataclass(frozen=True, slots=True)
class TargetRule:
    """One rule of a measure in the targets file (cockpit/codelists/data/targets.yaml), its codelists
    resolved to value sets: it applies when the age is within [min_age, max_age] (when given) and, when
    ``conditions`` are given, the patient has an active condition of one of them. It is met when the value
    is below ``limit`` (``strict``) or at most it."""

    limit: float
    strict: bool
    reason: Text
    min_age: int | None = None
    max_age: int | None = None
    conditions: tuple[ValueSet, ...] = ()

    @property
    def sign(self) -> str:
        return "<" if self.strict else "≤"


@dataclass(frozen=True, slots=True)
class Target:
    """``latest: {target: <measure>}``: the patient's target is the first of ``rules`` that applies."""

    measure: str
    rules: tuple[TargetRule, ...]


@dataclass(frozen=True, slots=True)
class Age:
    min: Number | None = None
    max: Number | None = None


@dataclass(frozen=True, slots=True)
class Everyone:
    """Every (alive) patient on the list."""


@dataclass(frozen=True, slots=True)
class Sex:
    sex: str


@dataclass(frozen=True, slots=True)
class ActiveCondition:
    value_set: ValueSet
    label: str
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class NearCondition:
    """A condition of ``value_set`` whose onset lies within ``days`` days of the medication's start (before
    or after): the antibiotic prescribed for a respiratory infection or a cystitis."""

    value_set: ValueSet
    days: Number


@dataclass(frozen=True, slots=True)
class MedicationIn:
    """Active on the as-of date; with ``window``, started (prescribed) within it instead. With
    ``active_for``, active on the as-of date and started at least that long before it (long-term use).
    With ``near_condition``, only rows started close to the onset of such a condition count."""

    value_set: ValueSet
    label: str
    evidence: str | None = None
    window: Window | None = None
    active_for: Window | None = None
    near_condition: NearCondition | None = None


@dataclass(frozen=True, slots=True)
class DistinctMedications:
    """At least ``min`` distinct active ATC codes of ``level`` (5 = the substance, 7 characters)."""

    min: Number
    level: int = 5
    label: str = "lægemidler"
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class Repeated:
    """At least ``min`` comparable values in the window satisfy ``comparison``, and two of them lie at
    least ``apart`` apart (by calendar day): "two eGFR < 60 at least 90 days apart"."""

    min: Number
    comparison: Comparison
    apart: Window


@dataclass(frozen=True, slots=True)
class ObservationIn:
    """An observation of the value set in the window (with ``numeric``, one with a numeric value); with
    ``comparison``, the latest comparable value (in the value set's unit, converted when recorded in another
    known unit) satisfies it; with ``target``, the latest comparable value does not meet the patient's
    target (a patient for whom no rule applies has none, and never holds); with ``repeated``, enough
    comparable values satisfy its comparison, far enough apart."""

    value_set: ValueSet
    window: Window
    comparison: Comparison | None
    label: str
    evidence: str | None = None
    numeric: bool = False
    repeated: Repeated | None = None
    target: Target | None = None

    @property
    def compares(self) -> bool:
        """Does it read the latest comparable value (a comparison or a target)?"""
        return self.comparison is not None or self.target is not None


@dataclass(frozen=True, slots=True)
class EncounterCount:
    classes: tuple[str, ...]
    window: Window
    min: Number
    label: str
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class StayCount:
    """At least ``min`` hospital stays starting within ``window``: encounters of ``classes`` (with
    ``acute``, only those whose priority is not elective or routine) merged into one stay when one starts
    at most ``merge_days`` calendar days after the end of the stays before it. With ``readmission_days``,
    only the stays that start at most that many days after the end of the previous stay count."""

    classes: tuple[str, ...]
    window: Window
    min: Number
    acute: bool
    merge_days: Number
    label: str
    readmission_days: Number | None = None
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple["Criterion", ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple["Criterion", ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: "Criterion"


Leaf = (
    Everyone
    | Age
    | Sex
    | ActiveCondition
    | MedicationIn
    | DistinctMedications
    | ObservationIn
    | EncounterCount
    | StayCount
)
Criterion = Leaf | AllOf | AnyOf | Not


@dataclass(frozen=True, slots=True)
class Parameter:
    """A number the practice may set within [minimum, maximum] (what the cluster allows)."""

    name: str
    default: float
    minimum: float
    maximum: float
    title: Text
    unit: str | None = None
    integer: bool = False


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    pack_id: str
    kind: Kind
    title: Text
    population: Criterion
    hit: Criterion
    source: tuple[str, ...]
    description: Text | None = None
    parameters: dict[str, Parameter] = field(default_factory=dict)
    verified: bool = True
    note: str | None = None
    line: int | None = None
    unit: Unit = "patients"
    reviewed: date | None = None  # when its definition and sources were last checked
    # What the attention panel shows one item for (docs/indicators.md "Concerns"): hits of indicators with
    # the same concern (and built-in rules with it) are one item; ``supersedes`` names the indicators (or
    # rules) this one says better when both find the patient (POLY-75-10 over POLY-65-5).
    concern: str | None = None
    supersedes: tuple[str, ...] = ()

    def thresholds(self, overrides: dict[str, float] | None = None) -> dict[str, float]:
        """Each parameter's value: the override when given, else the default."""
        values = {name: p.default for name, p in self.parameters.items()}
        for name, value in (overrides or {}).items():
            if name in values:
                values[name] = value
        return values


@dataclass(frozen=True, slots=True)
class FixtureRecord:
    """One row of a fixture patient: a condition, medication, observation or encounter."""

    table: Literal["conditions", "medications", "observations", "encounters"]
    values: dict[str, object]


@dataclass(frozen=True, slots=True)
class FixturePatient:
    key: str
    birth_date: date | None
    sex: str
    deceased_date: date | None
    deceased: bool
    records: tuple[FixtureRecord, ...]


@dataclass(frozen=True, slots=True)
class Expectation:
    population: frozenset[str] | None
    hits: frozenset[str]
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    prescriptions: tuple[int, int] | None = None  # (counted, found) for an indicator of prescriptions


@dataclass(frozen=True, slots=True)
class Fixture:
    name: str
    as_of: date
    patients: tuple[FixturePatient, ...]
    expect: dict[str, Expectation]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Pack:
    id: str
    version: str
    title: Text
    topic: str
    value_sets: dict[str, ValueSet]
    indicators: tuple[Indicator, ...]
    fixtures: tuple[Fixture, ...]
    checksum: str | None  # as written in the file ("sha256:<hex>"), None when absent
    content_checksum: str  # computed from the content
    path: Path | None = None
    description: Text | None = None

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)
