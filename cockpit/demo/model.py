"""Every number the demo practice is drawn from, in one place (docs/demo-model.md explains them, and the
tests in tests/demo check the generated population against them).

Rates are fractions (0.06 = 6 %). "Prevalence" is the share of listed patients who have the state on the
as-of date. Figures are rounded approximations of Danish sources (Statistics Denmark's population
pyramid, Danish diabetes/COPD/hypertension prevalence, PLO/Sundhedsdatastyrelsen contact figures): good
enough for a realistic demo, not epidemiology.
"""

from dataclasses import dataclass
from typing import Final

# --- time ----------------------------------------------------------------------------------------------

HISTORY_YEARS: Final = 4
"""Contacts, lab results, measurements and acute episodes are generated for this many years back."""

# --- population ----------------------------------------------------------------------------------------

# Five-year age bands (from, to inclusive) with their share of the list, approximating Statistics
# Denmark's pyramid (FOLK1A, mid-2020s): about 20 % aged 0-17 and 20 % aged 65+.
AGE_PYRAMID: Final = (
    (0, 4, 5.0),
    (5, 9, 5.3),
    (10, 14, 5.7),
    (15, 19, 5.8),
    (20, 24, 6.6),
    (25, 29, 7.0),
    (30, 34, 6.55),
    (35, 39, 6.0),
    (40, 44, 5.9),
    (45, 49, 6.5),
    (50, 54, 6.95),
    (55, 59, 6.75),
    (60, 64, 6.0),
    (65, 69, 5.4),
    (70, 74, 5.1),
    (75, 79, 4.5),
    (80, 84, 2.8),
    (85, 89, 1.4),
    (90, 94, 0.6),
    (95, 99, 0.15),
)


def male_share(age: int) -> float:
    """Share of men at an age: slightly more boys, more women among the old."""
    if age < 50:
        return 0.51
    if age < 65:
        return 0.50
    if age < 75:
        return 0.48
    if age < 85:
        return 0.44
    return 0.34


PATIENTS_PER_GP: Final = 1600
MIN_GPS: Final = 3
MAX_GPS: Final = 6


def gp_count(patients: int) -> int:
    return max(MIN_GPS, min(MAX_GPS, round(patients / PATIENTS_PER_GP)))


# Municipalities of the practice's catchment (Region Midtjylland) with share of the list, the postal
# districts used and the hospital most patients are admitted to.
MUNICIPALITIES: Final = (
    (
        "Aarhus",
        0.55,
        (
            ("8000", "Aarhus C"),
            ("8200", "Aarhus N"),
            ("8210", "Aarhus V"),
            ("8220", "Brabrand"),
            ("8230", "Åbyhøj"),
            ("8240", "Risskov"),
            ("8260", "Viby J"),
            ("8270", "Højbjerg"),
        ),
        "Aarhus Universitetshospital",
    ),
    (
        "Skanderborg",
        0.18,
        (("8660", "Skanderborg"), ("8680", "Ry"), ("8362", "Hørning"), ("8464", "Galten")),
        "Regionshospitalet Horsens",
    ),
    (
        "Favrskov",
        0.14,
        (("8450", "Hammel"), ("8370", "Hadsten"), ("8382", "Hinnerup")),
        "Regionshospitalet Randers",
    ),
    (
        "Syddjurs",
        0.13,
        (("8400", "Ebeltoft"), ("8410", "Rønde"), ("8550", "Ryomgård"), ("8544", "Mørke")),
        "Regionshospitalet Randers",
    ),
)
UNIVERSITY_HOSPITAL: Final = "Aarhus Universitetshospital"

# --- states: chronic conditions and other patient-level states -----------------------------------------

# Age bands of the prevalence table (from, to inclusive).
AGE_BANDS: Final = ((0, 17), (18, 39), (40, 54), (55, 64), (65, 74), (75, 84), (85, 130))
BAND_LABELS: Final = ("0-17", "18-39", "40-54", "55-64", "65-74", "75-84", "85+")


def band_index(age: int) -> int:
    for index, (low, high) in enumerate(AGE_BANDS):
        if low <= age <= high:
            return index
    raise ValueError(f"age {age} is outside every band")


