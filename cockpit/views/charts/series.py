"""Input and wording for the trend chart; plain Python (Qt only to look up translations), so the clinical
text is easy to test. The Danish wording is the source text (context "TrendSeries")."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from PySide6.QtCore import QCoreApplication

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
        if self.target is None:
            return ""
        return QCoreApplication.translate("TrendSeries", "Mål {target}").format(
            target=self.number(self.target)
        )


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
    """The latest value against the target, else against the reference range: "(over målet 53)", or ""."""
    translate = QCoreApplication.translate
    if series.target is not None:
        shown, target = series.rounded(value), series.rounded(series.target)
        if shown > target:
            text = translate("TrendSeries", "(over målet {target})")
        elif shown < target:
            text = translate("TrendSeries", "(under målet {target})")
        else:
            text = translate("TrendSeries", "(på målet {target})")
        return text.format(target=series.number(series.target))
    status = range_status(series, value)
    if status is RangeStatus.NORMAL:
        return ""
    high = status is RangeStatus.HIGH
    if series.ref_low is not None and series.ref_high is not None:
        limits = f"{series.number(series.ref_low)}–{series.number(series.ref_high)}"
        if high:
            return translate("TrendSeries", "(over referenceintervallet {limits})").format(limits=limits)
        return translate("TrendSeries", "(under referenceintervallet {limits})").format(limits=limits)
    limit = series.number((series.ref_high if high else series.ref_low) or 0.0)
    if high:
        return translate("TrendSeries", "(over referencegrænsen {limit})").format(limit=limit)
    return translate("TrendSeries", "(under referencegrænsen {limit})").format(limit=limit)


def summary_text(series: TrendSeries | None) -> str:
    """'HbA1c: 6 målinger fra 03-01-2024 til 02-03-2026, seneste 71 mmol/mol (over målet 53)'."""
    translate = QCoreApplication.translate
    if series is None:
        return translate("TrendSeries", "Ingen målinger")
    points = series.sorted_points()
    if not points:
        return translate("TrendSeries", "{title}: ingen målinger").format(title=series.title)
    (first, _), (last, latest) = points[0], points[-1]
    comparison = _comparison(series, latest)
    value = f"{series.quantity(latest)} {comparison}" if comparison else series.quantity(latest)
    if len(points) == 1:
        return translate("TrendSeries", "{title}: 1 måling den {date}: {value}").format(
            title=series.title, date=format_date(last), value=value
        )
    return translate(
        "TrendSeries", "{title}: {count} målinger fra {first} til {last}, seneste {value}"
    ).format(
        title=series.title, count=len(points), first=format_date(first), last=format_date(last), value=value
    )
