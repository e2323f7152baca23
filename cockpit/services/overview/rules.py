"""The attention panel's built-in rules: what needs action for this patient, with the reason and the evidence,
from the facts already loaded for the overview. ``RULES`` lists them; ``attention.RuleBasedAttention`` runs
them. Rule ids are the indicator ids of ../shared/domain/indicators-reference.yaml where one matches, so a GP
sees the same id in the cluster's packs.

Texts are Danish, dates dd-mm-yyyy, numbers with a decimal comma. A rule reads only the facts it is given.

Each rule has a concern key (``RULE_CONCERNS``), as the packs' indicators have (``concern:`` in a pack), and
may supersede other rules and indicators (``RULE_SUPERSEDES``): docs/attention.md, "One item per concern".
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from cockpit.models.danish import dk_date, format_fixed
from cockpit.models.months import add_months, months_before, whole_months_between, within_months
from cockpit.services.overview import valuesets as vs
from cockpit.services.overview.evidence import (
    active_drugs_in,
    diagnosed,
    diagnosis_text,
    drug_text,
    drugs_in,
    drugs_text,
    last_measurement,
    last_of,
    latest_overlap,
    period_text,
    range_text,
    since_text,
    stay_text,
    taken_within,
    type_2_diabetes,
    value_text,
    when_text,
)
from cockpit.services.overview.facts import (
    ENCOUNTER_DID_NOT_HAPPEN,
    PatientFacts,
    active_atc_substances,
    medication_periods,
)
from cockpit.services.overview.items import AttentionItem, Rule, Severity
from cockpit.services.overview.labcatalogue import target_context, target_for

HBA1C_VERY_HIGH: Final = 75.0  # DM-03: HbA1c >= 75 mmol/mol (diabetes database indicator 1.f2)
HBA1C_MONTHS: Final = 12  # DM-01
COMBINATION_MONTHS: Final = 3  # PINCER index window
RENAL_MONITORING_AGE: Final = 75  # SAFE-05 / PINCER MO_P13
RENAL_MONITORING_MONTHS: Final = 15
TRIPLE_WHAMMY_EGFR: Final = 45.0  # SAFE-02: severity up below this (PINCER K)
POLYPHARMACY_SUBSTANCES: Final = 10  # POLY-01: "udtalt polyfarmaci"
ADMISSION_MONTHS: Final = 12  # UTIL-01
MIN_ADMISSIONS: Final = 2
MIN_ACUTE_CONTACTS: Final = 3
ACUTE_KINDS: Final = frozenset({"inpatient", "emergency"})
POTASSIUM_HIGH: Final = 5.5  # mmol/L
EGFR_LOW: Final = 30.0  # mL/min/1.73 m², CKD stage 4-5
# How recent a lab value must be to raise an alert (an older one gives none; docs/attention.md):
# a high potassium calls for action within days, so a result older than 3 months has been acted on or
# retested, and says nothing about today's value;
POTASSIUM_RECENT_MONTHS: Final = 3
# kidney function changes slowly (CKD is staged on values at least 3 months apart, and monitored at least
# yearly), so an eGFR within 12 months still tells how to dose renally cleared drugs; an older one does not.
EGFR_RECENT_MONTHS: Final = 12
# Annual control (årskontrol) of COPD, hypertension and IHD: overdue when its measurement is older than
# 13 months (a year and a month's grace to book it; docs/attention.md "Annual control").
ANNUAL_CONTROL_MONTHS: Final = 13


# --- diabetes (DOMAIN.md "Type 2 diabetes"; indicators DM-01..DM-03) ----------------------------------------


def hba1c_above_target(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """DM-02 / DM-03: a type 2 diabetic whose latest HbA1c within 12 months does not meet the patient's
    HbA1c target of the targets file (the cluster's cut-off, ≤ 53; the overview shows the same); >= 75:
    high."""
    diabetes = type_2_diabetes(facts, as_of)
    latest = facts.latest("hba1c", as_of)
    if not diabetes or latest is None or latest.value is None:
        return None
    active = ((c.system, c.code) for c in facts.active_conditions(as_of))
    target = target_for("hba1c", target_context(facts.age_on(as_of), active))
    if target is None or not within_months(latest.day, as_of, HBA1C_MONTHS) or target.met_by(latest.value):
        return None
    goal = f"mål {target.sign} {format_fixed(target.limit, 0)} ({target.reason.da})"
    evidence = f"{value_text(latest)}, {dk_date(latest.day)}, {goal}"
    if latest.value >= HBA1C_VERY_HIGH:
        return AttentionItem("high", "HbA1c meget højt (≥ 75 mmol/mol)", evidence, "DM-03", latest.day)
    return AttentionItem("medium", "HbA1c over behandlingsmål", evidence, "DM-02", latest.day)


def hba1c_missing(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """DM-01: a type 2 diabetic without an HbA1c within 12 months."""
    diabetes = type_2_diabetes(facts, as_of)
    last = facts.latest("hba1c", as_of)
    if not diabetes or (last is not None and within_months(last.day, as_of, HBA1C_MONTHS)):
        return None
    evidence = diagnosis_text(diabetes[0])
    if last is None:
        return AttentionItem("medium", "Ingen HbA1c registreret", evidence, "DM-01", diabetes[0].onset)
    months = whole_months_between(last.day, as_of)
    title = f"Ingen HbA1c i {months} måneder (seneste {dk_date(last.day)})"
    evidence = f"{evidence}; seneste {value_text(last)}, {dk_date(last.day)}"
    return AttentionItem("medium", title, evidence, "DM-01", add_months(last.day, HBA1C_MONTHS))


# --- ischaemic heart disease (DOMAIN.md: secondary prevention is statin + antiplatelet; IHD-01) ------------


def ihd_without_statin(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    ihd = diagnosed(facts, as_of, vs.ISCHAEMIC_HEART_DISEASE)
    if not ihd or active_drugs_in(facts, as_of, vs.STATIN):
        return None
    onsets = [c.onset for c in ihd if c.onset is not None]
    since = min(onsets) if onsets else None
    evidence = f"{diagnosis_text(ihd[0])}; ingen aktiv statin ({vs.STATIN.label})"
    stopped = medication_periods(drugs_in(facts, vs.STATIN), as_of)
    if stopped:
        last_day = stopped[-1].end
        evidence += f", seneste statin til {dk_date(last_day)}"
        since = max(since or last_day, last_day + timedelta(days=1))
    return AttentionItem("medium", "Iskæmisk hjertesygdom uden statin", evidence, "IHD-01", since)


# --- dangerous combinations (DOMAIN.md "Dangerous drug combinations", PINCER; SAFE-02..SAFE-04) ------------


def nsaid_with_anticoagulant(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """SAFE-03 (PINCER D): NSAID and oral anticoagulant taken together now."""
    groups = (vs.NSAID, vs.ORAL_ANTICOAGULANT)
    overlap = latest_overlap(facts, as_of, groups)
    if overlap is None or overlap.end != as_of:
        return None
    title = f"NSAID + antikoagulans{since_text(overlap)}"
    return AttentionItem("high", title, drugs_text(facts, as_of, groups), "SAFE-03", overlap.start)


def triple_whammy(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """SAFE-02: NSAID + ACE inhibitor/ARB + diuretic taken together now; high when eGFR < 45 (PINCER K)."""
    groups = (vs.NSAID, vs.ACE_INHIBITOR_OR_ARB, vs.DIURETIC)
    overlap = latest_overlap(facts, as_of, groups)
    if overlap is None or overlap.end != as_of:
        return None
    evidence = drugs_text(facts, as_of, groups)
    egfr = facts.latest("egfr", as_of)
    severity: Severity = "medium"
    if egfr is not None and egfr.value is not None:
        evidence += f"; seneste {value_text(egfr)}, {dk_date(egfr.day)}"
        recent = within_months(egfr.day, as_of, EGFR_RECENT_MONTHS)
        severity = "high" if recent and egfr.value < TRIPLE_WHAMMY_EGFR else "medium"
    title = f"NSAID + ACE-hæmmer/ARB + diuretikum{since_text(overlap)}"
    return AttentionItem(severity, title, evidence, "SAFE-02", overlap.start)


def methotrexate_with_trimethoprim(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """SAFE-04: methotrexate and trimethoprim (± sulfamethoxazole) overlapping within the last 3 months:
    a short trimethoprim course that ended last month still matters (bone-marrow depression)."""
    groups = (vs.METHOTREXATE, vs.TRIMETHOPRIM)
    overlap = latest_overlap(facts, as_of, groups)
    if overlap is None or not within_months(overlap.end, as_of, COMBINATION_MONTHS):
        return None
    if overlap.end == as_of:
        title = f"Methotrexat + trimethoprim{since_text(overlap)}"
    else:
        title = f"Methotrexat + trimethoprim {period_text(overlap)}"
    evidence = "; ".join(drug_text(m) for m in [*drugs_in(facts, groups[0]), *drugs_in(facts, groups[1])])
    return AttentionItem("high", title, evidence, "SAFE-04", overlap.start)


# --- monitoring (PINCER MO_P13; SAFE-05) ----------------------------------------------------------------


def renal_monitoring_missing(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """SAFE-05: 75 or over, on ACE inhibitor/ARB or loop diuretic for at least 15 months, without both
    a renal function test (creatinine or eGFR) and potassium within 15 months (DOMAIN.md table, row 12)."""
    age = facts.age_on(as_of)
    if age is None or age < RENAL_MONITORING_AGE:
        return None
    long_term_since = months_before(as_of, RENAL_MONITORING_MONTHS)
    drugs = drugs_in(facts, vs.ACE_ARB_OR_LOOP_DIURETIC)
    current = [p for p in medication_periods(drugs, as_of) if p.end == as_of and p.start <= long_term_since]
    if not current:
        return None
    renal = last_of(facts, as_of, "creatinine", "egfr")
    potassium = last_of(facts, as_of, "potassium")
    if taken_within(renal, as_of, RENAL_MONITORING_MONTHS) and taken_within(
        potassium, as_of, RENAL_MONITORING_MONTHS
    ):
        return None
    evidence = "; ".join(drug_text(m) for m in drugs if m.active_on(as_of))
    evidence += f"; seneste nyretal: {when_text(renal)}, seneste kalium: {when_text(potassium)}"
    tested = [r.day for r in (renal, potassium) if r is not None]
    since = add_months(min(tested), RENAL_MONITORING_MONTHS) if len(tested) == 2 else None
    return AttentionItem(
        "medium", "Nyretal og kalium ikke kontrolleret i 15 måneder", evidence, "SAFE-05", since
    )


# --- polypharmacy (DOMAIN.md "Polypharmacy": >= 10 is "udtalt polyfarmaci"; POLY-01) ------------------------


def polypharmacy(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """Low severity on purpose: DSAM holds that polypharmacy alone is no quality indicator; it is a prompt
    for a medication review."""
    substances = active_atc_substances(facts, as_of)
    if len(substances) < POLYPHARMACY_SUBSTANCES:
        return None
    title = f"Udtalt polyfarmaci: {len(substances)} aktive lægemidler"
    evidence = f"{len(substances)} forskellige aktive stoffer (ATC); overvej medicingennemgang"
    return AttentionItem("low", title, evidence, "POLY-01", None)


# --- admissions (DOMAIN.md "Patients with many admissions", a proposal; UTIL-01) ----------------------------


def many_admissions(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """At least 2 admissions, or 3 admissions and emergency visits together, starting within 12 months.
    The store does not tell acute from planned admissions, so every admission counts."""
    held = [
        (e.start, e)
        for e in facts.encounters
        if e.kind in ACUTE_KINDS
        and e.start is not None
        and e.status not in ENCOUNTER_DID_NOT_HAPPEN
        and within_months(e.start.date(), as_of, ADMISSION_MONTHS)
    ]
    # By start only: two contacts at one moment (an emergency visit and its admission) do not compare.
    contacts = [(start.date(), e) for start, e in sorted(held, key=lambda contact: contact[0])]
    admissions = [(day, e) for day, e in contacts if e.kind == "inpatient"]
    if len(admissions) < MIN_ADMISSIONS and len(contacts) < MIN_ACUTE_CONTACTS:
        return None
    emergencies = len(contacts) - len(admissions)
    title = f"{len(admissions)} {'indlæggelse' if len(admissions) == 1 else 'indlæggelser'}"
    title += f" og {emergencies} akutbesøg" if emergencies else ""
    parts = [f"indlagt {dk_date(day)}{stay_text(e)}" for day, e in admissions]
    parts += [f"akutmodtagelse {dk_date(day)}" for day, e in contacts if e.kind == "emergency"]
    since = _threshold_day([(day, e.kind) for day, e in contacts])
    return AttentionItem("medium", f"{title} på 12 måneder", "; ".join(parts), "UTIL-01", since)


# --- annual control (årskontrol) overdue: COPD, hypertension, IHD (docs/attention.md) ---------------------


@dataclass(frozen=True, slots=True)
class AnnualControl:
    """What the annual control of one chronic disease records: the panel takes its last measurement as the
    last control (a consultation without a measurement is not recognisable as a control in the data)."""

    disease: str  # in the title: "Årskontrol for KOL"
    diagnoses: vs.DiagnosisSet
    measurements: tuple[vs.MeasurementSet, ...]
    measured: str  # in the title: "seneste spirometri"


COPD_CONTROL: Final = AnnualControl(
    "KOL", vs.CHRONIC_OBSTRUCTIVE_PULMONARY_DISEASE, (vs.SPIROMETRY,), "spirometri"
)
HYPERTENSION_CONTROL: Final = AnnualControl("hypertension", vs.HYPERTENSION, (vs.BLOOD_PRESSURE,), "blodtryk")
IHD_CONTROL: Final = AnnualControl(
    "iskæmisk hjertesygdom",
    vs.ISCHAEMIC_HEART_DISEASE,
    (vs.BLOOD_PRESSURE, vs.LDL_CHOLESTEROL),
    "blodtryk eller LDL",
)


def annual_control_overdue(
    control: AnnualControl, rule_id: str, facts: PatientFacts, as_of: date
) -> AttentionItem | None:
    """Active disease and no measurement of the control within 13 months (the last one, if any, was taken
    on or before the day 13 months back)."""
    diagnoses = diagnosed(facts, as_of, control.diagnoses)
    if not diagnoses:
        return None
    last = last_measurement(facts, as_of, control.measurements)
    if last is not None and within_months(last.day, as_of, ANNUAL_CONTROL_MONTHS):
        return None
    evidence = diagnosis_text(diagnoses[0])
    if last is None:
        title = f"Årskontrol for {control.disease}: ingen {control.measured} registreret"
        onsets = [c.onset for c in diagnoses if c.onset is not None]
        since = add_months(min(onsets), ANNUAL_CONTROL_MONTHS) if onsets else None
        return AttentionItem("medium", title, evidence, rule_id, since)
    title = (
        f"Årskontrol for {control.disease} over {ANNUAL_CONTROL_MONTHS} måneder siden"
        f" (seneste {control.measured} {dk_date(last.day)})"
    )
    evidence = f"{evidence}; seneste {value_text(last)}, {dk_date(last.day)}"
    return AttentionItem("medium", title, evidence, rule_id, add_months(last.day, ANNUAL_CONTROL_MONTHS))


def copd_control_overdue(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """Spirometry (FEV1, FEV1/FVC or FVC): DrKOL indicator 1, FEV1 recorded at least once a year."""
    return annual_control_overdue(COPD_CONTROL, "CTRL-COPD-13M", facts, as_of)


def hypertension_control_overdue(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """Blood pressure (systolic, clinic or home): what every hypertension control measures."""
    return annual_control_overdue(HYPERTENSION_CONTROL, "CTRL-HT-13M", facts, as_of)


def ihd_control_overdue(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """Blood pressure or LDL cholesterol: the risk factors the secondary-prevention control follows."""
    return annual_control_overdue(IHD_CONTROL, "CTRL-IHD-13M", facts, as_of)


# --- lab values (clinical thresholds from the issue; not in DOMAIN.md, so unverified) ----------------------


def potassium_high(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """The latest potassium, taken within 3 months, is above 5.5."""
    latest = facts.latest("potassium", as_of)
    if latest is None or latest.value is None or latest.value <= POTASSIUM_HIGH:
        return None
    if not within_months(latest.day, as_of, POTASSIUM_RECENT_MONTHS):
        return None
    evidence = f"{value_text(latest)}, {dk_date(latest.day)}{range_text(latest)}"
    return AttentionItem("high", "Højt kalium (> 5,5 mmol/L)", evidence, "LAB-K-HIGH", latest.day)


def egfr_low(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """The latest eGFR, taken within 12 months, is below 30."""
    latest = facts.latest("egfr", as_of)
    if latest is None or latest.value is None or latest.value >= EGFR_LOW:
        return None
    if not within_months(latest.day, as_of, EGFR_RECENT_MONTHS):
        return None
    evidence = f"{value_text(latest)}, {dk_date(latest.day)}; gennemgå doser af nyreudskilte lægemidler"
    return AttentionItem("medium", "eGFR under 30", evidence, "LAB-EGFR-LOW", latest.day)


RULES: Final[tuple[tuple[str, Rule], ...]] = (
    ("LAB-K-HIGH", potassium_high),
    ("SAFE-03", nsaid_with_anticoagulant),
    ("SAFE-04", methotrexate_with_trimethoprim),
    ("SAFE-02", triple_whammy),
    ("DM-02/03", hba1c_above_target),
    ("DM-01", hba1c_missing),
    ("SAFE-05", renal_monitoring_missing),
    ("LAB-EGFR-LOW", egfr_low),
    ("IHD-01", ihd_without_statin),
    ("CTRL-COPD-13M", copd_control_overdue),
    ("CTRL-HT-13M", hypertension_control_overdue),
    ("CTRL-IHD-13M", ihd_control_overdue),
    ("UTIL-01", many_admissions),
    ("POLY-01", polypharmacy),
)

# Each rule's concern. The packs' indicators name the same keys (``concern:``), so a rule and an indicator
# about the same thing are one item. Within a severity, concerns are listed in this order.
RULE_CONCERNS: Final[dict[str, str]] = {
    "LAB-K-HIGH": "potassium-high",
    "SAFE-03": "nsaid-anticoagulant",
    "SAFE-04": "methotrexate-trimethoprim",
    "SAFE-02": "triple-whammy",
    "DM-03": "hba1c",
    "DM-02": "hba1c",
    "DM-01": "hba1c",
    "SAFE-05": "renal-monitoring",
    "LAB-EGFR-LOW": "egfr-low",
    "IHD-01": "ihd-statin",
    "CTRL-COPD-13M": "copd-annual-control",
    "CTRL-HT-13M": "blood-pressure-control",
    "CTRL-IHD-13M": "ihd-annual-control",
    "UTIL-01": "admissions",
    "POLY-01": "polypharmacy",
}
# An overdue annual control says more than "no measurement in 12 months" (it says since when), so it is
# the item shown when both find the patient; the indicators are shown while the control is not yet overdue.
RULE_SUPERSEDES: Final[dict[str, tuple[str, ...]]] = {
    "CTRL-COPD-13M": ("COPD-SPIRO-12M",),
    "CTRL-HT-13M": ("HT-BP-12M", "DM-BP-12M"),
}


def _threshold_day(contacts: list[tuple[date, str]]) -> date | None:
    """The day the admissions count (or the acute contacts count) reached its threshold."""
    admissions = 0
    for number, (day, kind) in enumerate(contacts, start=1):
        admissions += kind == "inpatient"
        if admissions >= MIN_ADMISSIONS or number >= MIN_ACUTE_CONTACTS:
            return day
    return None