@dataclass(frozen=True, slots=True)
class StateModel:
    """A patient-level state with an age/sex prevalence table.

    ``prevalence`` holds (male, female) per band of AGE_BANDS. ``min_age`` is the youngest age it can
    start at; ``mean_years`` the mean time since it started (exponential, capped by age - min_age).
    ``loading`` is the state's share of the patient's latent morbidity: states with a loading are
    positively correlated (diabetes goes with hypertension and IHD) while each keeps its own prevalence.
    """

    prevalence: tuple[tuple[float, float], ...]
    min_age: int
    mean_years: float
    loading: float


# Prevalence in PERCENT on the as-of date, (men, women) per band of AGE_BANDS:
#                        0-17        18-39       40-54       55-64       65-74       75-84       85+
PREVALENCE_PERCENT: Final = {
    "t2d":               ((0, 0),     (0.8, 0.8), (5, 3),     (11, 7),    (16, 11),   (19, 14),   (17, 13)),
    "hypertension":      ((0, 0),     (2.5, 1.5), (15, 11),   (31, 27),   (44, 42),   (53, 56),   (55, 60)),
    "copd":              ((0, 0),     (0, 0),     (1.5, 1.5), (4, 4),     (7.5, 7),   (10, 9),    (10, 8)),
    "asthma":            ((7, 5),     (6, 7),     (5.5, 7),   (5, 7),     (5, 6.5),   (4.5, 6),   (4, 5)),
    "ihd":               ((0, 0),     (0, 0),     (2, 0.7),   (6, 2.5),   (11, 5),    (16, 9),    (19, 13)),
    "heart_failure":     ((0, 0),     (0, 0),     (0.3, 0.2), (1, 0.5),   (3, 1.5),   (6, 4.5),   (11, 10)),
    "af":                ((0, 0),     (0, 0),     (0.8, 0.4), (2.5, 1.2), (7, 4),     (13, 10),   (18, 16)),
    "ckd":               ((0, 0),     (0, 0),     (0.4, 0.4), (1, 1),     (3, 3),     (6, 6),     (10, 10)),
    "lipid":             ((0, 0),     (0.5, 0.3), (5, 4),     (12, 10),   (17, 16),   (17, 17),   (12, 12)),
    "depression":        ((0.5, 1.5), (4, 8),     (4.5, 8),   (4, 7),     (3.5, 6),   (4, 7),     (5, 8)),
    "rheumatoid":        ((0, 0),     (0.2, 0.4), (0.4, 0.9), (0.6, 1.4), (0.8, 1.6), (0.8, 1.5), (0.6, 1.2)),
    "osteoarthritis":    ((0, 0),     (0, 0),     (5, 7),     (12, 16),   (20, 27),   (27, 35),   (30, 40)),
    "dementia":          ((0, 0),     (0, 0),     (0, 0),     (0, 0),     (1, 1),     (5, 6),     (15, 20)),
    "recurrent_uti":     ((0, 0),     (0, 1.5),   (0, 1.2),   (0, 1.5),   (0, 3),     (0.5, 4),   (0.8, 4.5)),
    "home_care":         ((0, 0),     (0, 0),     (0.2, 0.2), (1, 1),     (4, 5),     (13, 17),   (38, 48)),
    "frequent_admitter": ((0, 0),     (0.1, 0.1), (0.2, 0.2), (0.4, 0.4), (0.8, 0.8), (1.5, 1.3), (2.5, 2.2)),
}  # fmt: skip
# recurrent_uti: >= 3 UTIs in the last 12 months (Rationel Farmakoterapi's definition).
# home_care: municipal home care on the as-of date. frequent_admitter: 3-6 acute admissions in 12 months.

# (youngest age at start, mean years since start, loading on the latent morbidity)
STATE_COURSE: Final = {
    "t2d": (25, 8, 0.35),
    "hypertension": (25, 9, 0.35),
    "copd": (40, 7, 0.15),
    "asthma": (2, 12, 0.0),
    "ihd": (35, 8, 0.35),
    "heart_failure": (40, 4, 0.35),
    "af": (35, 5, 0.25),
    "ckd": (30, 5, 0.35),
    "lipid": (25, 8, 0.25),
    "depression": (13, 4, 0.10),
    "rheumatoid": (20, 9, 0.05),
    "osteoarthritis": (40, 7, 0.10),
    "dementia": (60, 3, 0.15),
    "recurrent_uti": (18, 1, 0.05),
    "home_care": (40, 2.5, 0.35),
    "frequent_admitter": (18, 1, 0.35),
}


