"""One patient from start to finish: who they are, then each clinical step in an order that lets later
steps see what earlier ones decided (treatment sees the diagnoses, monitoring sees the drugs...)."""

from datetime import date, timedelta
from random import Random

from cockpit.demo import model
from cockpit.demo.contacts import add_contacts, opioid_without_review
from cockpit.demo.dates import shift_years
from cockpit.demo.diagnoses import record_diagnoses
from cockpit.demo.draws import chance
from cockpit.demo.episodes import add_episodes
from cockpit.demo.homecare import add_home_care
from cockpit.demo.labs import add_home_blood_pressure, add_incidental_blood_pressure, add_monitoring
from cockpit.demo.population import draw_person, stream
from cockpit.demo.record import CodingStyle, PatientRecord, Practice
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
    add_home_blood_pressure(record)
    opioid_without_review(record)
    add_home_care(record)
    record.coding = coding_style(stream(seed, "coding", index))
    return record


def coding_style(rng: Random) -> CodingStyle:
    """How the patient's clinic system, lab and drug list send the data (model.CODING), from a stream of
    its own so that the coding never changes the clinical facts."""
    shares = model.CODING
    loinc = chance(rng, shares["vitals_loinc"])
    panel = chance(rng, shares["bp_panel_loinc"] if loinc else shares["bp_panel_danish"])
    spelling = chance(rng, shares["other_unit_spelling"])
    medcom = chance(rng, shares["medcom_spirometry"])
    draw = rng.random()
    drugs = (
        "atc_only"
        if draw < shares["drugs_atc_only"]
        else "reference"
        if draw < shares["drugs_atc_only"] + shares["drugs_by_reference"]
        else "concept"
    )
    return CodingStyle(
        vitals="loinc" if loinc else "danish",
        bp_panel=panel,
        other_unit_spelling=spelling,
        medcom_spirometry=medcom,
        drugs=drugs,
        fmk_without_start=chance(rng, shares["fmk_without_start"]),
    )
