"""Municipal home care for frail patients (FHIR ServiceRequest, see docs/fhir-mapping.md)."""

from datetime import timedelta

from cockpit.demo import model
from cockpit.demo.dates import random_day
from cockpit.demo.draws import chance
from cockpit.demo.record import HomeCare, PatientRecord
from cockpit.demo.vocabulary import HOME_CARE_SERVICES

PAST_NURSING_AGE = 70


def add_home_care(record: PatientRecord) -> None:
    rng = record.rng
    if record.has("home_care"):
        since = record.states["home_care"]
        chosen = [name for name, (share, _) in model.HOME_CARE_SERVICES.items() if chance(rng, share)]
        for position, name in enumerate(chosen or ["practical-help"]):
            # The first service started the care; others were added as needs grew.
            start = since if position == 0 else random_day(rng, since, record.last_day)
            record.home_care.append(HomeCare(HOME_CARE_SERVICES[name], start, None, _hours(record, name)))
    if record.age >= PAST_NURSING_AGE and chance(rng, model.PAST_HOME_NURSING):
        start = random_day(rng, record.history_start, record.last_day - timedelta(days=30))
        end = start + timedelta(days=rng.randrange(14, 85))
        if end <= record.last_day:
            record.home_care.append(
                HomeCare(HOME_CARE_SERVICES["home-nursing"], start, end, _hours(record, "home-nursing"))
            )


def _hours(record: PatientRecord, service: str) -> float | None:
    hours = model.HOME_CARE_SERVICES[service][1]
    if hours is None:
        return None
    low, high = hours
    return round(record.rng.uniform(low, high) * 2) / 2 or 0.5
