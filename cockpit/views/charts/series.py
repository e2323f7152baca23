"""Input and wording for the trend chart; plain Python, no Qt, so the clinical text is easy to test."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from cockpit.views.charts.formatting import format_date, format_number, format_quantity


@dataclass(frozen=True)
class TrendSeries:
    """One lab value over time. Times are naive datetimes meaning UTC; values are in ``unit``.

    ``decimals`` is how the value is printed (HbA1c 0, eGFR 0, P-kalium 1) and also the precision at which
    a value is compared with the reference range and the target, so a printed "6,0" is never flagged
    as above an upper limit of 6,0.
    """

    title: str
    unit: str
    points: Sequence[tuple[datetime, float]]
    ref_low: float | None = None
    ref_high: float | None = None
    target: float | None = None
    target_label: str | None = None
    decimals: int = 1

    def sorted_points(self) -> list[tuple[datetime, float]]:
        return sorted(self.points, key=lambda point: point[0])

    def quantity(self, value: float) -> str:
        return format_quantity(value, self.unit, self.decimals)

    def number(self, value: float) -> str:
        return format_number(value, self.decimals)

    def rounded(self, value: float) -> float:
        return round(value, self.decimals)

    def target_text(self) -> str:
        if self.target_label:
            return self.target_label
        return f"Mål {self.number(self.target)}" if self.target is not None else ""


class RangeStatus(Enum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


def range_status(series: TrendSeries, value: float) -> RangeStatus:
    shown = series.rounded(value)
    if series.ref_low is not None and shown < series.ref_low:
        return RangeStatus.LOW
    if series.ref_high is not None and shown > series.ref_high:
        return RangeStatus.HIGH
    return RangeStatus.NORMAL


def point_tooltip(series: TrendSeries, when: datetime, value: float) -> str:
    """'02-03-2026: 71 mmol/mol'."""
    return f"{format_date(when)}: {series.quantity(value)}"


def _comparison(series: TrendSeries, value: float) -> str:
    if series.target is not None:
        shown, target = series.rounded(value), series.rounded(series.target)
        where = "over" if shown > target else "under" if shown < target else "på"
        return f" ({where} målet {series.number(series.target)})"
    status = range_status(series, value)
    if status is RangeStatus.NORMAL:
        return ""
    where = "over" if status is RangeStatus.HIGH else "under"
    if series.ref_low is not None and series.ref_high is not None:
        limits = f"{series.number(series.ref_low)}–{series.number(series.ref_high)}"
        return f" ({where} referenceintervallet {limits})"
    limit = series.ref_high if status is RangeStatus.HIGH else series.ref_low
    return f" ({where} referencegrænsen {series.number(limit or 0.0)})"


def summary_text(series: TrendSeries | None) -> str:
    """'HbA1c: 6 målinger fra 03-01-2024 til 02-03-2026, seneste 71 mmol/mol (over målet 53)'."""
    if series is None:
        return "Ingen målinger"
    points = series.sorted_points()
    if not points:
        return f"{series.title}: ingen målinger"
    (first, _), (last, latest) = points[0], points[-1]
    comparison = _comparison(series, latest)
    if len(points) == 1:
        return f"{series.title}: 1 måling den {format_date(last)}: {series.quantity(latest)}{comparison}"
    return (
        f"{series.title}: {len(points)} målinger fra {format_date(first)} til {format_date(last)}, "
        f"seneste {series.quantity(latest)}{comparison}"
    )
