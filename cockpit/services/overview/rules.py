"""The attention panel: what needs action for this patient, with the reason and the evidence.

``AttentionSource`` is the interface the overview asks. ``RuleBasedAttention`` answers it from a small set
of rules over the facts already loaded for the overview, until the indicator engine (cockpit/indicators)
implements it by patient id. Rule ids are the indicator ids of ../shared/domain/indicators-reference.yaml
where one matches, so a GP sees the same id when the engine takes over.

Texts are Danish, dates dd-mm-yyyy, numbers with a decimal comma. A rule reads only the facts it is given.

One item per concern (docs/attention.md): each rule has a concern key (``RULE_CONCERNS``), as the packs'
indicators have (``concern:`` in a pack); of the items found for one concern only the most specific (not
superseded by another item found) and then the most severe is shown. Items are listed by severity, then by
concern in the order of ``RULE_CONCERNS`` (what to act on first).
"""

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Final, Literal, Protocol

from cockpit.models.months import add_months, dk_date, months_before, whole_months_between, within_months
from cockpit.services.overview import valuesets as vs
from cockpit.services.overview.facts import (
    ENCOUNTER_DID_NOT_HAPPEN,
    ConditionFact,
    EncounterFact,
    LabResult,
    MedicationFact,
    PatientFacts,
    Period,
    active_atc_substances,
    end_of,
    length_of_stay,
    medication_periods,
)
from cockpit.services.overview.labcatalogue import KEY_TEST_BY_KEY, format_number, target_context, target_for

log = logging.getLogger(__name__)

Severity = Literal["high", "medium", "low"]
SEVERITY_RANK: Final[dict[Severity, int]] = {"high": 0, "medium": 1, "low": 2}

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


@dataclass(frozen=True, slots=True)
class AttentionItem:
    severity: Severity
    title: str
    evidence: str
    rule_id: str
    since: date | None  # from when the finding holds, where the data tell
    # What the item is about (one item per concern); empty: its own rule id. ``supersedes``: the rules and
    # indicators this item says better when both find the patient. Filled in by the source, not the rule.
    concern: str = ""
    supersedes: tuple[str, ...] = ()

    @property
    def concern_key(self) -> str:
        return self.concern or self.rule_id


class AttentionSource(Protocol):
    def attention_for(self, facts: PatientFacts, as_of: date) -> list[AttentionItem]:
        """What needs action for ``facts.patient_id`` on ``as_of``, most severe first."""
        ...


Rule = Callable[[PatientFacts, date], AttentionItem | None]


class RuleBasedAttention:
    """``AttentionSource`` from ``RULES`` (or the rules given). A rule that fails is logged by its id and
    left out, so one faulty rule cannot take the overview down."""

    def __init__(self, rules: Sequence[tuple[str, Rule]] | None = None) -> None:
        self._rules = tuple(RULES if rules is None else rules)

    def attention_for(self, facts: PatientFacts, as_of: date) -> list[AttentionItem]:
        items = []
        for rule_id, rule in self._rules:
            try:
                item = rule(facts, as_of)
            except Exception as error:  # the panel still shows what the other rules found
                log.error("attention rule %s failed: %s", rule_id, type(error).__name__)
                continue
            if item is not None:
                items.append(with_concern(item))
        return one_per_concern(items)


# --- diabetes (DOMAIN.md "Type 2 diabetes"; indicators DM-01..DM-03) ----------------------------------------


