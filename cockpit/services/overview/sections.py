"""The per-patient overview's sections (issue 5): header, attention, diagnoses, medication, labs, timeline
and home care, as frozen dataclasses built in memory from the patient's facts (``build_overview``), and one
test's history for its chart (``build_lab_series``). ``service.OverviewService`` loads the facts."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Final, Literal

from cockpit.models import codes
from cockpit.models.cpr import format_cpr, mask_cpr
from cockpit.models.danish import format_fixed
from cockpit.services.overview import labcatalogue
from cockpit.services.overview.facts import (
    ATC_SUBSTANCE_LENGTH,
    ENCOUNTER_DID_NOT_HAPPEN,
    ConditionFact,
    LabResult,
    MedicationFact,
    PatientFacts,
    length_of_stay,
    medication_periods,
)
from cockpit.services.overview.items import AttentionItem, AttentionSource
from cockpit.services.overview.labcatalogue import (
    KEY_TEST_BY_KEY,
    KEY_TEST_ORDER,
    Target,
    TargetContext,
    key_test_with_code,
    target_for,
)

Flag = Literal["H", "L"]
RECENT_DAYS: Final = 90  # "new" and "recently stopped" drugs
SYSTEM_LABELS: Final = {
    codes.ICPC2: "ICPC-2",
    codes.SKS: "SKS",
    codes.SKS_D: "SKS",
    codes.ICD10: "ICD-10",
    codes.SNOMED: "SNOMED CT",
}
SEX_LABELS: Final = {"male": "Mand", "female": "Kvinde", "other": "Andet", "unknown": "Ukendt"}
CONTACT_LABELS: Final = {
    "gp_consultation": "Konsultation",
    "phone": "Telefonkonsultation",
    "email": "E-konsultation",
    "home_visit": "Sygebesøg",
    "outpatient": "Ambulant besøg",
    "inpatient": "Indlæggelse",
    "emergency": "Akutmodtagelse",
    "other": "Anden kontakt",
    "home_care": "Hjemmepleje",
}
HIGH_CODES: Final = frozenset({"H", "HH", "HU", ">"})
LOW_CODES: Final = frozenset({"L", "LL", "LU", "<"})


@dataclass(frozen=True, slots=True)
class Header:
    patient_id: int
    name: str
    age: int | None
    sex: str  # FHIR administrative gender
    sex_label: str
    birth_date: date | None
    cpr: str | None = field(repr=False)  # show ``cpr_masked`` until the user asks to see it
    gp_name: str | None
    municipality: str | None
    deceased: bool
    deceased_date: date | None

    @property
    def cpr_masked(self) -> str | None:
        """ "DDMMYY-xxxx": the birth date part only."""
        return None if self.cpr is None else mask_cpr(self.cpr)

    @property
    def cpr_formatted(self) -> str | None:
        return None if self.cpr is None else format_cpr(self.cpr)


@dataclass(frozen=True, slots=True)
class DiagnosisRow:
    active: bool
    system_label: str  # "ICPC-2", "SKS", "ICD-10", "SNOMED CT" or the system URI
    system: str
    code: str
    display: str | None
    onset: date | None
    abatement: date | None
    recorded_by: str | None  # "gp", "hospital" or None


@dataclass(frozen=True, slots=True)
class MedicationRow:
    active: bool
    new: bool  # taken for at most 90 days (a renewed prescription is not new)
    stopped_recently: bool  # no longer taken, stopped within 90 days
    drug_name: str
    strength: str | None
    dosage_text: str | None
    atc: str | None
    start: date | None  # since when the substance has been taken without a break
    end: date | None  # a planned end (active) or the day it stopped
    status: str | None


@dataclass(frozen=True, slots=True)
class LabRow:
    key: str  # a key test's key, or "system|code" for another test; ``lab_series`` takes it
    name: str
    is_key_test: bool
    value: float | None
    text: str | None  # a comparator or a coded answer from the source ("<0,5", "Tidligere ryger")
    display: str  # the value as the GP reads it: "4,8", "<0,5", "Tidligere ryger"
    unit: str | None
    effective: datetime
    ref_low: float | None
    ref_high: float | None
    flag: Flag | None
    target: Target | None
    meets_target: bool | None
    previous: float | None  # for a trend arrow
    previous_effective: datetime | None


@dataclass(frozen=True, slots=True)
class LabSeries:
    key: str
    name: str
    unit: str | None
    points: tuple[tuple[datetime, float], ...]  # oldest first
    ref_low: float | None  # the band of the latest result that has one
    ref_high: float | None
    target: Target | None


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    kind: str  # an encounter class (cockpit.models.clinical.EncounterClass) or "home_care"
    start: datetime
    end: datetime | None
    label: str
    length_of_stay_days: int | None  # admissions only
    provider: str | None


@dataclass(frozen=True, slots=True)
class HomeCareRow:
    service: str
    hours_per_week: float | None
    start: date | None
    end: date | None
    provider: str | None


@dataclass(frozen=True, slots=True)
class PatientOverview:
    as_of: date
    header: Header
    attention: tuple[AttentionItem, ...]
    diagnoses: tuple[DiagnosisRow, ...]  # active first (newest onset first), then resolved
    medications: tuple[MedicationRow, ...]  # active by name, then recently stopped
    active_substances: int
    labs: tuple[LabRow, ...]  # key tests in catalogue order, then other tests by name
    timeline: tuple[TimelineEvent, ...]  # every event, oldest first; the view filters
    home_care: tuple[HomeCareRow, ...]  # services running on as_of


def build_overview(facts: PatientFacts, as_of: date, attention: AttentionSource) -> PatientOverview:
    return PatientOverview(
        as_of=as_of,
        header=header(facts, as_of),
        attention=tuple(attention.attention_for(facts, as_of)),
        diagnoses=diagnosis_rows(facts, as_of),
        medications=medication_rows(facts, as_of),
        active_substances=active_substances(facts, as_of),
        labs=lab_rows(facts, as_of),
        timeline=timeline(facts),
        home_care=home_care_rows(facts, as_of),
    )


# --- header ------------------------------------------------------------------------------------------------


def header(facts: PatientFacts, as_of: date) -> Header:
    return Header(
        patient_id=facts.patient_id,
        name=facts.name,
        age=facts.age_on(as_of),
        sex=facts.sex,
        sex_label=SEX_LABELS.get(facts.sex, facts.sex),
        birth_date=facts.birth_date,
        cpr=facts.cpr,
        gp_name=facts.gp_name,
        municipality=facts.municipality,
        deceased=facts.deceased,
        deceased_date=facts.deceased_date,
    )


# --- diagnoses ---------------------------------------------------------------------------------------------


def diagnosis_rows(facts: PatientFacts, as_of: date) -> tuple[DiagnosisRow, ...]:
    """Active diagnoses once per code (with the earliest onset), newest onset first; then every resolved
    episode, newest first. Refuted and erroneous entries, and those starting after ``as_of``, are left out."""
    known = [c for c in facts.conditions if c.is_diagnosis and (c.onset is None or c.onset <= as_of)]
    active: dict[tuple[str, str], ConditionFact] = {}
    for condition in known:
        if condition.active_on(as_of):
            key = (condition.system, condition.code)
            if key not in active or _earlier(condition.onset, active[key].onset):
                active[key] = condition
    resolved = [c for c in known if not c.active_on(as_of)]
    return tuple(
        [_diagnosis_row(c, True) for c in sorted(active.values(), key=_newest_first)]
        + [_diagnosis_row(c, False) for c in sorted(resolved, key=_newest_first)]
    )


def _earlier(day: date | None, than: date | None) -> bool:
    return day is not None and (than is None or day < than)


def _newest_first(condition: ConditionFact) -> tuple[bool, int]:
    # Unknown onsets last; ordinal negated so the newest sorts first.
    onset = condition.onset
    return (onset is None, -onset.toordinal() if onset else 0)


def _diagnosis_row(condition: ConditionFact, active: bool) -> DiagnosisRow:
    return DiagnosisRow(
        active=active,
        system_label=SYSTEM_LABELS.get(condition.system, condition.system),
        system=condition.system,
        code=condition.code,
        display=condition.display,
        onset=condition.onset,
        abatement=condition.abatement,
        recorded_by=condition.recorded_by,
    )


# --- medication --------------------------------------------------------------------------------------------


def medication_rows(facts: PatientFacts, as_of: date) -> tuple[MedicationRow, ...]:
    """Active drugs (identical prescriptions once), then drugs stopped within 90 days (once per substance)."""
    by_substance: dict[str, list[MedicationFact]] = {}
    for medication in facts.medications:
        by_substance.setdefault(medication.substance, []).append(medication)
    active: dict[tuple[str, str, str | None, str | None], MedicationRow] = {}
    stopped: list[MedicationRow] = []
    for rows in by_substance.values():
        periods = medication_periods(rows, as_of)
        running = bool(periods) and periods[-1].end == as_of
        # A drug without a start date but with status active is active too (it has no period: since unknown).
        if running or any(row.start is None and row.active_on(as_of) for row in rows):
            since = periods[-1].start if running else None
            for row in rows:
                if row.active_on(as_of):
                    key = (row.substance, row.drug_name, row.strength, row.dosage_text)
                    active.setdefault(key, _medication_row(row, as_of, since))
        elif periods and periods[-1].end >= as_of - timedelta(days=RECENT_DAYS):
            stopped_on = periods[-1].end
            last = next(r for r in rows if r.is_recorded and r.end == stopped_on)
            stopped.append(_stopped_row(last, stopped_on))
    return tuple(
        sorted(active.values(), key=lambda r: (r.drug_name.casefold(), r.strength or ""))
        + sorted(stopped, key=lambda r: (-(r.end or date.min).toordinal(), r.drug_name.casefold()))
    )


def _medication_row(row: MedicationFact, as_of: date, since: date | None) -> MedicationRow:
    return MedicationRow(
        active=True,
        new=since is not None and since >= as_of - timedelta(days=RECENT_DAYS),
        stopped_recently=False,
        drug_name=row.drug_name,
        strength=row.strength,
        dosage_text=row.dosage_text,
        atc=row.atc,
        start=since,
        end=row.end,
        status=row.status,
    )


def _stopped_row(row: MedicationFact, stopped: date) -> MedicationRow:
    return MedicationRow(
        active=False,
        new=False,
        stopped_recently=True,
        drug_name=row.drug_name,
        strength=row.strength,
        dosage_text=row.dosage_text,
        atc=row.atc,
        start=row.start,
        end=stopped,
        status=row.status,
    )


def active_substances(facts: PatientFacts, as_of: date) -> int:
    """Distinct active substances: ATC level 5 where coded in ATC, else the code or the drug name."""
    return len(
        {m.atc[:ATC_SUBSTANCE_LENGTH] if m.atc else m.substance for m in facts.active_medications(as_of)}
    )


# --- labs --------------------------------------------------------------------------------------------------


def lab_rows(facts: PatientFacts, as_of: date) -> tuple[LabRow, ...]:
    context = target_context(facts, as_of)
    rows = []
    for key in facts.results:
        results = facts.results_until(key, as_of)
        if results:
            rows.append(_lab_row(results, context))
    return tuple(sorted(rows, key=_lab_order))


def build_lab_series(facts: PatientFacts, lab: str, as_of: date) -> LabSeries:
    """An unknown ``lab`` gives a series without points."""
    key = resolve_lab_key(facts, lab)
    results = facts.results_until(key, as_of)
    test = KEY_TEST_BY_KEY.get(key)
    latest = results[-1] if results else None
    banded = next((r for r in reversed(results) if r.ref_low is not None or r.ref_high is not None), None)
    return LabSeries(
        key=key,
        name=test.name if test else (latest.name if latest else lab),
        unit=test.unit if test else (latest.unit if latest else None),
        points=tuple((r.effective, r.value) for r in results if r.value is not None),
        ref_low=banded.ref_low if banded else None,
        ref_high=banded.ref_high if banded else None,
        target=target_for(key, target_context(facts, as_of)) if test else None,
    )


def resolve_lab_key(facts: PatientFacts, lab: str) -> str:
    """The results key ``lab`` names: itself when it is one; for a bare code, the key test that has it,
    else the other test with that code."""
    if lab in KEY_TEST_BY_KEY or lab in facts.results or "|" in lab:
        return lab
    test = key_test_with_code(lab)
    if test is not None:
        return test.key
    return min((key for key in facts.results if key.endswith(f"|{lab}")), default=lab)


def _lab_order(row: LabRow) -> tuple[int, str]:
    return (KEY_TEST_ORDER.get(row.key, len(KEY_TEST_ORDER)), row.name.casefold())


def _lab_row(results: tuple[LabResult, ...], context: TargetContext) -> LabRow:
    latest = results[-1]
    previous = results[-2] if len(results) > 1 else None
    target = target_for(latest.key, context)
    return LabRow(
        key=latest.key,
        name=latest.name,
        is_key_test=latest.key in KEY_TEST_BY_KEY,
        value=latest.value,
        text=latest.text,
        display=display_value(latest),
        unit=latest.unit,
        effective=latest.effective,
        ref_low=latest.ref_low,
        ref_high=latest.ref_high,
        flag=flag(latest),
        target=target,
        meets_target=None if target is None or latest.value is None else target.met_by(latest.value),
        previous=previous.value if previous is not None else None,
        previous_effective=previous.effective if previous is not None else None,
    )


def display_value(result: LabResult) -> str:
    """The key test's decimals (sodium 137.86 -> "138"); another test's value as the source gave it."""
    if result.text is not None or result.value is None:
        return result.text or ""
    test = KEY_TEST_BY_KEY.get(result.key)
    if test is not None:
        return format_fixed(result.value, test.decimals)
    return f"{result.value:.10g}".replace(".", ",")


def flag(result: LabResult) -> Flag | None:
    """The lab's own H/L when it gave one (N: none); else from the reference interval."""
    interpretation = (result.interpretation or "").upper()
    if interpretation in HIGH_CODES:
        return "H"
    if interpretation in LOW_CODES:
        return "L"
    if interpretation == "N" or result.value is None:
        return None
    if result.ref_high is not None and result.value > result.ref_high:
        return "H"
    if result.ref_low is not None and result.value < result.ref_low:
        return "L"
    return None


