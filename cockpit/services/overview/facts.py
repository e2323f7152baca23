"""One patient's rows, loaded once and typed: what the overview shows and what attention rules read.

``load_facts`` runs one indexed query per table (six in all). Lab values of the key tests are converted
to the unit the GP reads here, once, so that every rule and every row compares like with like.

The "active" definitions are the indicator engine's (see ``ConditionFact.active_on`` and
``MedicationFact.active_on``).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from cockpit.models import codes
from cockpit.models.clinical import Condition, Encounter, HomeCareService, Medication, Observation, Patient
from cockpit.models.danish import format_fixed
from cockpit.services.overview.labcatalogue import KeyTest, key_test_for

INACTIVE_CLINICAL: Final = frozenset({"inactive", "resolved", "remission"})
NOT_A_DIAGNOSIS: Final = frozenset({"refuted", "entered-in-error"})
MEDICATION_NEVER_ACTIVE: Final = frozenset({"entered-in-error", "cancelled", "draft", "not-taken"})
MEDICATION_ENDED: Final = frozenset({"stopped", "completed"})
MEDICATION_ACTIVE: Final = "active"  # without a start date, only this status makes a medication active
# An observation with one of these statuses holds no valid result (as the indicator engine).
OBSERVATION_NO_RESULT: Final = frozenset({"entered-in-error", "cancelled"})
ENCOUNTER_DID_NOT_HAPPEN: Final = frozenset({"cancelled", "entered-in-error"})
HOME_CARE_NOT_RUNNING: Final = frozenset({"draft", "revoked", "completed", "entered-in-error"})
COMPARATORS: Final = ("<=", ">=", "<", ">")
ATC_SUBSTANCE_LENGTH: Final = 7


@dataclass(frozen=True, slots=True)
class ConditionFact:
    system: str
    code: str
    display: str | None
    onset: date | None
    abatement: date | None
    clinical_status: str | None
    verification_status: str | None
    recorded_by: str | None

    @property
    def is_diagnosis(self) -> bool:
        """False for a refuted or erroneous entry, which is never shown."""
        return self.verification_status not in NOT_A_DIAGNOSIS

    def active_on(self, day: date) -> bool:
        return (
            (self.onset is None or self.onset <= day)
            and (self.abatement is None or self.abatement > day)
            and self.clinical_status not in INACTIVE_CLINICAL
            and self.is_diagnosis
        )


@dataclass(frozen=True, slots=True)
class MedicationFact:
    system: str | None
    code: str | None
    drug_name: str
    strength: str | None
    dosage_text: str | None
    start: date | None
    end: date | None
    status: str | None

    @property
    def atc(self) -> str | None:
        return self.code if self.system == codes.ATC else None

    @property
    def substance(self) -> str:
        """What counts as one substance: the ATC code, else another code, else the drug name."""
        if self.code is not None:
            return f"{self.system}|{self.code}"
        return self.drug_name.strip().lower()

    @property
    def is_recorded(self) -> bool:
        """False for a prescription that never took effect (an error, a draft, cancelled, not taken)."""
        return self.status not in MEDICATION_NEVER_ACTIVE

    def active_on(self, day: date) -> bool:
        # As the indicator engine: a row without a start date is active only with status active.
        if not self.is_recorded:
            return False
        if self.start is None:
            if self.status != MEDICATION_ACTIVE:
                return False
        elif self.start > day:
            return False
        if self.end is None:
            return self.status not in MEDICATION_ENDED
        return self.end >= day


@dataclass(frozen=True, slots=True)
class LabResult:
    """One result. ``key`` is the key test's key (value, unit and range converted to its unit) or, for
    any other test, ``other_key(system, code)`` with the value as the source gave it."""

    key: str
    name: str
    system: str
    code: str
    effective: datetime
    value: float | None
    text: str | None  # the value as text when it is not a plain number: "<0,5", "Tidligere ryger"
    unit: str | None
    ref_low: float | None
    ref_high: float | None
    interpretation: str | None

    @property
    def day(self) -> date:
        return self.effective.date()


@dataclass(frozen=True, slots=True)
class EncounterFact:
    kind: str
    status: str | None
    start: datetime | None
    end: datetime | None
    provider: str | None
    type_display: str | None
    reason_code: str | None
    reason_display: str | None


@dataclass(frozen=True, slots=True)
class HomeCareFact:
    service: str
    hours_per_week: float | None
    start: date | None
    end: date | None
    status: str | None
    provider: str | None

    def running_on(self, day: date) -> bool:
        return (
            self.status not in HOME_CARE_NOT_RUNNING
            and (self.start is None or self.start <= day)
            and (self.end is None or self.end >= day)
        )


@dataclass(frozen=True, slots=True)
class PatientFacts:
    """Everything the store holds about one patient that the overview and its rules use."""

    patient_id: int
    name: str
    cpr: str | None = field(repr=False)
    birth_date: date | None
    sex: str
    gp_name: str | None
    municipality: str | None
    deceased: bool
    deceased_date: date | None
    conditions: tuple[ConditionFact, ...]
    medications: tuple[MedicationFact, ...]
    # key -> results, oldest first
    results: Mapping[str, tuple[LabResult, ...]]
    encounters: tuple[EncounterFact, ...]
    home_care: tuple[HomeCareFact, ...]

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)

    def active_conditions(self, day: date) -> list[ConditionFact]:
        return [c for c in self.conditions if c.active_on(day)]

    def active_medications(self, day: date) -> list[MedicationFact]:
        return [m for m in self.medications if m.active_on(day)]

    def results_until(self, key: str, day: date) -> tuple[LabResult, ...]:
        """The results of ``key`` taken on or before ``day``, oldest first."""
        series = self.results.get(key, ())
        end = end_of(day)
        if series and series[-1].effective <= end:
            return series
        return tuple(r for r in series if r.effective <= end)

    def latest(self, key: str, day: date) -> LabResult | None:
        series = self.results_until(key, day)
        return series[-1] if series else None


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """Days a drug was taken, both ends included."""

    start: date
    end: date


def medication_periods(rows: Iterable[MedicationFact], as_of: date) -> list[Period]:
    """When ``rows`` were taken up to ``as_of``, oldest first. Periods that overlap or follow each other
    day by day (a renewed prescription) are one; a period ending on ``as_of`` is still running."""
    merged: list[Period] = []
    for span in sorted(span for row in rows if (span := _span(row, as_of)) is not None):
        if merged and span.start <= merged[-1].end + timedelta(days=1):
            merged[-1] = Period(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return merged


def _span(row: MedicationFact, as_of: date) -> Period | None:
    if not row.is_recorded or row.start is None:
        return None
    if row.end is not None:
        end = min(row.end, as_of)
    elif row.status in MEDICATION_ENDED:
        return None  # stopped, but nobody knows when
    else:
        end = as_of
    return Period(row.start, end) if row.start <= end else None


def active_atc_substances(facts: PatientFacts, day: date) -> set[str]:
    """Distinct active ATC substances (level 5, seven characters), as the indicator engine counts them."""
    return {m.atc[:ATC_SUBSTANCE_LENGTH] for m in facts.active_medications(day) if m.atc}


def length_of_stay(encounter: EncounterFact) -> int | None:
    """Days from admission to discharge (Danish "liggetid": same-day discharge is 0); None while ongoing."""
    if encounter.start is None or encounter.end is None:
        return None
    return (encounter.end.date() - encounter.start.date()).days


def end_of(day: date) -> datetime:
    return datetime.combine(day, time.max)


def other_key(system: str, code: str) -> str:
    return f"{system}|{code}"


def load_facts(session: Session, patient_id: int) -> PatientFacts | None:
    """The patient's facts, or None when there is no such patient."""
    # Core execution on the session's connection: plain rows, without the ORM's per-row work.
    connection = session.connection()
    patient = connection.execute(
        select(
            Patient.name,
            Patient.cpr,
            Patient.birth_date,
            Patient.sex,
            Patient.gp_name,
            Patient.municipality,
            Patient.deceased,
            Patient.deceased_date,
        ).where(Patient.id == patient_id)
    ).first()
    if patient is None:
        return None
    return PatientFacts(
        patient_id,
        *patient,
        conditions=_conditions(connection, patient_id),
        medications=_medications(connection, patient_id),
        results=_results(connection, patient_id),
        encounters=_encounters(connection, patient_id),
        home_care=_home_care(connection, patient_id),
    )


