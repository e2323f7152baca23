"""What the attention panel lists: one item (what needs action, the reason, the evidence), its severity, and
the interface a source of items answers (``AttentionSource``)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal, Protocol

from cockpit.services.overview.facts import PatientFacts

Severity = Literal["high", "medium", "low"]
SEVERITY_RANK: Final[dict[Severity, int]] = {"high": 0, "medium": 1, "low": 2}


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
