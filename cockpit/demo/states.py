"""Which states (chronic conditions, home care, frequent admissions) a patient has, since when, and the
per-patient levels their lab values will scatter around.

States are drawn with a one-factor Gaussian model: each patient has a latent morbidity z ~ N(0, 1), and a
state with prevalence p and loading w is present when sqrt(w)*z + sqrt(1-w)*e > Phi^-1(1 - p), e ~ N(0, 1)
drawn per state. Each state keeps exactly the prevalence of model.STATES for the patient's age band and
sex, while states with a loading cluster in the same (multimorbid) patients.
"""

import math
from statistics import NormalDist
from typing import Final

from cockpit.demo import model
from cockpit.demo.dates import shift_years, years_between
from cockpit.demo.draws import clip, pick
from cockpit.demo.record import PatientRecord, Physiology
from cockpit.demo.vocabulary import SMOKING


def _threshold(prevalence: float) -> float:
    if prevalence <= 0:
        return math.inf
    if prevalence >= 1:
        return -math.inf
    return NormalDist().inv_cdf(1 - prevalence)


# state -> band -> (male, female) liability thresholds.
_THRESHOLDS: Final = {
    name: tuple((_threshold(male), _threshold(female)) for male, female in state.prevalence)
    for name, state in model.STATES.items()
}
_LOADINGS: Final = {
    name: (math.sqrt(state.loading), math.sqrt(1 - state.loading)) for name, state in model.STATES.items()
}
_SMOKER, _EX_SMOKER, _NEVER = (SMOKING["77176002"], SMOKING["8517006"], SMOKING["266919005"])


def draw_states(record: PatientRecord) -> None:
    rng, age = record.rng, record.age
    band = model.band_index(age)
    sex = 0 if record.person.male else 1
    latent = rng.gauss(0, 1)
    for name, state in model.STATES.items():
        noise = rng.gauss(0, 1)  # drawn for every state, so one state's rule never shifts another's draw
        if age < state.min_age:
            continue
        shared, own = _LOADINGS[name]
        if shared * latent + own * noise > _THRESHOLDS[name][band][sex]:
            # Since when: exponential with the state's mean, but not before the patient was old enough.
            possible = years_between(shift_years(record.person.birth_date, state.min_age), record.as_of)
            years = min(possible, rng.expovariate(1 / state.mean_years))
            # Diagnosed at a weekday consultation.
            since = min(shift_years(record.as_of, -years), record.last_day)
            record.states[name] = record.weekday(since, record.person.birth_date)
    _draw_subtypes(record)
    _draw_smoking(record)
    record.physiology = _draw_physiology(record)


def _draw_subtypes(record: PatientRecord) -> None:
    rng = record.rng
    if record.has("ihd"):
        kind = pick(rng, model.IHD_KINDS)
        record.flags.add(f"ihd_{kind}")
        if kind == "K75":
            record.ami_date = record.states["ihd"]
    if record.has("hypertension") and rng.random() < model.HYPERTENSION_COMPLICATED:
        record.flags.add("hypertension_complicated")
    if record.has("osteoarthritis") and rng.random() < model.KNEE_OSTEOARTHRITIS:
        record.flags.add("knee_osteoarthritis")
    if record.has("ckd") and rng.random() < model.CKD_STAGE_4:
        record.flags.add("ckd_stage_4")
    for state, share in model.HOSPITAL_DIAGNOSED.items():
        if record.has(state) and rng.random() < share:
            record.flags.add(f"hospital_{state}")
    gaps = model.GAPS
    if record.has("t2d"):
        if rng.random() < gaps.diabetes_no_hba1c_12m:
            record.flags.add("lost_to_follow_up")
        elif rng.random() < gaps.diabetes_hba1c_over_70:
            record.flags.add("hba1c_poor")
    if record.has("ihd") and rng.random() < gaps.ihd_no_statin:
        record.flags.add("no_statin")
    if record.has("af") and rng.random() < gaps.af_no_anticoagulant:
        record.flags.add("no_anticoagulant")
    if record.has("copd") and rng.random() < gaps.copd_no_spirometry:
        record.flags.add("no_spirometry")
    if record.has("copd") and rng.random() < model.NEW_GAPS.copd_no_scores_12m:
        record.flags.add("copd_no_scores")


def _draw_smoking(record: PatientRecord) -> None:
    if record.age < 18:
        return
    current, ex = (
        model.SMOKING_COPD if record.has("copd") else model.SMOKING_BY_BAND[model.band_index(record.age)]
    )
    draw = record.rng.random()
    record.smoking = _SMOKER if draw < current else _EX_SMOKER if draw < current + ex else _NEVER


def _draw_physiology(record: PatientRecord) -> Physiology:
    rng, age, male = record.rng, record.age, record.person.male
    if record.has("ckd"):
        egfr = rng.uniform(15, 29) if "ckd_stage_4" in record.flags else rng.uniform(30, 59)
        decline = rng.uniform(1.5, 3.0)
    elif record.has("t2d") and age >= model.T2D_FALLING_EGFR_AGE and rng.random() < model.T2D_FALLING_EGFR:
        # Diabetic kidney function that fell below 30 without a CKD diagnosis (yet): 35-55 four years ago.
        egfr = rng.uniform(20, 29)
        decline = rng.uniform(3.5, 6.0)
    else:
        egfr = clip(rng.gauss(108 - 0.8 * max(0, age - 25), 10), 62, 125)
        decline = rng.uniform(0.5, 1.2)
    t2d = record.has("t2d")
    height = rng.gauss(1.80, 0.07) if male else rng.gauss(1.67, 0.06)
    bmi = clip(rng.gauss(31, 5) if t2d else rng.gauss(26, 4), 17, 48)
    if record.has("hypertension"):
        systolic = clip(rng.gauss(138, 10), 115, 175)
    else:
        systolic = clip(rng.gauss(112 + 0.45 * max(0, age - 20), 9), 95, 150)
    uacr_draw = rng.random()
    if t2d or record.has("ckd"):
        uacr = rng.lognormvariate(math.log(8), 0.6) if uacr_draw < 0.7 else rng.uniform(30, 300)
        if uacr_draw > 0.95:
            uacr = rng.uniform(300, 1000)
    else:
        uacr = rng.lognormvariate(math.log(5), 0.5)
    return Physiology(
        egfr_now=egfr,
        egfr_decline=decline,
        hba1c_level=clip(rng.gauss(52, 5), 42, 62),
        hba1c_at_diagnosis=rng.uniform(49, 68),
        hba1c_peak=rng.uniform(71, 95),
        hba1c_poor="hba1c_poor" in record.flags,
        ldl_untreated=clip(rng.gauss(3.3, 0.8) + (1.0 if record.has("lipid") else 0), 1.6, 7.0),
        uacr_level=min(uacr, 29) if uacr_draw < 0.7 else uacr,
        potassium=rng.gauss(4.1, 0.2),
        sodium=rng.gauss(140, 1.5),
        alat=rng.lognormvariate(math.log(26 if male else 19), 0.3) + (6 if t2d else 0),
        haemoglobin=rng.gauss(9.1, 0.5) if male else rng.gauss(8.3, 0.45),
        systolic=systolic,
        diastolic=clip(rng.gauss(0.45 * systolic + 22, 5), 55, 105),
        height_m=clip(height, 1.45, 2.05),
        bmi=bmi,
        fev1_fvc=rng.uniform(38, 68),
        fev1_fraction=rng.uniform(0.35, 0.85),
    )
