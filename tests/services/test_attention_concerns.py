"""One item per concern (issue 16 item 5): the built-in rules among themselves and merged with the cluster's
indicators (``IndicatorAttention``), the most specific and then the most severe item kept, listed by
severity, then concern. Expectations hand-checked from the definitions; AS_OF 01-09-2026."""

from datetime import date

from cockpit.indicators.engine import Hit, IndicatorResult
from cockpit.indicators.registry import builtin_packs
from cockpit.services.overview import rules as att
from cockpit.services.overview.attention import (
    RULES_COVERED_BY,
    IndicatorAttention,
    RuleBasedAttention,
    one_per_concern,
)
from cockpit.services.overview.facts import PatientFacts
from cockpit.services.overview.items import AttentionItem
from cockpit.services.risk import RiskList, RiskSnapshot
from tests.services.factories import AS_OF, condition, encounter, facts, medication, observation

INDICATORS = {i.id: i for pack in builtin_packs() for i in pack.indicators}
# Ten distinct substances, none that SAFE-05 or another rule reads (no ACE inhibitor, diuretic, NSAID).
TEN = ["A10BA02", "C10AA05", "B01AC06", "C07AB07", "N06AB10", "A02BC01", "H03AA01", "A11CC05", "M04AA01",
       "R03AC02"]  # fmt: skip


def item(severity: str, rule_id: str, concern: str = "", supersedes: tuple[str, ...] = ()) -> AttentionItem:
    return AttentionItem(severity, rule_id, "", rule_id, None, concern, supersedes)  # type: ignore[arg-type]


def snapshot(
    patient: PatientFacts, hits: dict[str, list[str]], active: list[str] | None = None
) -> RiskSnapshot:
    """The indicators ``active`` (default: those with hits), ``hits`` mapping each to its evidence lines for
    the patient."""
    ids = active if active is not None else list(hits)
    lists = [RiskList(INDICATORS[i], IndicatorResult(i, AS_OF, 1, [])) for i in ids]
    by_patient = {
        patient.patient_id: [
            (INDICATORS[i], Hit(patient.patient_id, None, "Tove Testesen", evidence))
            for i, evidence in hits.items()
        ]
    }
    return RiskSnapshot(AS_OF, tuple(lists), by_patient)


class Evaluated:
    """The risk lists evaluated already: ``IndicatorAttention`` looks the patient up in them."""

    def __init__(self, snapshot: RiskSnapshot) -> None:
        self.latest = snapshot

    def snapshot_for(self, as_of: date) -> RiskSnapshot:
        assert as_of == self.latest.as_of
        return self.latest


def panel(patient: PatientFacts, hits: dict[str, list[str]], active: list[str] | None = None) -> list[str]:
    source = IndicatorAttention(Evaluated(snapshot(patient, hits, active)))
    return [i.rule_id for i in source.attention_for(patient, AS_OF)]


# --- the merging itself -------------------------------------------------------------------------------------


def test_one_item_per_concern_the_superseding_one_then_the_most_severe() -> None:
    items = [
        item("high", "POLY-65-5", "polypharmacy"),
        item("low", "POLY-01", "polypharmacy"),
        item("high", "POLY-75-10", "polypharmacy", ("POLY-65-5",)),
        item("low", "UTIL-ED-12M", "admissions"),
        item("low", "UTIL-READMIT-30D", "admissions", ("UTIL-ADM-12M", "UTIL-ED-12M")),
        item("medium", "DM-02", "hba1c"),
        item("high", "X-1"),  # no concern: its own
    ]
    assert [i.rule_id for i in one_per_concern(items)] == [
        "POLY-75-10",  # high; polypharmacy is in the rules' concern order, X-1 is not (after it)
        "X-1",
        "DM-02",
        "UTIL-READMIT-30D",
    ]


def test_the_more_specific_item_is_kept_even_when_less_severe() -> None:
    items = [item("high", "B", "c"), item("medium", "A", "c", ("B",))]
    assert [i.rule_id for i in one_per_concern(items)] == ["A"]


def test_a_chain_of_superseding_items_keeps_the_top_and_a_cycle_keeps_one() -> None:
    chain = [item("low", "C", "c"), item("low", "B", "c", ("C",)), item("low", "A", "c", ("B",))]
    assert [i.rule_id for i in one_per_concern(chain)] == ["A"]
    cycle = [item("medium", "A", "c", ("B",)), item("high", "B", "c", ("A",))]
    assert [i.rule_id for i in one_per_concern(cycle)] == ["B"]


def test_on_a_tie_the_earlier_item_is_kept() -> None:
    assert [i.rule_id for i in one_per_concern([item("low", "A", "c"), item("low", "B", "c")])] == ["A"]


def test_within_a_severity_concerns_follow_the_rules_order() -> None:
    items = [item("medium", "UTIL-01", "admissions"), item("medium", "IHD-01", "ihd-statin"),
             item("medium", "SAFE-05", "renal-monitoring"), item("medium", "Z-9", "zzz"),
             item("medium", "A-1", "aaa")]  # fmt: skip
    assert [i.rule_id for i in one_per_concern(items)] == ["SAFE-05", "IHD-01", "UTIL-01", "A-1", "Z-9"]


