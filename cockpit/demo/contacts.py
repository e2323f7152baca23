"""Contacts: GP consultations, phone and e-mail consultations, home visits, and hospital contacts
(outpatient visits, planned and acute admissions, emergency-department visits).

Chronic-care controls and acute episodes add their own GP contacts first (labs.py, episodes.py);
``add_contacts`` then fills up to the patient's expected number of GP contacts and adds hospital contacts.
"""

from datetime import date, datetime, timedelta
from typing import Final

from cockpit.demo import model
from cockpit.demo.dates import at_minutes, random_day, shift_months, shift_years, years_between
from cockpit.demo.diagnoses import gp_code
from cockpit.demo.draws import chance, clip, pick, poisson
from cockpit.demo.record import Contact, Diagnosis, PatientRecord
from cockpit.demo.vocabulary import OPIOID_ATC, SKS_D, Code

GP_KINDS: Final = frozenset({"gp_consultation", "phone", "email", "home_visit"})
CHRONIC_STATES: Final = ("t2d", "hypertension", "copd", "asthma", "ihd", "heart_failure", "af", "ckd",
                         "depression", "rheumatoid", "dementia")  # fmt: skip
CARDIO_RESPIRATORY: Final = ("copd", "heart_failure", "ihd", "af", "ckd")
# Acute admissions: reason by state, else one of the general reasons (weights by age 18-74 / 75+).
ADMISSION_BY_STATE: Final = {"copd": "DJ441", "heart_failure": "DI509", "af": "DI489", "ihd": "DI209"}
GENERAL_ADMISSION_REASONS: Final = (("DJ189", 3, 5), ("DN390", 1, 3), ("DE86", 1, 2), ("DR55", 1, 2),
                                    ("DS720", 0, 2), ("DR074", 2, 1), ("DR104", 2, 1))  # fmt: skip
# Hospital codes that are an episode of their own: an acute admission for them adds a resolved Condition.
ACUTE_HOSPITAL_DIAGNOSES: Final = frozenset({"DJ441", "DJ189", "DN390", "DE86", "DR55", "DS720"})
PLANNED_REASONS: Final = ("DM169", "DM179", "DK802")
EMERGENCY_REASONS: Final = (("DS934", 3), ("DS610", 3), ("DS525", 2), ("DR074", 2), ("DR104", 2))
OUTPATIENT_REASON: Final = {
    "insulin": "DE119",
    "heart_failure": "DI509",
    "af": "DI489",
    "copd_hospital": "DJ449",
    "ckd_stage_4": "DN184",
    "rheumatoid": "DM069",
}
OPIOID_LONG_TERM_MONTHS: Final = 4  # "active for 3 months or more", with a month to spare
OPIOID_REVIEW_MONTHS: Final = 6
_UNTIL_HOUR_2: Final = 120
_HOUR_3: Final = 180


def gp_contact(record: PatientRecord, day: date, kind: str, reason: Code | None = None) -> datetime:
    """Add a GP contact on ``day`` at a time that suits its kind; returns when it started."""
    rng = record.rng
    if kind == "gp_consultation":
        start, minutes = 480 + 15 * rng.randrange(30), 15
    elif kind == "phone":
        start, minutes = 480 + rng.randrange(180), 5
    elif kind == "email":
        start, minutes = 420 + rng.randrange(900), 3
    else:
        start, minutes = 660 + rng.randrange(270), 40
    begin = at_minutes(day, start)
    record.contacts.append(Contact(kind, begin, begin + timedelta(minutes=minutes), None, reason))
    return begin


def add_contacts(record: PatientRecord) -> None:
    _other_gp_contacts(record)
    _home_visits(record)
    _admissions(record)
    _planned_admissions(record)
    _emergency_visits(record)
    _outpatient_visits(record)
    record.contacts.sort(key=lambda contact: contact.start)


def _window_years(record: PatientRecord) -> float:
    return max(0.0, years_between(record.history_start, record.last_day))


def _rate(table: tuple[tuple[int, int, float], ...], age: int) -> float:
    return next(rate for low, high, rate in table if low <= age <= high)


