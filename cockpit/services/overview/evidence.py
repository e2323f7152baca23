"""What the attention rules share: the facts they look up (diagnoses and drugs of a value set, when drugs
were taken together, the latest result) and how they word the evidence (Danish, dates dd-mm-yyyy, numbers
with a decimal comma)."""

from collections.abc import Iterable
from datetime import date

from cockpit.models.danish import dk_date, format_fixed
from cockpit.models.months import within_months
from cockpit.services.overview import valuesets as vs
from cockpit.services.overview.facts import (
    ConditionFact,
    EncounterFact,
    LabResult,
    MedicationFact,
    PatientFacts,
    Period,
    end_of,
    length_of_stay,
    medication_periods,
)
from cockpit.services.overview.labcatalogue import KEY_TEST_BY_KEY

# --- what the rules look up ---------------------------------------------------------------------------------


def diagnosed(facts: PatientFacts, as_of: date, diagnoses: vs.DiagnosisSet) -> list[ConditionFact]:
    return [c for c in facts.active_conditions(as_of) if diagnoses.matches(c.system, c.code)]


def type_2_diabetes(facts: PatientFacts, as_of: date) -> list[ConditionFact]:
    """Active type 2 diabetes diagnoses, none when type 1 diabetes is active too (as DM-HBA1C-12M)."""
    if diagnosed(facts, as_of, vs.TYPE_1_DIABETES):
        return []
    return diagnosed(facts, as_of, vs.TYPE_2_DIABETES)


def drugs_in(facts: PatientFacts, group: vs.AtcGroup) -> list[MedicationFact]:
    return [m for m in facts.medications if m.atc is not None and group.matches(m.atc)]


def active_drugs_in(facts: PatientFacts, as_of: date, group: vs.AtcGroup) -> list[MedicationFact]:
    return [m for m in drugs_in(facts, group) if m.active_on(as_of)]


def latest_overlap(facts: PatientFacts, as_of: date, groups: Iterable[vs.AtcGroup]) -> Period | None:
    """The latest stretch of days on which a drug of every group was taken (up to ``as_of``)."""
    overlaps: list[Period] | None = None
    for group in groups:
        periods = medication_periods(drugs_in(facts, group), as_of)
        overlaps = periods if overlaps is None else _intersections(overlaps, periods)
        if not overlaps:
            return None
    return max(overlaps, key=lambda p: (p.end, p.start)) if overlaps else None


def _intersections(first: list[Period], second: list[Period]) -> list[Period]:
    found = []
    for a in first:
        for b in second:
            start, end = max(a.start, b.start), min(a.end, b.end)
            if start <= end:
                found.append(Period(start, end))
    return found


def last_of(facts: PatientFacts, as_of: date, *keys: str) -> LabResult | None:
    latest = [r for key in keys if (r := facts.latest(key, as_of)) is not None]
    return max(latest, key=lambda r: r.effective) if latest else None


def last_measurement(
    facts: PatientFacts, as_of: date, measurements: Iterable[vs.MeasurementSet]
) -> LabResult | None:
    """The latest result (up to ``as_of``) of any of the sets, whatever its unit or key."""
    sets = tuple(measurements)
    end = end_of(as_of)
    found = [
        result
        for series in facts.results.values()
        for result in series
        if result.effective <= end and any(s.matches(result.system, result.code) for s in sets)
    ]
    return max(found, key=lambda r: r.effective) if found else None


def taken_within(result: LabResult | None, as_of: date, months: int) -> bool:
    return result is not None and within_months(result.day, as_of, months)


# --- how the evidence is worded -----------------------------------------------------------------------------


def since_text(overlap: Period) -> str:
    return f" siden {dk_date(overlap.start)}"


def period_text(overlap: Period) -> str:
    return f"{dk_date(overlap.start)} – {dk_date(overlap.end)}"


def value_text(result: LabResult) -> str:
    test = KEY_TEST_BY_KEY.get(result.key)
    decimals = test.decimals if test is not None else 1
    number = result.text or format_fixed(result.value or 0.0, decimals)
    return f"{result.name} {number} {result.unit or ''}".rstrip()


def range_text(result: LabResult) -> str:
    if result.ref_low is None or result.ref_high is None:
        return ""
    return f" (ref. {format_fixed(result.ref_low, 1)}–{format_fixed(result.ref_high, 1)})"


def when_text(result: LabResult | None) -> str:
    return "aldrig" if result is None else dk_date(result.day)


def stay_text(admission: EncounterFact) -> str:
    days = length_of_stay(admission)
    return "" if days is None else f" ({days} {'dag' if days == 1 else 'dage'})"


def diagnosis_text(condition: ConditionFact) -> str:
    text = f"{condition.display or condition.code} ({condition.code})"
    return f"{text} siden {dk_date(condition.onset)}" if condition.onset else text


def drug_text(drug: MedicationFact) -> str:
    name = " ".join(part for part in (drug.drug_name, drug.strength) if part)
    start = f" fra {dk_date(drug.start)}" if drug.start else ""
    end = f" til {dk_date(drug.end)}" if drug.end else ""
    return f"{name} ({drug.atc}){start}{end}"


def drugs_text(facts: PatientFacts, as_of: date, groups: Iterable[vs.AtcGroup]) -> str:
    return "; ".join(drug_text(m) for group in groups for m in active_drugs_in(facts, as_of, group))
