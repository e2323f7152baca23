"""Danish text for the charts: dd-mm-yyyy dates, month abbreviations, decimal comma, UTC epoch seconds.

Chart x coordinates are Unix epoch seconds. Clinical timestamps reach us as naive datetimes that mean UTC,
so the conversion attaches UTC explicitly: ``datetime.timestamp()`` on a naive value would silently use the
machine's local time zone, shifting every point by the UTC offset (and by an hour across DST changes).
"""

from datetime import UTC, date, datetime, time
from typing import Final

DANISH_MONTHS: Final = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
DAY_SECONDS: Final = 86_400


def to_epoch_seconds(moment: datetime | date) -> float:
    """Epoch seconds for a naive-UTC (or aware) datetime, or for midnight UTC starting a date."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time.min)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def from_epoch_seconds(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def format_date(moment: datetime | date) -> str:
    return f"{moment.day:02d}-{moment.month:02d}-{moment.year:04d}"


def format_epoch_date(seconds: float) -> str:
    return format_date(from_epoch_seconds(seconds))


def month_abbreviation(month: int) -> str:
    return DANISH_MONTHS[month - 1]


def format_number(value: float, decimals: int) -> str:
    """Fixed decimals with a decimal comma: 7.24 -> "7,2". No thousands separator, as on Danish lab sheets."""
    text = f"{value:.{max(decimals, 0)}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]  # "-0,0" reads as a sign error on a lab value
    return text.replace(".", ",")


def format_quantity(value: float, unit: str, decimals: int) -> str:
    number = format_number(value, decimals)
    return f"{number} {unit}" if unit else number


def days_label(days: int) -> str:
    return "1 dag" if days == 1 else f"{days} dage"
