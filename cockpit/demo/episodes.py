"""Acute episodes seen in general practice: infections (mostly with an antibiotic course), urinary tract
infections (recurrent in some), COPD exacerbations, and the methotrexate + trimethoprim gap.

Each episode is a GP contact with the ICPC-2 code as reason, a resolved Condition and, when treated, a
short course (MedicationStatement with start and end).
"""

from datetime import date, timedelta
from typing import Final

from cockpit.demo import model
from cockpit.demo.contacts import gp_contact
from cockpit.demo.dates import random_day, shift_years, years_between
from cockpit.demo.draws import chance, pick, poisson
from cockpit.demo.record import Diagnosis, PatientRecord, Prescription
from cockpit.demo.vocabulary import DRUGS, ICPC2, METHOTREXATE, UTI_AVOID_WITH_METHOTREXATE

TRIMETHOPRIM: Final = "J01EA01"
PIVMECILLINAM: Final = "J01CA08"
MTX_GAP_WINDOW_DAYS: Final = 90


def add_episodes(record: PatientRecord) -> None:
    _infections(record)
    _urinary_tract_infections(record)
    _copd_exacerbations(record)
    _methotrexate_with_trimethoprim(record)


def _episode(record: PatientRecord, day: date, icpc: str, atc: str | None) -> None:
    rng = record.rng
    gp_contact(record, day, "gp_consultation" if chance(rng, 0.6) else "phone", ICPC2[icpc])
    healed = day + timedelta(days=rng.randrange(7, 15))
    record.diagnoses.append(Diagnosis(ICPC2[icpc], day, healed if healed <= record.last_day else None))
    if atc is not None:
        course(record, atc, day)


def course(record: PatientRecord, atc: str, day: date) -> None:
    """A short course from ``day``; one still running on the as-of date is active without an end."""
    drug = DRUGS[atc]
    end = day + timedelta(days=drug.course_days - 1)
    record.prescriptions.append(Prescription(drug, day, end if end <= record.last_day else None))


def _years(record: PatientRecord) -> float:
    return max(0.0, years_between(record.history_start, record.last_day))


def _infections(record: PatientRecord) -> None:
    rng, age = record.rng, record.age
    rate = next(rate for low, high, rate in model.INFECTION_RATE if low <= age <= high)
    kinds = [
        (icpc, child if age < 18 else adult) for icpc, (child, adult, _, _) in model.INFECTION_KINDS.items()
    ]
    for _ in range(poisson(rng, rate * _years(record))):
        icpc = pick(rng, kinds)
        _, _, treated, drugs = model.INFECTION_KINDS[icpc]
        day = record.weekday(random_day(rng, record.history_start, record.last_day))
        _episode(record, day, icpc, pick(rng, drugs) if chance(rng, treated) else None)


def _uti_drug(record: PatientRecord) -> str | None:
    rng = record.rng
    if not chance(rng, model.UTI_ANTIBIOTIC):
        return None
    atc = pick(rng, model.UTI_DRUGS)
    # A careful GP never gives trimethoprim or sulfamethizole with methotrexate; the documented gap adds
    # trimethoprim cases.
    return PIVMECILLINAM if atc in UTI_AVOID_WITH_METHOTREXATE and record.on(METHOTREXATE) else atc


def _urinary_tract_infections(record: PatientRecord) -> None:
    rng, age, male = record.rng, record.age, record.person.male
    if age < 18 or (male and age < 65):
        return
    rate = model.UTI_RATE["male_65" if male else "female_65" if age >= 65 else "female_adult"]
    days = [
        random_day(rng, record.history_start, record.last_day)
        for _ in range(poisson(rng, rate * _years(record)))
    ]
    year_ago = shift_years(record.as_of, -1)
    if record.has("recurrent_uti"):
        low, high = model.RECURRENT_UTI_EPISODES
        days += [random_day(rng, year_ago, record.last_day) for _ in range(rng.randint(low, high))]
    for day in sorted(days):
        _episode(record, record.weekday(day), "U71", _uti_drug(record))


def _copd_exacerbations(record: PatientRecord) -> None:
    if not record.has("copd"):
        return
    rng = record.rng
    since = max(record.history_start, record.states["copd"])
    for _ in range(poisson(rng, model.COPD_EXACERBATIONS_PER_YEAR * years_between(since, record.last_day))):
        day = record.weekday(random_day(rng, since, record.last_day), since)
        gp_contact(record, day, "gp_consultation", ICPC2["R95"])
        course(record, "H02AB06", day)
        if chance(rng, model.EXACERBATION_ANTIBIOTIC):
            course(record, "J01CA04" if chance(rng, 0.6) else "J01CR02", day)


def _methotrexate_with_trimethoprim(record: PatientRecord) -> None:
    if not record.on("L04AX03") or not chance(record.rng, model.GAPS.methotrexate_with_trimethoprim):
        return
    earliest = max(
        record.as_of - timedelta(days=MTX_GAP_WINDOW_DAYS - 1), record.started("L04AX03") or record.as_of
    )
    day = record.weekday(random_day(record.rng, earliest, record.last_day), earliest)
    _episode(record, day, "U71", TRIMETHOPRIM)
