"""Long-term drug treatment that fits the diagnoses, with the documented gaps (model.GapRates).

Order matters and is deliberate: anticoagulation (AF) is decided before antiplatelets (IHD), and NSAIDs
and PPIs after everything they interact with, so the dangerous-combination rates apply to exactly the
population named in model.GapRates.
"""

from datetime import date, timedelta
from typing import Final

from cockpit.demo import model
from cockpit.demo.dates import DAYS_PER_YEAR, shift_years
from cockpit.demo.draws import chance, pick
from cockpit.demo.record import PatientRecord, Prescription
from cockpit.demo.vocabulary import (
    ALISKIREN_THIAZIDE,
    COMBINATIONS,
    DIURETIC_ATC,
    DRUGS,
    METFORMIN,
    METHOTREXATE,
    STATIN_ATC,
    STRONG_OPIOIDS,
)

STATINS: Final = (("C10AA05", 0.75), ("C10AA01", 0.25))
ACEI: Final = (("C09AA05", 0.7), ("C09AA02", 0.3))
ARB: Final = (("C09CA01", 0.6), ("C09CA06", 0.4))
BETA_BLOCKERS: Final = (("C07AB07", 0.7), ("C07AB02", 0.3))
SSRIS: Final = (("N06AB10", 0.45), ("N06AB06", 0.35), ("N06AB04", 0.2))
NSAIDS: Final = (("M01AE01", 0.6), ("M01AE02", 0.25), ("M01AB05", 0.15))
PPIS: Final = (("A02BC01", 0.7), ("A02BC02", 0.3))
GLP1: Final = (("A10BJ06", 0.8), ("A10BJ02", 0.2))
SGLT2: Final = (("A10BK03", 0.6), ("A10BK01", 0.4))
# A drug now taken that replaced an earlier one of its class (the earlier one is kept as completed).
PREDECESSOR: Final = {
    "C10AA05": "C10AA01",
    "C09AA05": "C09AA02",
    "C09CA06": "C09CA01",
    "N06AB06": "N06AB04",
    "A02BC02": "A02BC01",
    "B01AF02": "B01AA03",
    "R03AL03": "R03BB04",
}
SWITCH_MIN_YEARS: Final = 3


def give(record: PatientRecord, atc: str, start: date, end: date | None = None) -> None:
    """Add a drug unless the same substance is already being taken or it was not on the market yet."""
    drug = DRUGS[atc]
    if end is None and any(p.end is None and p.drug.atc == atc for p in record.prescriptions):
        return
    if drug.since_year is not None and start.year < drug.since_year:
        start = date(drug.since_year, 1, 1) + timedelta(days=record.rng.randrange(365))
    start = min(start, record.last_day)
    if end is not None and end < start:
        return
    if drug.since_year is not None and start.year < drug.since_year:
        return  # an as-of date before the drug existed
    record.prescriptions.append(Prescription(drug, start, end))


def combine(record: PatientRecord, first: str, second: str, day: date) -> None:
    """From ``day`` one combination tablet replaces ``first`` and ``second``: an active one started before
    stops the day before, one that would start that day or later is never taken apart."""
    tablet = DRUGS[COMBINATIONS[(first, second)]]
    day = min(day, record.last_day)
    if tablet.since_year is not None and day.year < tablet.since_year:
        give(record, second, day)  # the tablet was not on the market yet: two tablets
        return
    kept = []
    for prescription in record.prescriptions:
        if prescription.end is None and prescription.drug.atc in (first, second):
            if prescription.start >= day:
                continue
            prescription.end = day - timedelta(days=1)
        kept.append(prescription)
    record.prescriptions[:] = kept
    give(record, tablet.atc, day)


def start_after(record: PatientRecord, since: date, spread_years: float = 0.5) -> date:
    """A start date soon after ``since`` (within ``spread_years``), never after the last day."""
    days = max(0, (record.last_day - since).days)
    return since + timedelta(days=record.rng.randrange(min(days, round(spread_years * DAYS_PER_YEAR)) + 1))


def prescribe(record: PatientRecord) -> None:
    if record.age < 18:
        _children(record)
        return
    _diabetes(record)
    _atrial_fibrillation(record)
    _ischaemic_heart_disease(record)
    _statins_for_risk(record)
    _heart_failure(record)
    _hypertension_and_kidneys(record)
    _airways(record)
    _mind_and_joints(record)
    _nsaid_and_ppi(record)
    _polypharmacy_extras(record)
    _earlier_switches(record)