def _other_gp_contacts(record: PatientRecord) -> None:
    rng, age = record.rng, record.age
    chronic = sum(record.has(state) for state in CHRONIC_STATES)
    per_year = _rate(model.GP_CONTACT_RATE, age) * (
        model.FEMALE_CONTACT_FACTOR if not record.person.male and 18 <= age < 65 else 1.0
    )
    per_year += model.CHRONIC_CONTACT_EXTRA * chronic
    already = sum(contact.kind in GP_KINDS for contact in record.contacts)
    count = poisson(rng, max(0.0, per_year * _window_years(record) - already))
    email_factor = model.ELDERLY_EMAIL_FACTOR if age >= 80 else 1.0
    kinds = [
        (kind, share * (email_factor if kind == "email" else 1.0))
        for kind, share in model.CONTACT_KIND_SHARES
    ]
    known = [code for state in record.states if (code := gp_code(record, state)) is not None]
    for _ in range(count):
        day = record.weekday(random_day(rng, record.history_start, record.last_day))
        reason = rng.choice(known) if known and chance(rng, 0.4) else None
        gp_contact(record, day, pick(rng, kinds), reason)


def _home_visits(record: PatientRecord) -> None:
    if not (record.has("home_care") or record.age >= 85):
        return
    rng = record.rng
    since = max(record.history_start, record.states.get("home_care", record.history_start))
    for _ in range(poisson(rng, model.HOME_VISITS_PER_YEAR * years_between(since, record.last_day))):
        gp_contact(record, record.weekday(random_day(rng, since, record.last_day), since), "home_visit")


def _hospital(record: PatientRecord) -> str:
    return record.person.hospital if chance(record.rng, 0.7) else model.UNIVERSITY_HOSPITAL


def _admissions(record: PatientRecord) -> None:
    """Acute admissions over the history; at most 2 in the last 12 months unless a frequent admitter."""
    rng, age = record.rng, record.age
    conditions = sum(record.has(state) for state in CARDIO_RESPIRATORY)
    rate = _rate(model.ACUTE_ADMISSION_RATE, age) * (1 + model.ACUTE_PER_CONDITION * conditions)
    year_ago = shift_years(record.as_of, -1)
    natural = poisson(rng, rate * _window_years(record))
    days = sorted(random_day(rng, record.history_start, record.last_day) for _ in range(natural))
    frequent = record.has("frequent_admitter")
    if frequent:
        low, high = model.FREQUENT_ADMISSIONS
        count = rng.randint(low, high)
        slot = (record.last_day - year_ago).days // count
        for index in range(count):
            # Short stays inside their own slot, so the admissions never overlap.
            day = year_ago + timedelta(days=slot * index + rng.randrange(slot - 25))
            _admit(record, day, _admission_reason(record), _hospital(record), acute=True, max_stay=10)
    if record.ami_date is not None and record.ami_date >= record.history_start:
        _admit(record, record.ami_date, SKS_D["DI219"], model.UNIVERSITY_HOSPITAL, acute=True)
    for day in days:
        if not _room_for_acute(record, day, year_ago, frequent):
            continue
        stay = _admit(record, day, _admission_reason(record), _hospital(record), acute=True)
        if stay is not None and chance(rng, model.READMISSION_30D):
            again = stay.end.date() + timedelta(days=rng.randint(2, 30))
            if again <= record.last_day and _room_for_acute(record, again, year_ago, frequent):
                _admit(
                    record, again, _admission_reason(record), stay.provider or _hospital(record), acute=True
                )


def _room_for_acute(record: PatientRecord, day: date, year_ago: date, frequent: bool) -> bool:
    """Without the frequent-admitter state at most 2 acute admissions fall in the last 12 months."""
    if day < year_ago:
        return True
    recent = sum(
        c.kind == "inpatient" and c.emergency is True and c.start.date() >= year_ago for c in record.contacts
    )
    return not frequent and recent < 2


def _admission_reason(record: PatientRecord) -> Code:
    rng = record.rng
    own = [code for state, code in ADMISSION_BY_STATE.items() if record.has(state)]
    if own and chance(rng, 0.6):
        return SKS_D[rng.choice(own)]
    elderly = record.age >= 75
    return SKS_D[
        pick(rng, [(code, old if elderly else young) for code, young, old in GENERAL_ADMISSION_REASONS])
    ]


