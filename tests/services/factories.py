"""Facts for one made-up patient, built in memory: the rules and row builders are pure functions of them."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

from cockpit.models import codes
from cockpit.services.overview.facts import (
    ConditionFact,
    EncounterFact,
    HomeCareFact,
    MedicationFact,
    PatientFacts,
    group_results,
)

AS_OF = date(2026, 9, 1)


def condition(
    code: str,
    onset: date | None = date(2015, 1, 1),
    *,
    system: str = codes.ICPC2,
    abatement: date | None = None,
    clinical: str | None = "active",
    verification: str | None = "confirmed",
    display: str | None = None,
) -> ConditionFact:
    return ConditionFact(
        system, code, display or f"Diagnose {code}", onset, abatement, clinical, verification, None
    )


def medication(
    atc: str,
    start: date | None = date(2020, 1, 1),
    end: date | None = None,
    *,
    status: str | None = "active",
    name: str | None = None,
    strength: str | None = None,
    dosage: str | None = None,
    system: str | None = codes.ATC,
) -> MedicationFact:
    return MedicationFact(system, atc, name or f"Lægemiddel {atc}", strength, dosage, start, end, status)


def observation(
    code: str,
    value: float | None,
    when: date | datetime,
    *,
    system: str = codes.NPU,
    unit: str | None = None,
    text: str | None = None,
    ref_low: float | None = None,
    ref_high: float | None = None,
    interpretation: str | None = None,
    status: str | None = "final",
    display: str | None = None,
) -> tuple[Any, ...]:
    """A row as the observations query returns it."""
    effective = when if isinstance(when, datetime) else datetime.combine(when, time(8, 0))
    return (system, code, display, value, unit, text, effective, ref_low, ref_high, interpretation, status)


def hba1c(value: float, when: date) -> tuple[Any, ...]:
    return observation("NPU27300", value, when, unit="mmol/mol")


def encounter(
    kind: str,
    start: date | datetime,
    end: date | datetime | None = None,
    *,
    status: str | None = "finished",
    reason: str | None = None,
) -> EncounterFact:
    def moment(day: date | datetime | None) -> datetime | None:
        if day is None or isinstance(day, datetime):
            return day
        return datetime.combine(day, time(10, 0))

    return EncounterFact(kind, status, moment(start), moment(end), "Regionshospitalet", None, None, reason)


def home_care(
    service: str, start: date | None, end: date | None = None, *, status: str | None = "active"
) -> HomeCareFact:
    return HomeCareFact(service, 3.5, start, end, status, "Aarhus Kommune")


def facts(
    *,
    birth_date: date | None = date(1950, 6, 15),
    conditions: Iterable[ConditionFact] = (),
    medications: Iterable[MedicationFact] = (),
    observations: Sequence[tuple[Any, ...]] = (),
    encounters: Iterable[EncounterFact] = (),
    home_care_services: Iterable[HomeCareFact] = (),
    patient_id: int = 1,
) -> PatientFacts:
    return PatientFacts(
        patient_id=patient_id,
        name="Tove Testesen",
        cpr="1506504321",
        birth_date=birth_date,
        sex="female",
        gp_name="Martin Nielsen",
        municipality="Aarhus",
        deceased=False,
        deceased_date=None,
        conditions=tuple(conditions),
        medications=tuple(medications),
        results=group_results(observations),
        encounters=tuple(encounters),
        home_care=tuple(home_care_services),
    )


def type_2_diabetic(*observations: tuple[Any, ...]) -> PatientFacts:
    return facts(conditions=[condition("T90")], observations=observations)