def _children(record: PatientRecord) -> None:
    rng = record.rng
    if record.has("asthma"):
        since = record.states["asthma"]
        give(record, "R03AC02", start_after(record, since))
        if chance(rng, 0.4):
            give(record, "R03BA02", start_after(record, since, 2))


def _diabetes(record: PatientRecord) -> None:
    if not record.has("t2d"):
        return
    rng, since = record.rng, record.states["t2d"]
    drugs = model.DIABETES_DRUGS
    # Metformin is stopped below eGFR 30, except in the documented gap (model.NEW_GAPS).
    kidneys_allow = record.physio.egfr_now >= 30 or chance(rng, model.NEW_GAPS.metformin_egfr_below_30)
    if kidneys_allow and chance(rng, drugs["metformin"]):
        give(record, METFORMIN, start_after(record, since, 0.25))
    cardiorenal = record.has("ihd") or record.has("heart_failure") or record.has("ckd")
    if chance(rng, model.SGLT2_WITH_CARDIORENAL if cardiorenal else drugs["sglt2"]):
        give(record, pick(rng, SGLT2), start_after(record, since, 4))
    if chance(rng, drugs["glp1"]):
        give(record, pick(rng, GLP1), start_after(record, since, 5))
    if chance(rng, drugs["dpp4"]):
        give(record, "A10BH01", start_after(record, since, 5))
    if chance(rng, drugs["sulfonylurea"]):
        give(record, "A10BB12", start_after(record, since, 5))
    if chance(rng, drugs["insulin"]):
        give(record, "A10AE04", start_after(record, since, 8))
        record.flags.add("insulin")


def _atrial_fibrillation(record: PatientRecord) -> None:
    if not record.has("af"):
        return
    rng, since = record.rng, record.states["af"]
    if "no_anticoagulant" not in record.flags:
        give(record, pick(rng, model.ANTICOAGULANTS), start_after(record, since, 0.2))
    if chance(rng, model.AF_RATE_CONTROL):
        give(record, pick(rng, BETA_BLOCKERS), start_after(record, since, 0.2))
    if chance(rng, model.DIGOXIN_AF):
        give(record, "C01AA05", start_after(record, since, 2))


def _ischaemic_heart_disease(record: PatientRecord) -> None:
    if not record.has("ihd"):
        return
    rng, since = record.rng, record.states["ihd"]
    if "no_statin" not in record.flags:
        statin = pick(rng, STATINS)
        give(record, statin, start_after(record, since, 0.1))
        if chance(rng, model.EZETIMIBE_IHD):
            added = start_after(record, since, 3)
            if chance(rng, model.COMBINATION_TABLETS["statin_ezetimibe"]):
                combine(record, statin, "C10AX09", added)
            else:
                give(record, "C10AX09", added)
    anticoagulated = record.on("B01AA", "B01AE", "B01AF")
    if not anticoagulated and chance(rng, model.ANTIPLATELET_IHD):
        give(record, "B01AC04" if chance(rng, 0.15) else "B01AC06", start_after(record, since, 0.05))
    if record.ami_date is not None and not anticoagulated and chance(rng, model.DUAL_ANTIPLATELET_AFTER_AMI):
        year_after = shift_years(record.ami_date, 1)
        give(record, "B01AC24", record.ami_date, year_after if year_after <= record.last_day else None)
    if chance(rng, model.BETA_BLOCKER_IHD):
        give(record, pick(rng, BETA_BLOCKERS), start_after(record, since, 0.1))
    if chance(rng, model.NITRATE_IHD):
        give(record, "C01DA02", start_after(record, since, 1))


def _statins_for_risk(record: PatientRecord) -> None:
    """Primary prevention; the IHD no-statin gap overrides it (that patient takes no statin at all)."""
    if "no_statin" in record.flags or record.on(*STATIN_ATC):
        return
    rng = record.rng
    if record.has("t2d") and record.age >= 40 and chance(rng, model.STATIN_T2D_40):
        give(record, pick(rng, STATINS), start_after(record, record.states["t2d"], 2))
    elif record.has("lipid") and chance(rng, model.STATIN_LIPID):
        give(record, pick(rng, STATINS), start_after(record, record.states["lipid"], 1))