def _admit(
    record: PatientRecord, day: date, reason: Code, hospital: str, *, acute: bool, max_stay: int = 45
) -> Contact | None:
    """An admission starting on ``day`` unless it would overlap another or end after the last day."""
    rng, age = record.rng, record.age
    median, sigma = model.ACUTE_LENGTH_OF_STAY if acute else model.PLANNED_LENGTH_OF_STAY
    median *= 1 + max(0, age - 65) / 40
    stay = round(clip(rng.lognormvariate(0, sigma) * median, 1, max_stay))
    start_minutes = rng.randrange(1440) if acute else 420 + rng.randrange(120)
    if _UNTIL_HOUR_2 <= start_minutes < _HOUR_3:
        start_minutes += 60  # no admissions in the hour that summer time skips
    start = at_minutes(day, start_minutes)
    end = at_minutes(day + timedelta(days=stay), 600 + rng.randrange(300))
    if end.date() > record.last_day or any(
        contact.kind == "inpatient" and contact.start <= end and start <= contact.end
        for contact in record.contacts
    ):
        return None
    if acute and start_minutes >= 60 and chance(rng, model.ADMITTED_THROUGH_EMERGENCY):
        # Seen in the emergency department first, admitted from there the same day.
        arrived = max(0, start_minutes - 60 - rng.randrange(240))
        if _UNTIL_HOUR_2 <= arrived < _HOUR_3:
            arrived -= 60
        record.contacts.append(
            Contact("emergency", at_minutes(day, arrived), start, hospital, reason, emergency=True)
        )
    admission = Contact("inpatient", start, end, hospital, reason, emergency=acute)
    record.contacts.append(admission)
    if acute and reason.code in ACUTE_HOSPITAL_DIAGNOSES:
        record.diagnoses.append(Diagnosis(reason, day, end.date()))
    return admission


def _planned_admissions(record: PatientRecord) -> None:
    if record.age < 50:
        return
    rng = record.rng
    for _ in range(poisson(rng, model.PLANNED_ADMISSION_RATE * _window_years(record))):
        day = record.weekday(random_day(rng, record.history_start, record.last_day))
        reason = SKS_D[rng.choice(PLANNED_REASONS)]
        hospital = model.UNIVERSITY_HOSPITAL if chance(rng, 0.3) else record.person.hospital
        _admit(record, day, reason, hospital, acute=False)


def _emergency_visits(record: PatientRecord) -> None:
    rng = record.rng
    for _ in range(poisson(rng, _rate(model.EMERGENCY_VISIT_RATE, record.age) * _window_years(record))):
        day = random_day(rng, record.history_start, record.last_day)
        minutes = 480 + rng.randrange(900)
        start = at_minutes(day, minutes)
        end = min(start + timedelta(minutes=rng.randrange(90, 360)), at_minutes(record.last_day, 1439))
        record.contacts.append(
            Contact(
                "emergency",
                start,
                end,
                _hospital(record),
                SKS_D[pick(rng, EMERGENCY_REASONS)],
                emergency=True,
            )
        )


def _outpatient_visits(record: PatientRecord) -> None:
    rng = record.rng
    followed = {
        "insulin": "insulin" in record.flags,
        "heart_failure": record.has("heart_failure"),
        "af": "hospital_af" in record.flags,
        "copd_hospital": "hospital_copd" in record.flags,
        "ckd_stage_4": "ckd_stage_4" in record.flags,
        "rheumatoid": record.has("rheumatoid"),
        "other": record.age >= 18,
    }
    for reason, followed_here in followed.items():
        if not followed_here:
            continue
        years = _window_years(record)
        for _ in range(poisson(rng, model.OUTPATIENT_RATE[reason] * years)):
            day = record.weekday(random_day(rng, record.history_start, record.last_day))
            start = at_minutes(day, 480 + 15 * rng.randrange(28))
            code = OUTPATIENT_REASON.get(reason)
            hospital = model.UNIVERSITY_HOSPITAL if reason == "rheumatoid" else _hospital(record)
            end = start + timedelta(minutes=rng.choice((20, 30, 45, 60)))
            record.contacts.append(Contact("outpatient", start, end, hospital, SKS_D[code] if code else None))


def opioid_without_review(record: PatientRecord) -> None:
    """The documented gap (model.NEW_GAPS): a long-term opioid user (an opioid active for more than
    OPIOID_LONG_TERM_MONTHS) not seen by the GP in the last OPIOID_REVIEW_MONTHS: no GP contact, so no
    measurement taken at one."""
    started = record.started(*OPIOID_ATC)
    if started is None or started > shift_months(record.as_of, -OPIOID_LONG_TERM_MONTHS):
        return
    if not chance(record.rng, model.NEW_GAPS.opioid_no_review):
        return
    record.flags.add("opioid_no_review")
    cutoff = at_minutes(shift_months(record.as_of, -OPIOID_REVIEW_MONTHS), 0)
    dropped = {c.start for c in record.contacts if c.kind in GP_KINDS and c.start >= cutoff}
    record.contacts[:] = [c for c in record.contacts if c.start not in dropped or c.kind not in GP_KINDS]
    record.blood_pressures[:] = [bp for bp in record.blood_pressures if bp.when not in dropped]
    record.smoking_records[:] = [s for s in record.smoking_records if s.when not in dropped]
    record.results[:] = [r for r in record.results if r.when not in dropped]
