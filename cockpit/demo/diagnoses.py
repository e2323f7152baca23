"""The Conditions for a patient's chronic states: ICPC-2 from the practice, SKS from the hospital."""

from datetime import date, timedelta
from typing import Final

from cockpit.demo.record import Diagnosis, PatientRecord
from cockpit.demo.vocabulary import ICPC2, SKS_D, Code

# The GP's ICPC-2 code per state (states with sub-types are decided in gp_code).
GP_CODES: Final = {
    "t2d": "T90",
    "copd": "R95",
    "asthma": "R96",
    "heart_failure": "K77",
    "af": "K78",
    "lipid": "T93",
    "depression": "P76",
    "rheumatoid": "L88",
    "dementia": "P70",
}
# The SKS code written when the hospital knows the state too (flag "hospital_<state>", see states.py).
HOSPITAL_CODES: Final = {
    "t2d": "DE119",
    "hypertension": "DI10",
    "copd": "DJ449",
    "heart_failure": "DI509",
    "af": "DI489",
    "rheumatoid": "DM069",
}
IHD_HOSPITAL: Final = {"K74": "DI209", "K76": "DI259"}
AMI_GP_DAYS: Final = 28  # K75 is an acute code: the GP keeps K76 once the infarction is over
AMI_HOSPITAL_DAYS: Final = 5


def gp_code(record: PatientRecord, state: str) -> Code | None:
    """The ICPC-2 code this patient's GP records for ``state`` (None: no GP code, e.g. for CKD, which has
    no specific ICPC-2 code; U99 is a catch-all)."""
    if state == "hypertension":
        return ICPC2["K87" if "hypertension_complicated" in record.flags else "K86"]
    if state == "ihd":
        return ICPC2["K74" if "ihd_K74" in record.flags else "K76"]
    if state == "osteoarthritis":
        return ICPC2["L90" if "knee_osteoarthritis" in record.flags else "L91"]
    code = GP_CODES.get(state)
    return ICPC2[code] if code else None


def record_diagnoses(record: PatientRecord) -> None:
    for state, since in record.states.items():
        if state == "ihd":
            _ischaemic_heart_disease(record, since)
            continue
        code = gp_code(record, state)
        if code is not None:
            _add(record, code, since)
        if state in HOSPITAL_CODES and _known_at_hospital(record, state):
            _add(record, SKS_D[HOSPITAL_CODES[state]], since)
        if state == "ckd":
            _add(record, SKS_D["DN184" if "ckd_stage_4" in record.flags else "DN183"], since)


def _known_at_hospital(record: PatientRecord, state: str) -> bool:
    """Insulin users are followed in a hospital diabetes clinic, RA always in rheumatology."""
    return (
        f"hospital_{state}" in record.flags
        or (state == "t2d" and "insulin" in record.flags)
        or state == "rheumatoid"
    )


def _ischaemic_heart_disease(record: PatientRecord, since: date) -> None:
    gp = gp_code(record, "ihd")
    assert gp is not None
    if "ihd_K75" in record.flags:
        _add(record, ICPC2["K75"], since, since + timedelta(days=AMI_GP_DAYS))
        _add(record, gp, since)
        _add(record, SKS_D["DI219"], since, since + timedelta(days=AMI_HOSPITAL_DAYS))
        return
    _add(record, gp, since)
    if "hospital_ihd" in record.flags:
        _add(record, SKS_D[IHD_HOSPITAL[gp.code]], since)


def _add(record: PatientRecord, code: Code, onset: date, abatement: date | None = None) -> None:
    """A Condition; one that would end after the last day is still active (no abatement yet)."""
    if abatement is not None and abatement > record.last_day:
        abatement = None
    record.diagnoses.append(Diagnosis(code, onset, abatement))