def hba1c_above_target(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """DM-02 / DM-03: a type 2 diabetic whose latest HbA1c within 12 months does not meet the patient's
    HbA1c target of the targets file (the cluster's cut-off, ≤ 53; the overview shows the same); >= 75:
    high."""
    diabetes = _type_2_diabetes(facts, as_of)
    latest = facts.latest("hba1c", as_of)
    if not diabetes or latest is None or latest.value is None:
        return None
    active = ((c.system, c.code) for c in facts.active_conditions(as_of))
    target = target_for("hba1c", target_context(facts.age_on(as_of), active))
    if target is None or not within_months(latest.day, as_of, HBA1C_MONTHS) or target.met_by(latest.value):
        return None
    goal = f"mål {target.sign} {format_number(target.limit, 0)} ({target.reason.da})"
    evidence = f"{_value(latest)}, {dk_date(latest.day)}, {goal}"
    if latest.value >= HBA1C_VERY_HIGH:
        return AttentionItem("high", "HbA1c meget højt (≥ 75 mmol/mol)", evidence, "DM-03", latest.day)
    return AttentionItem("medium", "HbA1c over behandlingsmål", evidence, "DM-02", latest.day)


def hba1c_missing(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """DM-01: a type 2 diabetic without an HbA1c within 12 months."""
    diabetes = _type_2_diabetes(facts, as_of)
    last = facts.latest("hba1c", as_of)
    if not diabetes or (last is not None and within_months(last.day, as_of, HBA1C_MONTHS)):
        return None
    evidence = _diagnosis_text(diabetes[0])
    if last is None:
        return AttentionItem("medium", "Ingen HbA1c registreret", evidence, "DM-01", diabetes[0].onset)
    months = whole_months_between(last.day, as_of)
    title = f"Ingen HbA1c i {months} måneder (seneste {dk_date(last.day)})"
    evidence = f"{evidence}; seneste {_value(last)}, {dk_date(last.day)}"
    return AttentionItem("medium", title, evidence, "DM-01", add_months(last.day, HBA1C_MONTHS))


# --- ischaemic heart disease (DOMAIN.md: secondary prevention is statin + antiplatelet; IHD-01) ------------


def ihd_without_statin(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    ihd = _active(facts, as_of, vs.ISCHAEMIC_HEART_DISEASE)
    if not ihd or _active_drugs(facts, as_of, vs.STATIN):
        return None
    onsets = [c.onset for c in ihd if c.onset is not None]
    since = min(onsets) if onsets else None
    evidence = f"{_diagnosis_text(ihd[0])}; ingen aktiv statin ({vs.STATIN.label})"
    stopped = medication_periods(_drugs(facts, vs.STATIN), as_of)
    if stopped:
        last_day = stopped[-1].end
        evidence += f", seneste statin til {dk_date(last_day)}"
        since = max(since or last_day, last_day + timedelta(days=1))
    return AttentionItem("medium", "Iskæmisk hjertesygdom uden statin", evidence, "IHD-01", since)


# --- dangerous combinations (DOMAIN.md "Dangerous drug combinations", PINCER; SAFE-02..SAFE-04) ------------


def nsaid_with_anticoagulant(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """SAFE-03 (PINCER D): NSAID and oral anticoagulant taken together now."""
    groups = (vs.NSAID, vs.ORAL_ANTICOAGULANT)
    overlap = _latest_overlap(facts, as_of, groups)
    if overlap is None or overlap.end != as_of:
        return None
    title = f"NSAID + antikoagulans{_since_text(overlap)}"
    return AttentionItem("high", title, _drugs_text(facts, as_of, groups), "SAFE-03", overlap.start)


def triple_whammy(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """SAFE-02: NSAID + ACE inhibitor/ARB + diuretic taken together now; high when eGFR < 45 (PINCER K)."""
    groups = (vs.NSAID, vs.ACE_INHIBITOR_OR_ARB, vs.DIURETIC)
    overlap = _latest_overlap(facts, as_of, groups)
    if overlap is None or overlap.end != as_of:
        return None
    evidence = _drugs_text(facts, as_of, groups)
    egfr = facts.latest("egfr", as_of)
    severity: Severity = "medium"
    if egfr is not None and egfr.value is not None:
        evidence += f"; seneste {_value(egfr)}, {dk_date(egfr.day)}"
        recent = within_months(egfr.day, as_of, EGFR_RECENT_MONTHS)
        severity = "high" if recent and egfr.value < TRIPLE_WHAMMY_EGFR else "medium"
    title = f"NSAID + ACE-hæmmer/ARB + diuretikum{_since_text(overlap)}"
    return AttentionItem(severity, title, evidence, "SAFE-02", overlap.start)


def methotrexate_with_trimethoprim(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """SAFE-04: methotrexate and trimethoprim (± sulfamethoxazole) overlapping within the last 3 months:
    a short trimethoprim course that ended last month still matters (bone-marrow depression)."""
    groups = (vs.METHOTREXATE, vs.TRIMETHOPRIM)
    overlap = _latest_overlap(facts, as_of, groups)
    if overlap is None or not within_months(overlap.end, as_of, COMBINATION_MONTHS):
        return None
    if overlap.end == as_of:
        title = f"Methotrexat + trimethoprim{_since_text(overlap)}"
    else:
        title = f"Methotrexat + trimethoprim {_period_text(overlap)}"
    evidence = "; ".join(_drug_text(m) for m in [*_drugs(facts, groups[0]), *_drugs(facts, groups[1])])
    return AttentionItem("high", title, evidence, "SAFE-04", overlap.start)


# --- monitoring (PINCER MO_P13; SAFE-05) ----------------------------------------------------------------


def renal_monitoring_missing(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """SAFE-05: 75 or over, on ACE inhibitor/ARB or loop diuretic for at least 15 months, without both
    a renal function test (creatinine or eGFR) and potassium within 15 months (DOMAIN.md table, row 12)."""
    age = facts.age_on(as_of)
    if age is None or age < RENAL_MONITORING_AGE:
        return None
    long_term_since = months_before(as_of, RENAL_MONITORING_MONTHS)
    drugs = _drugs(facts, vs.ACE_ARB_OR_LOOP_DIURETIC)
    current = [p for p in medication_periods(drugs, as_of) if p.end == as_of and p.start <= long_term_since]
    if not current:
        return None
    renal = _last_of(facts, as_of, "creatinine", "egfr")
    potassium = _last_of(facts, as_of, "potassium")
    if _recent(renal, as_of, RENAL_MONITORING_MONTHS) and _recent(potassium, as_of, RENAL_MONITORING_MONTHS):
        return None
    evidence = "; ".join(_drug_text(m) for m in drugs if m.active_on(as_of))
    evidence += f"; seneste nyretal: {_when(renal)}, seneste kalium: {_when(potassium)}"
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
    parts = [f"indlagt {dk_date(day)}{_stay(e)}" for day, e in admissions]
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
    diagnoses = _active(facts, as_of, control.diagnoses)
    if not diagnoses:
        return None
    last = _last_measurement(facts, as_of, control.measurements)
    if last is not None and within_months(last.day, as_of, ANNUAL_CONTROL_MONTHS):
        return None
    evidence = _diagnosis_text(diagnoses[0])
    if last is None:
        title = f"Årskontrol for {control.disease}: ingen {control.measured} registreret"
        onsets = [c.onset for c in diagnoses if c.onset is not None]
        since = add_months(min(onsets), ANNUAL_CONTROL_MONTHS) if onsets else None
        return AttentionItem("medium", title, evidence, rule_id, since)
    title = (
        f"Årskontrol for {control.disease} over {ANNUAL_CONTROL_MONTHS} måneder siden"
        f" (seneste {control.measured} {dk_date(last.day)})"
    )
    evidence = f"{evidence}; seneste {_value(last)}, {dk_date(last.day)}"
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
    evidence = f"{_value(latest)}, {dk_date(latest.day)}{_range_text(latest)}"
    return AttentionItem("high", "Højt kalium (> 5,5 mmol/L)", evidence, "LAB-K-HIGH", latest.day)


def egfr_low(facts: PatientFacts, as_of: date) -> AttentionItem | None:
    """The latest eGFR, taken within 12 months, is below 30."""
    latest = facts.latest("egfr", as_of)
    if latest is None or latest.value is None or latest.value >= EGFR_LOW:
        return None
    if not within_months(latest.day, as_of, EGFR_RECENT_MONTHS):
        return None
    evidence = f"{_value(latest)}, {dk_date(latest.day)}; gennemgå doser af nyreudskilte lægemidler"
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
CONCERN_ORDER: Final = {concern: n for n, concern in enumerate(dict.fromkeys(RULE_CONCERNS.values()))}


def with_concern(item: AttentionItem) -> AttentionItem:
    """The rule's item with its concern and what it supersedes (``RULE_CONCERNS``, ``RULE_SUPERSEDES``)."""
    return replace(
        item,
        concern=RULE_CONCERNS.get(item.rule_id, item.rule_id),
        supersedes=RULE_SUPERSEDES.get(item.rule_id, ()),
    )


def one_per_concern(items: Sequence[AttentionItem]) -> list[AttentionItem]:
    """One item per concern, listed by severity, then concern (``CONCERN_ORDER``, then by name).

    Of a concern's items, those another item of the concern supersedes are left out (unless that would
    leave none: a cycle); of the rest the most severe is kept, the earlier one on a tie (callers put the
    indicators' items first)."""
    by_concern: dict[str, list[AttentionItem]] = {}
    for item in items:
        by_concern.setdefault(item.concern_key, []).append(item)
    kept = []
    for group in by_concern.values():
        superseded = {rule_id for item in group for rule_id in item.supersedes if rule_id != item.rule_id}
        candidates = [item for item in group if item.rule_id not in superseded] or group
        kept.append(min(candidates, key=lambda item: SEVERITY_RANK[item.severity]))
    return sorted(kept, key=_panel_order)


def _panel_order(item: AttentionItem) -> tuple[int, int, str]:
    concern = item.concern_key
    return SEVERITY_RANK[item.severity], CONCERN_ORDER.get(concern, len(CONCERN_ORDER)), concern


# --- helpers ----------------------------------------------------------------------------------------------


def _active(facts: PatientFacts, as_of: date, diagnoses: vs.DiagnosisSet) -> list[ConditionFact]:
    return [c for c in facts.active_conditions(as_of) if diagnoses.matches(c.system, c.code)]


def _type_2_diabetes(facts: PatientFacts, as_of: date) -> list[ConditionFact]:
    """Active type 2 diabetes diagnoses, none when type 1 diabetes is active too (as DM-HBA1C-12M)."""
    if _active(facts, as_of, vs.TYPE_1_DIABETES):
        return []
    return _active(facts, as_of, vs.TYPE_2_DIABETES)


def _drugs(facts: PatientFacts, group: vs.AtcGroup) -> list[MedicationFact]:
    return [m for m in facts.medications if m.atc is not None and group.matches(m.atc)]


def _active_drugs(facts: PatientFacts, as_of: date, group: vs.AtcGroup) -> list[MedicationFact]:
    return [m for m in _drugs(facts, group) if m.active_on(as_of)]


def _latest_overlap(facts: PatientFacts, as_of: date, groups: Iterable[vs.AtcGroup]) -> Period | None:
    """The latest stretch of days on which a drug of every group was taken (up to ``as_of``)."""
    overlaps: list[Period] | None = None
    for group in groups:
        periods = medication_periods(_drugs(facts, group), as_of)
        overlaps = periods if overlaps is None else _intersections(overlaps, periods)
        if not overlaps:
            return None
    return max(overlaps, key=lambda p: (p.end, p.start)) if overlaps else None


def _intersections(first: list[Period], second: list[Period]) -> list[Period]:
    found = []
    for a in first:
        for b in second:
            start, end = max(a.start, b.start), min(a.end, b.end)
            if start <= end:
                found.append(Period(start, end))
    return found


def _last_of(facts: PatientFacts, as_of: date, *keys: str) -> LabResult | None:
    latest = [r for key in keys if (r := facts.latest(key, as_of)) is not None]
    return max(latest, key=lambda r: r.effective) if latest else None


def _last_measurement(
    facts: PatientFacts, as_of: date, measurements: Iterable[vs.MeasurementSet]
) -> LabResult | None:
    """The latest result (up to ``as_of``) of any of the sets, whatever its unit or key."""
    sets = tuple(measurements)
    end = end_of(as_of)
    found = [
        result
        for series in facts.results.values()
        for result in series
        if result.effective <= end and any(s.matches(result.system, result.code) for s in sets)
    ]
    return max(found, key=lambda r: r.effective) if found else None


def _recent(result: LabResult | None, as_of: date, months: int) -> bool:
    return result is not None and within_months(result.day, as_of, months)


def _threshold_day(contacts: list[tuple[date, str]]) -> date | None:
    """The day the admissions count (or the acute contacts count) reached its threshold."""
    admissions = 0
    for number, (day, kind) in enumerate(contacts, start=1):
        admissions += kind == "inpatient"
        if admissions >= MIN_ADMISSIONS or number >= MIN_ACUTE_CONTACTS:
            return day
    return None


def _since_text(overlap: Period) -> str:
    return f" siden {dk_date(overlap.start)}"


def _period_text(overlap: Period) -> str:
    return f"{dk_date(overlap.start)} – {dk_date(overlap.end)}"


def _value(result: LabResult) -> str:
    test = KEY_TEST_BY_KEY.get(result.key)
    decimals = test.decimals if test is not None else 1
    number = result.text or format_number(result.value or 0.0, decimals)
    return f"{result.name} {number} {result.unit or ''}".rstrip()


def _range_text(result: LabResult) -> str:
    if result.ref_low is None or result.ref_high is None:
        return ""
    return f" (ref. {format_number(result.ref_low, 1)}–{format_number(result.ref_high, 1)})"


def _when(result: LabResult | None) -> str:
    return "aldrig" if result is None else dk_date(result.day)


def _stay(admission: EncounterFact) -> str:
    days = length_of_stay(admission)
    return "" if days is None else f" ({days} {'dag' if days == 1 else 'dage'})"


def _diagnosis_text(condition: ConditionFact) -> str:
    text = f"{condition.display or condition.code} ({condition.code})"
    return f"{text} siden {dk_date(condition.onset)}" if condition.onset else text


def _drug_text(drug: MedicationFact) -> str:
    name = " ".join(part for part in (drug.drug_name, drug.strength) if part)
    start = f" fra {dk_date(drug.start)}" if drug.start else ""
    end = f" til {dk_date(drug.end)}" if drug.end else ""
    return f"{name} ({drug.atc}){start}{end}"


def _drugs_text(facts: PatientFacts, as_of: date, groups: Iterable[vs.AtcGroup]) -> str:
    return "; ".join(_drug_text(m) for group in groups for m in _active_drugs(facts, as_of, group))