def _raas(record: PatientRecord, since: date, spread: float) -> None:
    if record.on("C09"):
        return
    rng = record.rng
    give(
        record,
        pick(rng, ACEI if chance(rng, model.ACEI_SHARE_OF_RAAS) else ARB),
        start_after(record, since, spread),
    )


def _heart_failure(record: PatientRecord) -> None:
    if not record.has("heart_failure"):
        return
    rng, since, drugs = record.rng, record.states["heart_failure"], model.HEART_FAILURE_DRUGS
    if chance(rng, drugs["raas"]):
        _raas(record, since, 0.2)
    if chance(rng, drugs["beta_blocker"]) and not record.on("C07"):
        give(record, pick(rng, BETA_BLOCKERS), start_after(record, since, 0.3))
    if chance(rng, drugs["loop"]):
        give(record, "C03CA01" if chance(rng, 0.8) else "C03CA02", start_after(record, since, 0.1))
    if chance(rng, drugs["spironolactone"]):
        give(record, "C03DA01", start_after(record, since, 1))
    if chance(rng, drugs["sglt2"]) and not record.on("A10BK"):
        give(record, "A10BK01", start_after(record, since, 2))


def _hypertension_and_kidneys(record: PatientRecord) -> None:
    rng = record.rng
    if record.has("hypertension") and not chance(rng, model.HYPERTENSION_UNTREATED):
        since, shares = record.states["hypertension"], model.COMBINATION_TABLETS
        if chance(rng, model.RAAS_HYPERTENSION):
            _raas(record, since, 0.5)
        if chance(rng, model.CCB_HYPERTENSION):
            give(record, "C08CA01", start_after(record, since, 3))
        thiazide = chance(rng, model.THIAZIDE_HYPERTENSION)
        beta_blocker = chance(rng, model.BETA_BLOCKER_HYPERTENSION) and not record.on("C07")
        if thiazide:
            # With an ACE inhibitor/ARB or a beta-blocker, the thiazide is often the same tablet.
            added = start_after(record, since, 3)
            partners = [atc for atc in sorted(record.active_atc()) if (atc, "C03AA03") in COMBINATIONS]
            if partners and chance(rng, shares["raas_thiazide"]):
                combine(record, partners[0], "C03AA03", added)
            else:
                give(record, "C03AA03", added)
        if beta_blocker:
            blocker, added = pick(rng, BETA_BLOCKERS), start_after(record, since, 3)
            give(record, blocker, added)
            if record.on("C03AA03") and chance(rng, shares["beta_blocker_diuretic"]):
                combine(record, blocker, "C03AA03", added)
        if not record.on("C09") and not record.has("t2d") and chance(rng, shares["aliskiren_thiazide"]):
            give(record, ALISKIREN_THIAZIDE, start_after(record, since, 4))
        if not record.on("C09", "C08", "C03", "C07"):
            give(record, "C08CA01", start_after(record, since, 0.5))
    if record.has("ckd") and chance(rng, 0.7):
        _raas(record, record.states["ckd"], 0.5)
    if record.on("C03C") and chance(rng, model.POTASSIUM_WITH_LOOP):
        give(record, "A12BA01", start_after(record, record.started("C03C") or record.last_day, 0.2))


def _airways(record: PatientRecord) -> None:
    rng = record.rng
    if record.has("copd"):
        since, drugs = record.states["copd"], model.COPD_DRUGS
        if chance(rng, drugs["saba"]):
            give(record, "R03AC02", start_after(record, since, 0.2))
        if chance(rng, drugs["lama_laba"]):
            give(record, "R03AL03", start_after(record, since, 2))
        elif chance(rng, drugs["lama"] / (1 - drugs["lama_laba"])):
            give(record, "R03BB04", start_after(record, since, 1))
        if chance(rng, drugs["ics_laba"]):
            give(record, "R03AK07", start_after(record, since, 3))
    if record.has("asthma"):
        since, drugs = record.states["asthma"], model.ASTHMA_DRUGS
        if chance(rng, drugs["saba"]):
            give(record, "R03AC02", start_after(record, since, 0.2))
        draw = rng.random()
        if draw < drugs["ics"]:
            give(record, "R03BA02", start_after(record, since, 1))
        elif draw < drugs["ics"] + drugs["ics_laba"]:
            give(record, "R03AK07", start_after(record, since, 2))