def _state(name: str) -> StateModel:
    table = PREVALENCE_PERCENT[name]
    assert len(table) == len(AGE_BANDS), name
    min_age, mean_years, loading = STATE_COURSE[name]
    return StateModel(tuple((men / 100, women / 100) for men, women in table), min_age, mean_years, loading)


STATES: Final = {name: _state(name) for name in PREVALENCE_PERCENT}

# Share of the states that are also known to the hospital (an SKS diagnosis beside the ICPC-2 code).
HOSPITAL_DIAGNOSED: Final = {
    "t2d": 0.25,
    "hypertension": 0.1,
    "heart_failure": 0.8,
    "af": 0.7,
    "copd": 0.35,
    "ihd": 0.6,
}
IHD_KINDS: Final = (("K74", 0.45), ("K76", 0.30), ("K75", 0.25))  # angina / without angina / after AMI
HYPERTENSION_COMPLICATED: Final = 0.15  # K87 instead of K86
KNEE_OSTEOARTHRITIS: Final = 0.5  # L90 knee, else L91 other
CKD_STAGE_4: Final = 0.2  # of CKD, the rest stage 3

# --- smoking -------------------------------------------------------------------------------------------

# (current, ex) smokers by age band for patients without COPD; COPD: SMOKING_COPD.
SMOKING_BY_BAND: Final = (
    (0, 0),
    (0.12, 0.12),
    (0.15, 0.25),
    (0.16, 0.33),
    (0.13, 0.40),
    (0.09, 0.42),
    (0.05, 0.40),
)
SMOKING_COPD: Final = (0.40, 0.55)

# --- quality gaps --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GapRates:
    """How often care falls short, each among the population named in its comment."""

    diabetes_no_hba1c_12m: float = 0.10  # diabetics: lost to follow-up, no HbA1c in the last 12 months
    diabetes_hba1c_over_70: float = 0.09  # diabetics with an HbA1c in 12 months: latest > 70 mmol/mol
    ihd_no_statin: float = 0.15  # IHD: no statin
    af_no_anticoagulant: float = 0.15  # AF: no oral anticoagulant
    nsaid_with_anticoagulant: float = 0.04  # on an oral anticoagulant: also on an NSAID
    nsaid_with_raas_diuretic: float = 0.05  # on ACEi/ARB + diuretic, no anticoagulant: also on an NSAID
    nsaid_65_without_ppi: float = 0.55  # aged 65+ on an NSAID: no PPI
    methotrexate_with_trimethoprim: float = 0.08  # on methotrexate: trimethoprim course in the last 3 months
    renal_monitoring_75: float = 0.10  # 75+ on ACEi/ARB/loop >= 15 months: no creatinine/K in 15 months
    copd_no_spirometry: float = 0.12  # COPD: no spirometry ever recorded


GAPS: Final = GapRates()


@dataclass(frozen=True, slots=True)
class NewGapRates:
    """Gaps for the indicators of issue 16, each among the population named in its comment."""

    metformin_egfr_below_30: float = 0.50  # diabetics with eGFR < 30: metformin continued
    ckd_no_uacr_12m: float = 0.25  # CKD: no urine albumin/creatinine in the last 12 (12.5-20) months
    methotrexate_no_blood_tests_3m: float = 0.15  # on methotrexate: last blood tests 4-9 months ago
    opioid_no_review: float = 0.25  # long-term opioid: no GP contact in the last 6 months
    copd_no_scores_12m: float = 0.30  # COPD (controls running): MRC and CAT never recorded


NEW_GAPS: Final = NewGapRates()
# Diabetics aged 65+ without CKD whose eGFR has fallen below 30 (no CKD diagnosis yet).
T2D_FALLING_EGFR: Final = 0.03
T2D_FALLING_EGFR_AGE: Final = 65

# --- coding: how the clinic system, the lab and the drug list send the data (per patient) -----------------

