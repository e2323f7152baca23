"""The practice's choice: which packs and indicators are active (what its cluster chose) and the
thresholds it set where a pack allows, kept in ``<home>/indicators.json`` (private, written atomically).

Anything not mentioned is active with the pack's defaults, so a new practice starts with every built-in
indicator. A threshold is checked against the pack's range when it is set, and again when it is used: if
a newer pack narrows the range or drops the parameter, the pack's default applies (and ``problems`` says so).
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import orjson

from cockpit.errors import CockpitError
from cockpit.indicators.errors import ChoiceError
from cockpit.indicators.model import Indicator
from cockpit.store.meta import write_atomically

CHOICE_FILE: Final = "indicators.json"
FORMAT: Final = 1


@dataclass(slots=True)
class PracticeChoice:
    packs: dict[str, bool] = field(default_factory=dict)
    indicators: dict[str, bool] = field(default_factory=dict)
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def load(cls, home: Path) -> "PracticeChoice":
        path = home / CHOICE_FILE
        if not path.exists():
            return cls()
        try:
            data = orjson.loads(path.read_bytes())
            if data.get("format") != FORMAT:
                raise ValueError("unknown format")
            return cls(
                packs={str(k): bool(v) for k, v in data.get("packs", {}).items()},
                indicators={str(k): bool(v) for k, v in data.get("indicators", {}).items()},
                thresholds={
                    str(i): {str(n): float(v) for n, v in values.items()}
                    for i, values in data.get("thresholds", {}).items()
                },
            )
        except (orjson.JSONDecodeError, AttributeError, TypeError, ValueError):
            raise CockpitError(
                f"{path} (the practice's choice of indicators) is damaged; restore it from a backup or "
                "delete it to start again from all built-in indicators"
            ) from None

    def save(self, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        data: dict[str, Any] = {
            "format": FORMAT,
            "packs": dict(sorted(self.packs.items())),
            "indicators": dict(sorted(self.indicators.items())),
            "thresholds": {k: dict(sorted(v.items())) for k, v in sorted(self.thresholds.items()) if v},
        }
        write_atomically(home / CHOICE_FILE, orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")

    def is_active(self, indicator: Indicator) -> bool:
        return self.packs.get(indicator.pack_id, True) and self.indicators.get(indicator.id, True)

    def thresholds_for(self, indicator: Indicator) -> dict[str, float]:
        """The practice's valid overrides for ``indicator`` (see ``problems`` for the ignored ones)."""
        chosen = self.thresholds.get(indicator.id, {})
        return {
            name: value
            for name, value in chosen.items()
            if _threshold_problem(indicator, name, value) is None
        }

    def problems(self, indicator: Indicator) -> list[str]:
        chosen = self.thresholds.get(indicator.id, {})
        found = []
        for name, value in chosen.items():
            problem = _threshold_problem(indicator, name, value)
            if problem is not None:
                found.append(f"{indicator.id}: threshold {name}={value:g} is not used: {problem}")
        return found

    def set_threshold(self, indicator: Indicator, name: str, value: float) -> None:
        problem = _threshold_problem(indicator, name, value)
        if problem is not None:
            raise ChoiceError(f"{indicator.id}: cannot set {name} to {value:g}: {problem}")
        self.thresholds.setdefault(indicator.id, {})[name] = value

    def reset_threshold(self, indicator: Indicator, name: str) -> None:
        self.thresholds.get(indicator.id, {}).pop(name, None)


def _threshold_problem(indicator: Indicator, name: str, value: float) -> str | None:
    parameter = indicator.parameters.get(name)
    if parameter is None:
        names = ", ".join(sorted(indicator.parameters)) or "none"
        return f"the pack allows no threshold {name} (it allows: {names})"
    if not parameter.minimum <= value <= parameter.maximum:
        return f"the pack allows {parameter.minimum:g} to {parameter.maximum:g}"
    if parameter.integer and value != int(value):
        return "it must be a whole number"
    return None
