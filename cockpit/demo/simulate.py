"""One patient from start to finish: who they are, then each clinical step in an order that lets later
steps see what earlier ones decided (treatment sees the diagnoses, monitoring sees the drugs...)."""

from datetime import date, timedelta

from cockpit.demo import model
from cockpit.demo.contacts import add_contacts
from cockpit.demo.dates import shift_years
from cockpit.demo.diagnoses import record_diagnoses
from cockpit.demo.episodes import add_episodes
from cockpit.demo.homecare import add_home_care
from cockpit.demo.labs import add_incidental_blood_pressure, add_monitoring
from cockpit.demo.population import draw_person, stream
from cockpit.demo.record import PatientRecord, Practice
from cockpit.demo.states import draw_states
from cockpit.demo.treatment import prescribe


def simulate_patient(
    seed: int, index: int, practice: Practice, as_of: date, issued_cprs: set[str]
) -> PatientRecord:
    person = draw_person(seed, index, practice, as_of, issued_cprs)
    last_day = as_of - timedelta(days=1)
    record = PatientRecord(
        person=person,
        rng=stream(seed, "clinical", index),
        as_of=as_of,
        last_day=last_day,
        history_start=max(shift_years(as_of, -model.HISTORY_YEARS), person.birth_date),
    )
    draw_states(record)
    prescribe(record)
    record_diagnoses(record)
    add_episodes(record)
    add_monitoring(record)
    add_contacts(record)
    add_incidental_blood_pressure(record)
    add_home_care(record)
    return record
