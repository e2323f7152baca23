"""Monitoring: lab results, blood pressure, weight, smoking status and spirometry at chronic-care controls.

Every monitoring programme (model.LAB_PROGRAMMES) repeats at its interval from one anniversary per
patient, so a diabetic with hypertension has one combined control every six months rather than two
unrelated ones. Blood is drawn in the morning; the control consultation, with blood pressure, weight and
smoking status, follows a few days later. The documented gaps then remove what was not done.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final

from cockpit.demo import model
from cockpit.demo.contacts import gp_contact
from cockpit.demo.dates import DAYS_PER_YEAR, at_minutes, random_day, shift_months, years_between
from cockpit.demo.diagnoses import gp_code
from cockpit.demo.draws import chance, clip, poisson
from cockpit.demo.record import BloodPressure, PatientRecord, Result, SmokingStatus
from cockpit.demo.vocabulary import (
    EZETIMIBE_ATC,
    MEASURES,
    METHOTREXATE,
    RAAS_MONITORED_ATC,
    SCORES,
    STATIN_ATC,
    THIAZIDE_ATC,
)

RENAL_TESTS: Final = frozenset({"creatinine", "egfr", "potassium", "sodium"})
CONTROL_PROGRAMMES: Final = ("t2d", "copd", "heart_failure", "ckd", "ihd", "hypertension", "lipid")
BLOOD_PRESSURE_PROGRAMMES: Final = frozenset({"t2d", "hypertension", "ckd", "ihd", "heart_failure"})
WEIGHT_PROGRAMMES: Final = frozenset({"t2d", "copd", "heart_failure"})
SMOKING_PROGRAMMES: Final = frozenset({"t2d", "copd", "ihd"})
DIAGNOSTIC_TESTS: Final = frozenset({"hba1c", "creatinine", "egfr", "ldl", "alat"})
RENAL_DRUGS: Final = RAAS_MONITORED_ATC
METHOTREXATE_TESTS: Final = frozenset({"alat", "creatinine", "egfr", "haemoglobin"})
METHOTREXATE_GAP_MONTHS: Final = (4.0, 9.0)
UACR_GAP_MONTHS: Final = (12.5, 20.0)
HOME_BP_READINGS: Final = 3  # mornings in a row
VISIT_JITTER_DAYS: Final = 20
LONG_TERM_MONTHS: Final = 16  # "first prescribed >= 15 months ago", with a month to spare
RENAL_GAP_MONTHS: Final = (15.5, 27.0)
LOST_MONTHS: Final = (12.5, 30.0)
POOR_CONTROL_RISE_YEARS: Final = 1.5


@dataclass(slots=True)
class Visit:
    day: date
    tests: set[str] = field(default_factory=set)
    programmes: set[str] = field(default_factory=set)
    yearly: bool = False  # the control at which the once-a-year items are done


def add_monitoring(record: PatientRecord) -> None:
    visits = _schedule(record)
    _remove_what_was_not_done(record, visits)
    last_hba1c = max((visit.day for visit in visits if "hba1c" in visit.tests), default=None)
    for visit in visits:
        _take(record, visit, last_hba1c)


def _programmes(record: PatientRecord) -> dict[str, date]:
    """Programme -> the day it started (not before the history)."""
    started: dict[str, date] = {}
    for name in model.LAB_PROGRAMMES:
        since = record.states.get(name)
        if name == "methotrexate":
            since = record.started(METHOTREXATE)
        elif name == "raas_or_loop":
            since = record.started("C09", "C03C")
        if since is not None:
            started[name] = max(since, record.history_start)
    return started


def _schedule(record: PatientRecord) -> list[Visit]:
    rng = record.rng
    anchor = shift_months(record.history_start, -12) + timedelta(days=rng.randrange(365))
    by_offset: dict[int, Visit] = {}
    for name, since in _programmes(record).items():
        months, every, alternate = model.LAB_PROGRAMMES[name]
        if name == "t2d" and "hba1c_poor" in record.flags:
            months = model.HBA1C_POOR_CONTROL_MONTHS
        for number, offset in enumerate(range(0, (model.HISTORY_YEARS + 2) * 12, months)):
            nominal = shift_months(anchor, offset)
            if nominal < since or nominal > record.last_day:
                continue
            visit = by_offset.setdefault(offset, Visit(nominal))
            visit.tests.update(every)
            visit.programmes.add(name)
            if number % 2 == 0 or months >= 12:
                visit.tests.update(alternate)
                visit.yearly = True
    visits = []
    for visit in by_offset.values():
        jittered = visit.day + timedelta(days=rng.randint(-VISIT_JITTER_DAYS, VISIT_JITTER_DAYS))
        visit.day = record.weekday(clip_day(record, jittered))
        visits.append(visit)
    # The diagnosis itself: an HbA1c >= 48 for diabetes, a spirometry (at a consultation) for COPD.
    if record.has("t2d") and record.states["t2d"] >= record.history_start:
        visits.append(Visit(record.states["t2d"], set(DIAGNOSTIC_TESTS)))
    if record.has("copd") and record.states["copd"] >= record.history_start:
        visits.append(Visit(record.states["copd"], programmes={"copd"}, yearly=True))
    if not visits and record.age >= 18:
        visits += _health_checks(record)
    return sorted(visits, key=lambda visit: visit.day)


def clip_day(record: PatientRecord, day: date) -> date:
    return min(max(day, record.history_start), record.last_day)


def _health_checks(record: PatientRecord) -> list[Visit]:
    rng = record.rng
    count = poisson(rng, model.HEALTH_CHECK_RATE * years_between(record.history_start, record.last_day))
    visits = []
    for _ in range(count):
        tests = set(model.HEALTH_CHECK_TESTS)
        if record.age >= 40 and chance(rng, 0.5):
            tests.add("hba1c")
        visits.append(Visit(record.weekday(random_day(rng, record.history_start, record.last_day)), tests))
    return visits


def _remove_what_was_not_done(record: PatientRecord, visits: list[Visit]) -> None:
    rng = record.rng
    if "lost_to_follow_up" in record.flags:
        cutoff = shift_months(record.as_of, -rng.uniform(*LOST_MONTHS))
        visits[:] = [visit for visit in visits if visit.day < cutoff]
    elif renal_monitoring_eligible(record) and chance(rng, model.GAPS.renal_monitoring_75):
        record.flags.add("no_renal_monitoring")
        cutoff = shift_months(record.as_of, -rng.uniform(*RENAL_GAP_MONTHS))
        for visit in visits:
            if visit.day >= cutoff:
                visit.tests -= RENAL_TESTS
        visits[:] = [visit for visit in visits if visit.tests or visit.programmes - {"raas_or_loop"}]
    gaps = model.NEW_GAPS
    if record.has("ckd") and chance(rng, gaps.ckd_no_uacr_12m):
        record.flags.add("ckd_no_uacr")
        cutoff = shift_months(record.as_of, -rng.uniform(*UACR_GAP_MONTHS))
        for visit in visits:
            if visit.day >= cutoff:
                visit.tests.discard("uacr")
    if record.on(METHOTREXATE) and chance(rng, gaps.methotrexate_no_blood_tests_3m):
        record.flags.add("methotrexate_unmonitored")
        cutoff = shift_months(record.as_of, -rng.uniform(*METHOTREXATE_GAP_MONTHS))
        for visit in visits:
            if visit.day >= cutoff:
                visit.tests -= METHOTREXATE_TESTS
        visits[:] = [visit for visit in visits if visit.tests or visit.programmes - {"methotrexate"}]


def renal_monitoring_eligible(record: PatientRecord) -> bool:
    """Aged 75+ and on an ACE inhibitor, ARB or loop diuretic first prescribed >= 15 months ago."""
    if record.age < 75 or not record.on(*RENAL_DRUGS):
        return False
    first = min(p.start for p in record.prescriptions if p.drug.atc.startswith(RENAL_DRUGS))
    return first <= shift_months(record.as_of, -LONG_TERM_MONTHS)


def _take(record: PatientRecord, visit: Visit, last_hba1c: date | None) -> None:
    rng = record.rng
    drawn = at_minutes(visit.day, 450 + rng.randrange(210))
    if visit.tests:
        _lab_results(record, visit, drawn, last_hba1c)
    controls = [name for name in CONTROL_PROGRAMMES if name in visit.programmes]
    if not controls:
        return
    later = record.weekday(visit.day + timedelta(days=rng.randrange(3, 11)), visit.day)
    day = later if later <= record.last_day else visit.day
    # CKD has no verified ICPC-2 code (U99 is a catch-all), so a CKD-only control goes without a reason.
    coded = [code for name in controls if (code := gp_code(record, name)) is not None]
    when = gp_contact(record, day, "gp_consultation", coded[0] if coded else None)
    if when <= drawn:
        return  # no free slot after the blood test that day: measured at the next control
    programmes = visit.programmes
    if programmes & BLOOD_PRESSURE_PROGRAMMES:
        record.blood_pressures.append(blood_pressure(record, when))
    if programmes & WEIGHT_PROGRAMMES and visit.yearly:
        _weight_and_bmi(record, when)
    if programmes & SMOKING_PROGRAMMES and visit.yearly and record.smoking is not None:
        record.smoking_records.append(SmokingStatus(when, record.smoking))
    if "copd" in programmes and visit.yearly and "no_spirometry" not in record.flags:
        _spirometry(record, when)
    if "copd" in programmes and visit.yearly and "copd_no_scores" not in record.flags:
        _copd_scores(record, when)


def add_incidental_blood_pressure(record: PatientRecord) -> None:
    """Blood pressure taken at some ordinary consultations of adults."""
    if record.age < 18:
        return
    measured = {bp.when for bp in record.blood_pressures}
    for contact in record.contacts:
        if (
            contact.kind == "gp_consultation"
            and contact.start not in measured
            and chance(record.rng, model.BLOOD_PRESSURE_AT_CONSULTATION)
        ):
            record.blood_pressures.append(blood_pressure(record, contact.start))


def add_home_blood_pressure(record: PatientRecord) -> None:
    """Some hypertensives measure at home for a few mornings (telemedicine, MedCom codes), about yearly."""
    if not record.has("hypertension") or not chance(record.rng, model.HOME_BP_HYPERTENSION):
        return
    rng = record.rng
    since = max(record.history_start, record.states["hypertension"])
    for _ in range(poisson(rng, model.HOME_BP_SERIES_PER_YEAR * years_between(since, record.last_day))):
        first = random_day(rng, since, record.last_day)
        for offset in range(HOME_BP_READINGS):
            day = first + timedelta(days=offset)
            if day > record.last_day:
                break
            reading = blood_pressure(record, at_minutes(day, 420 + rng.randrange(90)))
            reading.systolic = max(reading.diastolic + 15, reading.systolic - 5)  # lower at home
            reading.home = True
            record.blood_pressures.append(reading)


# --- values ----------------------------------------------------------------------------------------------


def _on_at(record: PatientRecord, day: date, *prefixes: str) -> bool:
    return any(
        p.drug.atc.startswith(prefixes) and p.start <= day and (p.end is None or p.end >= day)
        for p in record.prescriptions
    )


def _years_before(record: PatientRecord, day: date) -> float:
    return (record.as_of - day).days / DAYS_PER_YEAR


def _age_at(record: PatientRecord, day: date) -> float:
    return (day - record.person.birth_date).days / DAYS_PER_YEAR


def _lab_results(record: PatientRecord, visit: Visit, drawn: datetime, last_hba1c: date | None) -> None:
    rng, physio, day = record.rng, record.physio, visit.day
    values: dict[str, float] = {}
    tests = visit.tests
    if "hba1c" in tests:
        values["hba1c"] = _hba1c(record, day, last_hba1c)
    if tests & {"creatinine", "egfr"}:
        egfr = clip(
            physio.egfr_now + physio.egfr_decline * _years_before(record, day) + rng.gauss(0, 3), 6, 130
        )
        creatinine = round(creatinine_for(egfr, _age_at(record, day), record.person.male))
        values["creatinine"] = creatinine
        values["egfr"] = round(egfr_for(creatinine, _age_at(record, day), record.person.male))
    if "ldl" in tests:
        ldl = physio.ldl_untreated * (0.55 if _on_at(record, day, *STATIN_ATC) else 1)
        ldl *= 0.8 if _on_at(record, day, *EZETIMIBE_ATC) else 1
        values["ldl"] = round(max(0.5, ldl * rng.gauss(1, 0.08)), 1)
    if "uacr" in tests:
        values["uacr"] = max(1, round(physio.uacr_level * rng.lognormvariate(0, 0.3)))
    if "potassium" in tests:
        values["potassium"] = round(clip(_potassium(record, day) + rng.gauss(0, 0.25), 2.8, 6.5), 1)
    if "sodium" in tests:
        sodium = physio.sodium - 1.5 * _on_at(record, day, *THIAZIDE_ATC) - 1.0 * _on_at(record, day, "N06AB")
        sodium -= 1.0 if record.age >= 80 else 0
        values["sodium"] = round(clip(sodium + rng.gauss(0, 1.5), 124, 150))
    if "alat" in tests:
        alat = physio.alat * rng.lognormvariate(0, 0.2) + (8 if _on_at(record, day, METHOTREXATE) else 0)
        values["alat"] = round(clip(alat, 6, 300))
    if "haemoglobin" in tests:
        anaemia = 0.6 if physio.egfr_now < 45 else 0
        values["haemoglobin"] = round(clip(physio.haemoglobin - anaemia + rng.gauss(0, 0.25), 5, 12), 1)
    for key in sorted(values):
        record.results.append(Result(MEASURES[key], drawn, values[key]))


def _hba1c(record: PatientRecord, day: date, last: date | None) -> float:
    rng, physio = record.rng, record.physio
    if not record.has("t2d"):
        return round(clip(rng.gauss(34 + 0.06 * record.age, 2.5), 28, 46))
    level = physio.hba1c_level
    since = record.states["t2d"]
    if since >= record.history_start:
        level += (physio.hba1c_at_diagnosis - level) * math.exp(-(day - since).days / DAYS_PER_YEAR / 0.35)
    if physio.hba1c_poor and last is not None:
        peak = physio.hba1c_peak
        rise = clip(1 - (last - day).days / DAYS_PER_YEAR / POOR_CONTROL_RISE_YEARS, 0, 1)
        level += (peak - level) * rise
        value = level + rng.gauss(0, 2.5)
        return round(max(71, value) if day == last else clip(value, 38, 120))
    return round(clip(level + rng.gauss(0, 2.5), 38, 69 if day != since else 120))


def _potassium(record: PatientRecord, day: date) -> float:
    potassium = record.physio.potassium
    potassium += 0.15 if _on_at(record, day, "C09") else 0
    potassium += 0.25 if _on_at(record, day, "C03DA") else 0
    potassium += 0.2 if record.physio.egfr_now < 45 else 0
    potassium -= 0.2 if _on_at(record, day, "C03C") and not _on_at(record, day, "A12BA") else 0
    potassium -= 0.15 if _on_at(record, day, *THIAZIDE_ATC) else 0
    return potassium


def _ckd_epi_constants(age: float, male: bool) -> tuple[float, float, float]:
    kappa, alpha = (0.9, -0.302) if male else (0.7, -0.241)
    return kappa, alpha, 142 * 0.9938**age * (1.0 if male else 1.012)


def egfr_for(creatinine_umol: float, age: float, male: bool) -> float:
    """CKD-EPI 2021 (race-free) eGFR in mL/min/1.73 m2 from plasma creatinine in µmol/L."""
    kappa, alpha, scale = _ckd_epi_constants(age, male)
    ratio = creatinine_umol / 88.42 / kappa
    return float(scale * min(ratio, 1.0) ** alpha * max(ratio, 1.0) ** -1.2)


def creatinine_for(egfr: float, age: float, male: bool) -> float:
    """The creatinine (µmol/L) that gives ``egfr`` by CKD-EPI 2021: the inverse of ``egfr_for``."""
    kappa, alpha, scale = _ckd_epi_constants(age, male)
    exponent = -1 / 1.2 if egfr <= scale else 1 / alpha
    return float(kappa * (egfr / scale) ** exponent * 88.42)


def blood_pressure(record: PatientRecord, when: datetime) -> BloodPressure:
    rng, physio = record.rng, record.physio
    systolic = physio.systolic
    if record.has("hypertension") and not _on_at(record, when.date(), "C09", "C08", "C03", "C07"):
        systolic += 12  # before treatment
    systolic = round(clip(systolic + rng.gauss(0, 8), 85, 220))
    diastolic = round(clip(physio.diastolic + rng.gauss(0, 5), 45, systolic - 20))
    return BloodPressure(when, systolic, diastolic)


def _weight_and_bmi(record: PatientRecord, when: datetime) -> None:
    physio = record.physio
    weight = round(physio.bmi * physio.height_m**2 + record.rng.gauss(0, 1.2), 1)
    record.results.append(Result(MEASURES["weight"], when, weight))
    record.results.append(Result(MEASURES["bmi"], when, round(weight / physio.height_m**2, 1)))


def _spirometry(record: PatientRecord, when: datetime) -> None:
    rng, physio, male = record.rng, record.physio, record.person.male
    age, height = _age_at(record, when.date()), physio.height_m
    predicted = 4.3 * height - 0.029 * age - 2.49 if male else 3.95 * height - 0.025 * age - 2.6
    fev1 = clip(predicted * physio.fev1_fraction + rng.gauss(0, 0.05), 0.4, 5.0)
    record.results.append(
        Result(MEASURES["fev1_fvc"], when, round(clip(physio.fev1_fvc + rng.gauss(0, 2.5), 30, 69)))
    )
    record.results.append(Result(MEASURES["fev1"], when, round(fev1, 2)))


def _copd_scores(record: PatientRecord, when: datetime) -> None:
    """MRC dyspnoea (1-5) and CAT (0-40) at the yearly COPD control, worse with a lower FEV1."""
    rng, severity = record.rng, 0.85 - record.physio.fev1_fraction  # 0 (mild) to 0.5 (severe)
    mrc = round(clip(1.5 + 6 * severity + rng.gauss(0, 0.7), 1, 5))
    cat = round(clip(8 + 40 * severity + rng.gauss(0, 4), 0, 40))
    record.results.append(Result(SCORES["mrc"], when, mrc))
    record.results.append(Result(SCORES["cat"], when, cat))