def test_every_rule_has_a_concern_and_shares_it_with_the_indicator_that_covers_it() -> None:
    rule_ids = {rule_id for rule_id, _ in att.RULES} - {"DM-02/03"} | {"DM-02", "DM-03"}
    assert rule_ids == set(att.RULE_CONCERNS)
    for rule_id, indicator_id in RULES_COVERED_BY.items():
        assert INDICATORS[indicator_id].concern == att.RULE_CONCERNS[rule_id], rule_id
    for rule_id, superseded in att.RULE_SUPERSEDES.items():
        for indicator_id in superseded:
            assert INDICATORS[indicator_id].concern == att.RULE_CONCERNS[rule_id], indicator_id


# --- the rules alone ----------------------------------------------------------------------------------------


def test_the_rules_give_one_item_per_disease_control_and_list_by_severity() -> None:
    patient = facts(
        conditions=[condition("R95"), condition("K86"), condition("K76")],
        medications=[medication(atc) for atc in TEN],
        observations=[observation("NPU03230", 6.0, date(2026, 8, 1))],
    )
    items = RuleBasedAttention().attention_for(patient, AS_OF)
    assert [(i.severity, i.rule_id, i.concern) for i in items] == [
        ("high", "LAB-K-HIGH", "potassium-high"),
        ("medium", "CTRL-COPD-13M", "copd-annual-control"),
        ("medium", "CTRL-HT-13M", "blood-pressure-control"),
        ("medium", "CTRL-IHD-13M", "ihd-annual-control"),
        ("low", "POLY-01", "polypharmacy"),
    ]  # K76 with a statin (C10AA05 is among the ten): no IHD-01


# --- merged with the cluster's indicators -------------------------------------------------------------------


def test_a_patient_in_poly_75_10_is_not_also_told_poly_65_5() -> None:
    old = facts(birth_date=date(1946, 1, 1), medications=[medication(atc) for atc in TEN])
    both = {"POLY-75-10": ["10 lægemidler"], "POLY-65-5": ["10 lægemidler"]}
    assert panel(old, both) == ["POLY-75-10"]
    assert panel(old, both, active=["POLY-65-5", "POLY-75-10"]) == ["POLY-75-10"]


def test_the_polypharmacy_rule_gives_way_to_a_more_severe_indicator_of_its_concern() -> None:
    """POLY-75-10 not chosen by the cluster: the rule POLY-01 (low) and POLY-65-5 (safety: high) are one
    concern, and the more severe is shown."""
    old = facts(birth_date=date(1946, 1, 1), medications=[medication(atc) for atc in TEN])
    assert panel(old, {"POLY-65-5": ["10 lægemidler"]}) == ["POLY-65-5"]
    assert panel(old, {}, active=["POLY-65-5"]) == ["POLY-01"]  # 10 substances, though 65-5 did not hit


def test_a_readmission_is_shown_rather_than_two_admissions() -> None:
    stays = [encounter("inpatient", date(2026, 2, 3), date(2026, 2, 7)),
             encounter("inpatient", date(2026, 2, 20), date(2026, 2, 22))]  # fmt: skip
    patient = facts(encounters=stays)
    hits = {"UTIL-ADM-12M": ["2 akutte indlæggelser"], "UTIL-READMIT-30D": ["genindlagt 20-02-2026"]}
    assert panel(patient, hits) == ["UTIL-READMIT-30D"]
    assert panel(patient, {"UTIL-ADM-12M": ["2 akutte indlæggelser"]}) == ["UTIL-ADM-12M"]  # UTIL-01 covered


def test_an_overdue_annual_control_is_shown_instead_of_no_blood_pressure_in_12_months() -> None:
    overdue = facts(
        conditions=[condition("K86"), condition("T90")],
        observations=[observation("DNK05472", 150, date(2025, 5, 1), unit="mmHg"),
                      observation("NPU27300", 50, date(2026, 6, 1), unit="mmol/mol")],
    )  # fmt: skip
    hits = {"HT-BP-12M": ["ingen blodtryk"], "DM-BP-12M": ["ingen blodtryk"]}
    assert panel(overdue, hits) == ["CTRL-HT-13M"]


def test_a_blood_pressure_12_to_13_months_ago_is_the_indicators_item() -> None:
    """Measured 15-08-2025: not within 12 months (HT-BP-12M), within 13 (no overdue control). The
    diabetes and hypertension indicators say the same thing: one item, the first one (HT-BP-12M here)."""
    not_yet = facts(
        conditions=[condition("K86"), condition("T90")],
        observations=[observation("DNK05472", 150, date(2025, 8, 15), unit="mmHg"),
                      observation("NPU27300", 50, date(2026, 6, 1), unit="mmol/mol")],
    )  # fmt: skip
    assert panel(not_yet, {"HT-BP-12M": ["ingen blodtryk"], "DM-BP-12M": ["ingen blodtryk"]}) == ["HT-BP-12M"]
    assert panel(not_yet, {"DM-BP-12M": ["ingen blodtryk"], "HT-BP-12M": ["ingen blodtryk"]}) == ["DM-BP-12M"]


def test_indicator_items_carry_their_concern_and_evidence() -> None:
    patient = facts(
        conditions=[condition("R95")],
        observations=[observation("20150-9", 1.8, date(2025, 8, 20), system="http://loinc.org", unit="L")],
    )
    source = IndicatorAttention(Evaluated(snapshot(patient, {"COPD-SPIRO-12M": ["KOL: ingen spirometri"]})))
    [shown] = source.attention_for(patient, AS_OF)
    assert (shown.rule_id, shown.concern, shown.evidence, shown.severity) == (
        "COPD-SPIRO-12M", "copd-annual-control", "KOL: ingen spirometri", "medium"
    )  # fmt: skip