def _conditions(connection: Connection, patient_id: int) -> tuple[ConditionFact, ...]:
    query = select(
        Condition.code_system,
        Condition.code,
        Condition.display,
        Condition.onset,
        Condition.abatement,
        Condition.clinical_status,
        Condition.verification_status,
        Condition.recorded_by,
    ).where(Condition.patient_id == patient_id)
    return tuple(ConditionFact(*row) for row in connection.execute(query.order_by(Condition.id)))


def _medications(connection: Connection, patient_id: int) -> tuple[MedicationFact, ...]:
    query = select(
        Medication.code_system,
        Medication.code,
        Medication.drug_name,
        Medication.strength,
        Medication.dosage_text,
        Medication.start,
        Medication.end,
        Medication.status,
    ).where(Medication.patient_id == patient_id)
    return tuple(MedicationFact(*row) for row in connection.execute(query.order_by(Medication.id)))


_OBSERVATION_COLUMNS: Final = (
    Observation.code_system,
    Observation.code,
    Observation.display,
    Observation.value_num,
    Observation.unit,
    Observation.value_text,
    Observation.effective,
    Observation.ref_low,
    Observation.ref_high,
    Observation.interpretation,
    Observation.status,
)


def _results(connection: Connection, patient_id: int) -> dict[str, tuple[LabResult, ...]]:
    return group_results(
        connection.execute(
            select(*_OBSERVATION_COLUMNS).where(Observation.patient_id == patient_id).order_by(Observation.id)
        )
    )