CODING: Final = {
    "vitals_loinc": 0.25,  # else NPU/DNK codes (system urn:oid:1.2.208.176.2.1)
    "bp_panel_loinc": 0.70,  # LOINC patients: the 85354-9 panel with components, else two Observations
    "bp_panel_danish": 0.20,  # Danish patients: the panel code with DNK components, else two Observations
    "other_unit_spelling": 0.20,  # "mmol/l", "mL/min/1.73m2", "umol/l", "U/l"
    "medcom_spirometry": 0.50,  # FEV1 as MedCom MCS88015 instead of LOINC 20150-9
    "drugs_atc_only": 0.10,  # every drug with ATC code only: no display, no text
    "drugs_by_reference": 0.15,  # every drug by reference to a Medication resource
    "fmk_without_start": 0.10,  # long-term active drugs without a start date (FMK-style lists)
}
HOME_BP_HYPERTENSION: Final = 0.20  # hypertensives who send home blood pressure series (MedCom)
HOME_BP_SERIES_PER_YEAR: Final = 1.0  # each series: 3 mornings in a row
COMBINATION_TABLETS: Final = {
    "statin_ezetimibe": 0.5,  # of statin + ezetimibe users: one combination tablet instead of two
    "raas_thiazide": 0.5,  # of ACE inhibitor/ARB + thiazide users (hypertension): a combination tablet
    "aliskiren_thiazide": 0.03,  # of treated hypertensives: aliskiren/hydrochlorothiazide (rare)
    "beta_blocker_diuretic": 0.4,  # of beta-blocker + thiazide users (hypertension): a combination tablet
}
STRONG_OPIOID_OSTEOARTHRITIS: Final = 0.04  # osteoarthritis 65+: oxycodone or buprenorphine patch

# --- medication ----------------------------------------------------------------------------------------

# Probabilities among patients with the diagnosis, applied in order by treatment.py (a drug already taken
# for another diagnosis is not added twice). (ATC, weight) tuples are choices of one drug.
DIABETES_DRUGS: Final = {
    "metformin": 0.80,  # not below eGFR 30
    "sglt2": 0.30,  # 0.55 with IHD, heart failure or CKD
    "glp1": 0.22,
    "dpp4": 0.08,
    "sulfonylurea": 0.03,
    "insulin": 0.12,
}
SGLT2_WITH_CARDIORENAL: Final = 0.55
STATIN_T2D_40: Final = 0.70  # diabetics aged 40+ without IHD
STATIN_LIPID: Final = 0.70
ANTIPLATELET_IHD: Final = 0.85  # if not anticoagulated
DUAL_ANTIPLATELET_AFTER_AMI: Final = 0.90  # ticagrelor for the 12 months after an AMI
EZETIMIBE_IHD: Final = 0.10
NITRATE_IHD: Final = 0.30
BETA_BLOCKER_IHD: Final = 0.50
HYPERTENSION_UNTREATED: Final = 0.06
RAAS_HYPERTENSION: Final = 0.75  # ACEi or ARB
ACEI_SHARE_OF_RAAS: Final = 0.55  # the rest ARB
CCB_HYPERTENSION: Final = 0.40
THIAZIDE_HYPERTENSION: Final = 0.30
BETA_BLOCKER_HYPERTENSION: Final = 0.12
HEART_FAILURE_DRUGS: Final = {
    "raas": 0.85,
    "beta_blocker": 0.80,
    "loop": 0.70,
    "spironolactone": 0.35,
    "sglt2": 0.40,
}
POTASSIUM_WITH_LOOP: Final = 0.40
ANTICOAGULANTS: Final = (
    ("B01AF02", 0.45),
    ("B01AF01", 0.22),
    ("B01AF03", 0.10),
    ("B01AE07", 0.05),
    ("B01AA03", 0.18),
)
AF_RATE_CONTROL: Final = 0.60
DIGOXIN_AF: Final = 0.10
COPD_DRUGS: Final = {"saba": 0.70, "lama": 0.50, "lama_laba": 0.35, "ics_laba": 0.25}
ASTHMA_DRUGS: Final = {"saba": 0.75, "ics": 0.40, "ics_laba": 0.35}
DEPRESSION_SSRI: Final = 0.60
DEPRESSION_MIRTAZAPINE: Final = 0.10
METHOTREXATE_RA: Final = 0.70
DONEPEZIL_DEMENTIA: Final = 0.40
PARACETAMOL_OSTEOARTHRITIS: Final = 0.40
TRAMADOL_OSTEOARTHRITIS: Final = 0.08
# Long-term NSAID use outside the gap rules above, by age (18-64, 65+), more with osteoarthritis/RA.
NSAID_BASE: Final = (0.015, 0.025)
NSAID_WITH_JOINT_DISEASE: Final = 0.10
PPI_BASE: Final = (0.04, 0.12)  # PPI without an NSAID, 18-64 / 65+
PPI_WITH_NSAID_UNDER_65: Final = 0.30
PRE_SWITCH: Final = 0.20  # a long-standing drug was preceded by another of its class, now completed