def _mind_and_joints(record: PatientRecord) -> None:
    rng = record.rng
    if record.has("depression"):
        since = record.states["depression"]
        if chance(rng, model.DEPRESSION_SSRI):
            give(record, pick(rng, SSRIS), start_after(record, since, 0.1))
        if chance(rng, model.DEPRESSION_MIRTAZAPINE):
            give(record, "N06AX11", start_after(record, since, 0.5))
    if record.has("dementia") and chance(rng, model.DONEPEZIL_DEMENTIA):
        give(record, "N06DA02", start_after(record, record.states["dementia"], 0.3))
    if record.has("rheumatoid") and chance(rng, model.METHOTREXATE_RA):
        start = start_after(record, record.states["rheumatoid"], 0.5)
        give(record, METHOTREXATE, start)
        give(record, "B03BB01", start)
    if record.has("osteoarthritis"):
        since = record.states["osteoarthritis"]
        if chance(rng, model.PARACETAMOL_OSTEOARTHRITIS):
            give(record, "N02BE01", start_after(record, since, 1))
        if chance(rng, model.TRAMADOL_OSTEOARTHRITIS):
            give(record, "N02AX02", start_after(record, since, 3))
        if record.age >= 65 and chance(rng, model.STRONG_OPIOID_OSTEOARTHRITIS):
            give(record, pick(rng, STRONG_OPIOIDS), start_after(record, since, 3))


def _nsaid_and_ppi(record: PatientRecord) -> None:
    rng, gaps, age = record.rng, model.GAPS, record.age
    if record.on("B01AA", "B01AE", "B01AF"):
        probability = gaps.nsaid_with_anticoagulant
    elif record.on("C09") and record.on(*DIURETIC_ATC):
        probability = gaps.nsaid_with_raas_diuretic
    elif record.has("osteoarthritis") or record.has("rheumatoid"):
        probability = model.NSAID_WITH_JOINT_DISEASE
    else:
        probability = model.NSAID_BASE[age >= 65]
    nsaid = chance(rng, probability)
    if nsaid:
        # Mostly recent: long NSAID courses are what the safety indicators look for in the last 3 months.
        give(record, pick(rng, NSAIDS), record.last_day - timedelta(days=rng.randrange(14, 400)))
    if nsaid and age >= 65:
        ppi = chance(rng, 1 - gaps.nsaid_65_without_ppi)
    elif nsaid:
        ppi = chance(rng, model.PPI_WITH_NSAID_UNDER_65)
    else:
        ppi = chance(rng, model.PPI_BASE[age >= 65])
    if ppi:
        give(
            record,
            pick(rng, PPIS),
            record.started("M01A") or shift_years(record.last_day, -rng.uniform(0.1, 6)),
        )


def _polypharmacy_extras(record: PatientRecord) -> None:
    """Fill older patients' lists up to a drawn target (see model.POLYPHARMACY) from the extra pool."""
    if record.age < 65:
        return
    rng = record.rng
    shares, lows, highs = model.POLYPHARMACY["65-74" if record.age < 75 else "75+"]
    band = pick(rng, tuple(zip(range(4), shares, strict=True)))
    target = rng.randint(lows[band], highs[band])
    pool = [atc for atc in model.EXTRA_DRUG_POOL if DRUGS[atc].only_sex in (None, _sex(record))]
    rng.shuffle(pool)
    active = record.active_atc()
    for atc in pool:
        if len(active) >= target:
            break
        if atc not in active:
            give(record, atc, shift_years(record.last_day, -rng.uniform(0.2, 8)))
            active.add(atc)


def _sex(record: PatientRecord) -> str:
    return "male" if record.person.male else "female"


def _earlier_switches(record: PatientRecord) -> None:
    """Some long-standing drugs replaced an earlier one of their class (kept as a completed statement)."""
    rng = record.rng
    for prescription in list(record.prescriptions):
        predecessor = PREDECESSOR.get(prescription.drug.atc)
        if predecessor is None or prescription.end is not None:
            continue
        years = (record.last_day - prescription.start).days / DAYS_PER_YEAR
        if years < SWITCH_MIN_YEARS or not chance(rng, model.PRE_SWITCH):
            continue
        switch = shift_years(prescription.start, years * rng.uniform(0.3, 0.8))
        record.prescriptions.append(
            Prescription(DRUGS[predecessor], prescription.start, switch - timedelta(days=1))
        )
        prescription.start = switch