def group_results(rows: Iterable[Sequence[Any]]) -> dict[str, tuple[LabResult, ...]]:
    grouped: dict[str, list[LabResult]] = defaultdict(list)
    for row in rows:
        result = lab_result(row)
        if result is not None:
            grouped[result.key].append(result)
    return {key: tuple(sorted(items, key=lambda r: r.effective)) for key, items in grouped.items()}


def lab_result(row: Sequence[Any]) -> LabResult | None:
    """An observation row (``_OBSERVATION_COLUMNS``) as a result; None without a dated, valid value."""
    system, code, display, value, unit, text, effective, ref_low, ref_high, interpretation, status = row
    if effective is None or status in OBSERVATION_NO_RESULT or (value is None and text is None):
        return None
    test = key_test_for(system, code)
    conversion = test.conversion(unit) if test is not None else None
    if test is None or conversion is None or value is None:
        return LabResult(
            other_key(system, code), display or code, system, code, effective, value, text, unit,
            ref_low, ref_high, interpretation,
        )  # fmt: skip

    def convert(number: float | None) -> float | None:
        # At the precision the lab reports in that unit: 7.0 % is 53 mmol/mol, not 53.0057, so what the
        # GP reads is what the rules compare.
        if number is None or conversion.is_identity:
            return number
        return round(conversion.apply(number), test.decimals)

    converted = convert(value)
    assert converted is not None
    return LabResult(
        test.key, test.name, system, code, effective, converted, _comparator_text(text, converted, test),
        test.unit, convert(ref_low), convert(ref_high), interpretation,
    )  # fmt: skip


def _comparator_text(text: str | None, value: float, test: KeyTest) -> str | None:
    """ "<0.5" from the source becomes "<0,5" in the test's unit; other texts are dropped for a number."""
    if text is None:
        return None
    comparator = next((c for c in COMPARATORS if text.startswith(c)), None)
    return None if comparator is None else comparator + format_fixed(value, test.decimals)


def _encounters(connection: Connection, patient_id: int) -> tuple[EncounterFact, ...]:
    query = select(
        Encounter.encounter_class,
        Encounter.status,
        Encounter.start,
        Encounter.end,
        Encounter.provider,
        Encounter.type_display,
        Encounter.reason_code,
        Encounter.reason_display,
    ).where(Encounter.patient_id == patient_id)
    return tuple(EncounterFact(*row) for row in connection.execute(query.order_by(Encounter.id)))


def _home_care(connection: Connection, patient_id: int) -> tuple[HomeCareFact, ...]:
    query = select(
        HomeCareService.service_display,
        HomeCareService.hours_per_week,
        HomeCareService.start,
        HomeCareService.end,
        HomeCareService.status,
        HomeCareService.provider,
    ).where(HomeCareService.patient_id == patient_id)
    return tuple(HomeCareFact(*row) for row in connection.execute(query.order_by(HomeCareService.id)))