# Long-term drugs besides those of the diagnoses, added in older patients until the polypharmacy count
# drawn from POLYPHARMACY is reached (none of them is part of a gap rule).
EXTRA_DRUG_POOL: Final = (
    "N02BE01", "A11CC05", "A12AA04", "H03AA01", "M05BA04", "G04CA02", "G04CB01", "G03CA03", "G04BD08",
    "M04AA01", "A06AD65", "A07DA03", "N05CF01", "N05CH01", "R06AE07", "R01AD09", "S01EE01", "B03AA07",
    "B03BA01", "N03AX16", "D07AC01", "N02AX02",
)  # fmt: skip

# Target number of active drugs for patients aged 65+: share of patients in each band
# (<5, 5-9, 10-15, 16+). A patient's diagnoses may already bring more; extras only fill up.
POLYPHARMACY: Final = {
    "65-74": ((0.80, 0.15, 0.045, 0.005), (0, 5, 10, 16), (4, 9, 15, 19)),
    "75+": ((0.55, 0.33, 0.105, 0.015), (0, 5, 10, 16), (4, 9, 15, 20)),
}
# Expected share of patients by active-drug band after diagnoses and extras (what the tests check).
POLYPHARMACY_EXPECTED: Final = {
    "65-74": (0.30, 0.06, 0.006),  # >= 5, >= 10, >= 16
    "75+": (0.56, 0.13, 0.017),
}

# --- acute episodes (GP contacts, mostly with an antibiotic course) ------------------------------------

# Respiratory/ear/skin infections per person-year by age band (0-4, 5-17, 18-64, 65+).
INFECTION_RATE: Final = ((0, 4, 1.2), (5, 17, 0.5), (18, 64, 0.5), (65, 130, 0.6))
INFECTION_KINDS: Final = {
    # ICPC-2: (weight for children 0-17, weight for adults, probability of an antibiotic, drug choices)
    "H71": (0.40, 0.03, 0.50, (("J01CE02", 0.55), ("J01CA04", 0.45))),
    "R74": (0.30, 0.35, 0.05, (("J01CE02", 1.0),)),
    "R76": (0.12, 0.12, 0.50, (("J01CE02", 0.9), ("J01FA09", 0.1))),
    "R75": (0.02, 0.15, 0.35, (("J01CE02", 0.6), ("J01CA04", 0.2), ("J01CR02", 0.2))),
    "R78": (0.06, 0.15, 0.25, (("J01CE02", 0.4), ("J01CA04", 0.25), ("J01FA09", 0.2), ("J01CR02", 0.15))),
    "R81": (
        0.02,
        0.08,
        0.90,
        (("J01CE02", 0.45), ("J01CA04", 0.25), ("J01FA09", 0.12), ("J01FA10", 0.08), ("J01CR02", 0.1)),
    ),
    "S76": (0.05, 0.07, 0.70, (("J01CF01", 0.8), ("J01CE02", 0.2))),
}
# UTIs per person-year (women 18-64, women 65+, men 65+); recurrent UTI: RECURRENT_UTI_EPISODES in a year.
UTI_RATE: Final = {"female_adult": 0.10, "female_65": 0.18, "male_65": 0.06}
RECURRENT_UTI_EPISODES: Final = (3, 5)
UTI_ANTIBIOTIC: Final = 0.85
UTI_DRUGS: Final = (
    ("J01CA08", 0.45),  # pivmecillinam
    ("J01EB02", 0.20),  # sulfamethizole
    ("J01XE01", 0.12),  # nitrofurantoin
    ("J01EA01", 0.10),  # trimethoprim
    ("J01MA02", 0.08),  # ciprofloxacin
    ("J01CA04", 0.05),  # amoxicillin
)
COPD_EXACERBATIONS_PER_YEAR: Final = 0.5  # treated in general practice: prednisolone +/- amoxicillin
EXACERBATION_ANTIBIOTIC: Final = 0.5

# --- contacts ------------------------------------------------------------------------------------------

