"""Text for the charts and tables: dd-mm-yyyy dates, month abbreviations, numbers, UTC epoch seconds.

Numbers follow the interface language: a decimal comma in Danish (the default), a decimal point in English.
``cockpit.views.i18n.install_translators`` sets the separators once, before any window is built; reading
that setting keeps ``format_number`` about as cheap as a string replace (it runs for every table cell).

Chart x coordinates are Unix epoch seconds. Clinical timestamps reach us as naive datetimes that mean UTC,
so the conversion attaches UTC explicitly: ``datetime.timestamp()`` on a naive value would silently use the
machine's local time zone, shifting every point by the UTC offset (and by an hour across DST changes).
"""

from datetime import UTC, date, datetime, time
from typing import Final

from PySide6.QtCore import QCoreApplication

from cockpit.models.danish import dk_date, format_fixed
from cockpit.views.i18n import QT_TRANSLATE_NOOP, number_format

# Translated when shown (context "Month"); the Danish abbreviations are the source text.
MONTH_ABBREVIATIONS: Final = (
    QT_TRANSLATE_NOOP("Month", "jan"),
    QT_TRANSLATE_NOOP("Month", "feb"),
    QT_TRANSLATE_NOOP("Month", "mar"),
    QT_TRANSLATE_NOOP("Month", "apr"),
    QT_TRANSLATE_NOOP("Month", "maj"),
    QT_TRANSLATE_NOOP("Month", "jun"),
    QT_TRANSLATE_NOOP("Month", "jul"),
    QT_TRANSLATE_NOOP("Month", "aug"),
    QT_TRANSLATE_NOOP("Month", "sep"),
    QT_TRANSLATE_NOOP("Month", "okt"),
    QT_TRANSLATE_NOOP("Month", "nov"),
    QT_TRANSLATE_NOOP("Month", "dec"),
)
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
    """dd-mm-yyyy in both languages (what a Danish GP reads, whatever the interface language)."""
    return dk_date(moment)


def format_epoch_date(seconds: float) -> str:
    return format_date(from_epoch_seconds(seconds))


def month_abbreviation(month: int) -> str:
    return QCoreApplication.translate("Month", MONTH_ABBREVIATIONS[month - 1])


def localise_decimal(text: str) -> str:
    """A number Python printed (with a decimal point) in the interface language's decimal separator."""
    point = number_format().decimal_point
    return text if point == "." else text.replace(".", point)


def format_number(value: float, decimals: int) -> str:
    """Fixed decimals in the interface language: 7.24 -> "7,2" (Danish) or "7.2" (English). No thousands
    separator, as on Danish lab sheets."""
    return format_fixed(value, decimals, number_format().decimal_point)


def format_count(count: int) -> str:
    """A whole number with thousands grouped: 12.345 (Danish) or 12,345 (English)."""
    return f"{count:,}".replace(",", number_format().group_separator)


def format_quantity(value: float, unit: str, decimals: int) -> str:
    number = format_number(value, decimals)
    return f"{number} {unit}" if unit else number


def days_label(days: int) -> str:
    if days == 1:
        return QCoreApplication.translate("Format", "1 dag")
    return QCoreApplication.translate("Format", "{days} dage").format(days=days)
