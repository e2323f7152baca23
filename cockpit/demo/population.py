"""The practice (its GPs) and the people on its list: age, sex, name, CPR, address, GP."""

import hashlib
from datetime import date, timedelta
from itertools import accumulate
from random import Random
from typing import Final

from cockpit.demo import model, names
from cockpit.demo.cpr import synthetic_cpr
from cockpit.demo.dates import age_on
from cockpit.demo.record import Gp, Person, Practice

_AGE_CUMULATIVE: Final = tuple(accumulate(weight for _, _, weight in model.AGE_PYRAMID))
_MUNICIPALITY_CUMULATIVE: Final = tuple(accumulate(share for _, share, _, _ in model.MUNICIPALITIES))
EARLIEST_BIRTH: Final = date(1900, 1, 1)


def stream(seed: int, *parts: object) -> Random:
    """An independent random stream for one part of the practice (a patient, the GP list...).

    Each patient has their own stream, so patient 17 is the same person whatever the list size.
    """
    key = ":".join(str(part) for part in (seed, *parts)).encode()
    return Random(int.from_bytes(hashlib.blake2b(key, digest_size=16).digest(), "big"))


def id_prefix(seed: int) -> str:
    """A short tag from the seed that every resource id starts with, so two demo practices can share a
    store without their ids colliding."""
    return hashlib.blake2b(f"patient-cockpit-demo:{seed}".encode(), digest_size=4).hexdigest()


def build_practice(seed: int, patients: int) -> Practice:
    rng = stream(seed, "practice")
    prefix = id_prefix(seed)
    gps = []
    ydernumre: set[str] = set()
    for number in range(1, model.gp_count(patients) + 1):
        male = rng.random() < 0.45
        ydernummer = f"{rng.randrange(100000, 1000000)}"
        while ydernummer in ydernumre:
            ydernummer = f"{rng.randrange(100000, 1000000)}"
        ydernumre.add(ydernummer)
        given = names.given_names(rng, male, 1975)[0]
        gps.append(Gp(f"{prefix}-gp{number}", given, names.family_name(rng), ydernummer))
    street = names.street_line(rng).split(",")[0]
    return Practice(
        id=f"{prefix}-practice",
        name=f"Lægehuset {street.rstrip('0123456789 ')}",
        street=street,
        postal_code="8000",
        city="Aarhus C",
        municipality="Aarhus",
        gps=tuple(gps),
    )


def draw_person(seed: int, index: int, practice: Practice, as_of: date, issued_cprs: set[str]) -> Person:
    """Patient number ``index``. ``issued_cprs`` keeps CPR numbers unique within the practice."""
    rng = stream(seed, "person", index)
    low, high, _ = model.AGE_PYRAMID[
        rng.choices(range(len(model.AGE_PYRAMID)), cum_weights=_AGE_CUMULATIVE)[0]
    ]
    birth_date = _birth_date(rng, as_of, low, high)
    age = age_on(birth_date, as_of)
    male = rng.random() < model.male_share(age)
    cpr = synthetic_cpr(birth_date, male, rng)
    while cpr in issued_cprs:
        cpr = synthetic_cpr(birth_date, male, rng)
    issued_cprs.add(cpr)
    municipality, _, districts, hospital = model.MUNICIPALITIES[
        rng.choices(range(len(model.MUNICIPALITIES)), cum_weights=_MUNICIPALITY_CUMULATIVE)[0]
    ]
    postal_code, city = rng.choice(districts)
    return Person(
        index=index,
        id=f"{id_prefix(seed)}-p{index:06d}",
        male=male,
        birth_date=birth_date,
        age=age,
        given=names.given_names(rng, male, birth_date.year),
        family=names.family_name(rng),
        cpr=cpr,
        street=names.street_line(rng),
        postal_code=postal_code,
        city=city,
        municipality=municipality,
        hospital=hospital,
        gp=practice.gps[rng.randrange(len(practice.gps))],
    )


def _birth_date(rng: Random, as_of: date, low_age: int, high_age: int) -> date:
    """A birth date giving an age in [low_age, high_age] on ``as_of`` (never before 1900 or after as_of)."""
    latest = _years_back(as_of, low_age)
    earliest = _years_back(as_of, high_age + 1) + timedelta(days=1)
    earliest = max(earliest, EARLIEST_BIRTH)
    latest = min(latest, as_of - timedelta(days=1))
    span = (latest - earliest).days
    return earliest + timedelta(days=rng.randrange(span + 1)) if span > 0 else earliest


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
