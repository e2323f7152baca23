"""The attention panel: what needs action for this patient, with the reason and the evidence.

``AttentionSource`` (items.py) is the interface the overview asks. ``RuleBasedAttention`` answers it from the
built-in rules (rules.py) over the facts already loaded for the overview; ``IndicatorAttention`` adds what
the cluster's active indicators find for the patient, looked up in the risk lists of the day, which it
asks of a ``SnapshotSource`` (the risk service, which evaluates them if they were not yet): so the panel
is the same whether or not the risk lists were loaded first.

One item per concern (docs/attention.md): each rule has a concern key (``RULE_CONCERNS``), as the packs'
indicators have (``concern:`` in a pack); of the items found for one concern only the most specific (not
superseded by another item found) and then the most severe is shown. Items are listed by severity, then by
concern in the order of ``RULE_CONCERNS`` (what to act on first).
"""

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Final, Protocol

from cockpit.services.overview.facts import PatientFacts
from cockpit.services.overview.items import SEVERITY_RANK, AttentionItem, AttentionSource, Rule, Severity
from cockpit.services.overview.rules import RULE_CONCERNS, RULE_SUPERSEDES, RULES
from cockpit.services.risk import IndicatorFindings, RiskSnapshot

log = logging.getLogger(__name__)

SEVERITY_BY_KIND: Final[dict[str, Severity]] = {
    "safety": "high",
    "outcome": "medium",
    "process": "medium",
    "utilisation": "low",
}
# Built-in attention rules that an indicator of the cluster's packs says better: while that indicator is
# active the engine's verdict is shown instead (DM-02/03 grade HbA1c more finely, so they give way only
# where the engine has a hit).
RULES_COVERED_BY: Final = {
    "DM-01": "DM-HBA1C-12M",
    "IHD-01": "IHD-STATIN",
    "SAFE-02": "SAFE-TRIPLE",
    "SAFE-03": "SAFE-NSAID-OAC",
    "SAFE-04": "SAFE-MTX-TMP",
    "SAFE-05": "SAFE-RAS-LOOP-75-MONITOR",
    "UTIL-01": "UTIL-ADM-12M",
    "POLY-01": "POLY-75-10",
}
RULES_YIELDING_TO_A_HIT: Final = {"DM-03": "DM-HBA1C-HIGH", "DM-02": "DM-HBA1C-HIGH"}


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


class SnapshotSource(Protocol):
    """The risk lists the panel looks its patients up in (``RiskService``)."""

    @property
    def latest(self) -> RiskSnapshot | None:
        """The risk lists last evaluated, if any."""
        ...

    def snapshot_for(self, as_of: date) -> RiskSnapshot:
        """The risk lists of ``as_of``, evaluated if they were not yet."""
        ...


class IndicatorAttention:
    """``AttentionSource``: the cluster's indicators (the risk lists of the day, which ``snapshots`` gives,
    evaluating them if need be) plus the built-in rules the indicators do not cover, one item per concern
    (``one_per_concern``: a patient in POLY-75-10 is not also shown POLY-65-5)."""

    def __init__(self, snapshots: SnapshotSource, rules: AttentionSource | None = None) -> None:
        self._snapshots = snapshots
        self._rules = rules if rules is not None else RuleBasedAttention()

    @property
    def snapshot(self) -> RiskSnapshot | None:
        """The risk lists last evaluated (read here, never set: they are asked for by day)."""
        return self._snapshots.latest

    def attention_for(self, facts: PatientFacts, as_of: date) -> list[AttentionItem]:
        rules = self._rules.attention_for(facts, as_of)
        findings = self._snapshots.snapshot_for(as_of).findings_for(facts.patient_id)
        return with_indicators(rules, findings)


def with_indicators(rules: Sequence[AttentionItem], findings: IndicatorFindings) -> list[AttentionItem]:
    """The rules' items merged with the indicators' findings: a rule whose indicator is active gives way
    to it (its "no" is the verdict too), the HbA1c rules give way to a DM-HBA1C-HIGH hit; then one item
    per concern, the indicator's on a tie."""
    hit_ids = {indicator.id for indicator, _ in findings.hits}
    kept = [
        item
        for item in rules
        if RULES_COVERED_BY.get(item.rule_id) not in findings.active
        and RULES_YIELDING_TO_A_HIT.get(item.rule_id) not in hit_ids
    ]
    found = [
        AttentionItem(
            severity=SEVERITY_BY_KIND.get(indicator.kind, "medium"),
            title=indicator.title.da,
            evidence="; ".join(hit.evidence),
            rule_id=indicator.id,
            since=None,
            concern=indicator.concern or indicator.id,
            supersedes=indicator.supersedes,
        )
        for indicator, hit in findings.hits
    ]
    # The indicators first: on a tie within a concern the cluster's indicator is the item kept.
    return one_per_concern(found + kept)


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
