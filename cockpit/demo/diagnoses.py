"""The Conditions for a patient's chronic states: ICPC-2 from the practice, SKS from the hospital."""

from datetime import date, timedelta
from typing import Final

from cockpit.demo.draws import chance
from cockpit.demo.record import Diagnosis, PatientRecord
from cockpit.demo.vocabulary import ICPC2, SKS_D, Code

# state -> (ICPC-2 code or None, SKS code written when the hospital knows the state, or None)
CODES: Final = {
    "t2d": ("T90", "DE119"),
    "hypertension": ("K86", "DI10"),
    "copd": ("R95", "DJ449"),
    "asthma": ("R96", None),
    "heart_failure": ("K77", "DI509"),
    "af": ("K78", "DI489"),
    "lipid": ("T93", None),
    "depression": ("P76", None),
    "rheumatoid": ("L88", "DM069"),
    "dementia": ("P70", None),
}
IHD_HOSPITAL: Final = {"K74": "DI209", "K76": "DI259"}
AMI_GP_DAYS: Final = 28  # K75 is an acute code: the GP keeps K76 once the infarction is over
AMI_HOSPITAL_DAYS: Final = 5


def record_diagnoses(record: PatientRecord) -> None:
    for state, since in record.states.items():
        if state in CODES:
            gp, hospital = CODES[state]
            _add(record, ICPC2[gp], since)
            if hospital and (f"hospital_{state}" in record.flags or _always_hospital(record, state)):
                _add(record, SKS_D[hospital], since)
        elif state == "ihd":
            _ischaemic_heart_disease(record, since)
        elif state == "ckd":
            _add(record, SKS_D["DN184" if "ckd_stage_4" in record.flags else "DN183"], since)
        elif state == "osteoarthritis":
            _add(record, ICPC2["L90" if chance(record.rng, 0.5) else "L91"], since)
    if "hypertension_complicated" in record.flags:
        for diagnosis in record.diagnoses:
            if diagnosis.code.code == "K86":
                diagnosis.code = ICPC2["K87"]


def _always_hospital(record: PatientRecord, state: str) -> bool:
    """Insulin users are followed in a hospital diabetes clinic; RA always in rheumatology."""
    return (state == "t2d" and "insulin" in record.flags) or state == "rheumatoid"


def _ischaemic_heart_disease(record: PatientRecord, since: date) -> None:
    kind = next(flag for flag in record.flags if flag.startswith("ihd_"))[len("ihd_") :]
    if kind == "K75":
        _add(record, ICPC2["K75"], since, since + timedelta(days=AMI_GP_DAYS))
        _add(record, ICPC2["K76"], since)
        _add(record, SKS_D["DI219"], since, since + timedelta(days=AMI_HOSPITAL_DAYS))
        return
    _add(record, ICPC2[kind], since)
    if "hospital_ihd" in record.flags:
        _add(record, SKS_D[IHD_HOSPITAL[kind]], since)


def _add(record: PatientRecord, code: Code, onset: date, abatement: date | None = None) -> None:
    """A Condition; one that would end after the last day is still active (no abatement yet)."""
    if abatement is not None and abatement > record.last_day:
        abatement = None
    record.diagnoses.append(Diagnosis(code, onset, abatement))