def target_context(facts: PatientFacts, as_of: date) -> TargetContext:
    """The age and the active conditions the targets file's rules read (by codelist)."""
    active = facts.active_conditions(as_of)
    return labcatalogue.target_context(facts.age_on(as_of), ((c.system, c.code) for c in active))


# --- timeline and home care ------------------------------------------------------------------------------


def timeline(facts: PatientFacts) -> tuple[TimelineEvent, ...]:
    events = [
        TimelineEvent(
            kind=e.kind,
            start=e.start,
            end=e.end,
            label=_contact_label(e.type_display or CONTACT_LABELS.get(e.kind, e.kind), e.reason_display),
            length_of_stay_days=length_of_stay(e) if e.kind == "inpatient" else None,
            provider=e.provider,
        )
        for e in facts.encounters
        if e.start is not None and e.status not in ENCOUNTER_DID_NOT_HAPPEN
    ]
    events += [
        TimelineEvent(
            kind="home_care",
            start=datetime.combine(h.start, time()),
            end=datetime.combine(h.end, time()) if h.end else None,
            label=_contact_label(CONTACT_LABELS["home_care"], h.service),
            length_of_stay_days=None,
            provider=h.provider,
        )
        for h in facts.home_care
        if h.start is not None and h.status not in ("entered-in-error", "draft")
    ]
    return tuple(sorted(events, key=lambda e: (e.start, e.kind)))


def _contact_label(what: str, detail: str | None) -> str:
    """ "Indlæggelse: Pneumoni uden specifikation": the kind of contact (as the source names it), then why."""
    return f"{what}: {detail}" if detail else what


def home_care_rows(facts: PatientFacts, as_of: date) -> tuple[HomeCareRow, ...]:
    running = [h for h in facts.home_care if h.running_on(as_of)]
    return tuple(
        HomeCareRow(h.service, h.hours_per_week, h.start, h.end, h.provider)
        for h in sorted(running, key=lambda h: h.service.casefold())
    )