# GP contacts per person-year by age (all kinds, including chronic-care controls): about 6.7 on average,
# which is a full-time GP's 49 contacts a day for 1,600 patients (DOMAIN.md 0.6).
GP_CONTACT_RATE: Final = (
    (0, 4, 5.0),
    (5, 17, 2.2),
    (18, 39, 4.8),
    (40, 64, 6.0),
    (65, 79, 9.0),
    (80, 130, 11.0),
)
FEMALE_CONTACT_FACTOR: Final = 1.25
CHRONIC_CONTACT_EXTRA: Final = 1.0  # extra contacts per year per chronic condition
CONTACT_KIND_SHARES: Final = (("gp_consultation", 0.55), ("phone", 0.27), ("email", 0.18))
ELDERLY_EMAIL_FACTOR: Final = 0.3  # 80+: fewer e-mail consultations
HOME_VISITS_PER_YEAR: Final = 2.0  # patients with home care and 80+
CONTROL_CONTACT_REASON_ORDER: Final = (
    "t2d",
    "copd",
    "heart_failure",
    "ihd",
    "af",
    "ckd",
    "hypertension",
    "rheumatoid",
    "asthma",
    "lipid",
)

# Hospital: acute admissions per person-year by age, times (1 + ACUTE_PER_CONDITION per cardiac/lung/kidney
# condition). Without the frequent-admitter state at most 2 fall in the last 12 months.
ACUTE_ADMISSION_RATE: Final = (
    (0, 17, 0.04),
    (18, 64, 0.05),
    (65, 74, 0.11),
    (75, 84, 0.20),
    (85, 130, 0.30),
)
ACUTE_PER_CONDITION: Final = 0.5
FREQUENT_ADMISSIONS: Final = (3, 6)  # acute admissions in the last 12 months of a frequent admitter
PLANNED_ADMISSION_RATE: Final = 0.02  # per person-year, aged 50+
EMERGENCY_VISIT_RATE: Final = ((0, 17, 0.12), (18, 64, 0.09), (65, 130, 0.12))
# Outpatient visits per year for conditions followed at the hospital.
OUTPATIENT_RATE: Final = {
    "insulin": 2.0,
    "heart_failure": 2.0,
    "af": 1.0,
    "copd_hospital": 1.0,
    "ckd_stage_4": 3.0,
    "rheumatoid": 3.0,
    "other": 0.6,
}
ACUTE_LENGTH_OF_STAY: Final = (3.0, 0.7)  # lognormal median days, sigma; longer with age
PLANNED_LENGTH_OF_STAY: Final = (2.0, 0.5)
ADMITTED_THROUGH_EMERGENCY: Final = 0.6  # acute admissions that start with an emergency-department visit
READMISSION_30D: Final = 0.10  # acute stays followed by another acute admission 2-30 days after discharge

# --- lab and measurements ------------------------------------------------------------------------------

# Monitoring programmes: months between controls and the tests taken at each one.
LAB_PROGRAMMES: Final = {
    "t2d": (6, ("hba1c", "creatinine", "egfr", "potassium", "sodium"), ("ldl", "uacr", "alat")),
    "hypertension": (12, ("creatinine", "egfr", "potassium", "sodium"), ("ldl",)),
    "ckd": (6, ("creatinine", "egfr", "potassium", "sodium", "haemoglobin"), ("uacr",)),
    "ihd": (12, ("ldl", "alat", "creatinine", "egfr"), ()),
    "heart_failure": (6, ("creatinine", "egfr", "potassium", "sodium", "haemoglobin"), ()),
    "lipid": (12, ("ldl", "alat"), ()),
    "copd": (12, (), ()),
    "methotrexate": (3, ("alat", "creatinine", "egfr", "haemoglobin"), ()),
    "raas_or_loop": (12, ("creatinine", "egfr", "potassium", "sodium"), ()),
}
"""programme: (months between controls, tests every control, tests every second control)."""
HBA1C_POOR_CONTROL_MONTHS: Final = 3
HEALTH_CHECK_RATE: Final = 0.15  # adults without a programme: blood tests per year
HEALTH_CHECK_TESTS: Final = ("creatinine", "egfr", "potassium", "sodium", "alat", "haemoglobin", "ldl")
BLOOD_PRESSURE_AT_CONSULTATION: Final = 0.15  # adults, consultations outside a control

# --- municipal home care -------------------------------------------------------------------------------

HOME_CARE_SERVICES: Final = {
    # service: (share of home-care patients, hours per week (low, high) or None when not counted in hours)
    "practical-help": (0.85, (0.5, 1.5)),
    "personal-care": (0.50, (2.0, 14.0)),
    "home-nursing": (0.35, (0.5, 3.0)),
    "meals": (0.20, None),
    "emergency-alarm": (0.30, None),
}
PAST_HOME_NURSING: Final = 0.15  # patients aged 70+ with a completed, temporary home-nursing episode
