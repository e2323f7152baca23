"""Dates and numbers as a Danish GP reads them: dd-mm-yyyy and a decimal comma. One home for the texts the
indicator engine, the overview's rules, the worklists and the window write; the window's
``cockpit.views.charts.formatting`` only puts the interface language's decimal separator in place of the
comma (dates are dd-mm-yyyy in both languages).
"""

from datetime import date, datetime


def dk_date(day: date | datetime | None) -> str:
    """dd-mm-yyyy, the way a Danish GP reads a date (a datetime: its date). None: "ukendt dato"."""
    if day is None:
        return "ukendt dato"
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def format_fixed(value: float, decimals: int, point: str = ",") -> str:
    """Fixed decimals, as labs report (71 -> "71", 4.0 -> "4,0", 7.24 -> "7,2"), with ``point`` as the
    decimal separator and no thousands separator, as on Danish lab sheets. Never "-0,0": it reads as a
    sign error on a lab value."""
    text = f"{value:.{max(decimals, 0)}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text if point == "." else text.replace(".", point)


def dk_number(value: float, decimals: int = 1) -> str:
    """At most ``decimals`` decimals, a decimal comma, no trailing zeros: 80.33 -> "80,3", 75.0 -> "75"."""
    text = f"{value:.{decimals}f}".replace(".", ",")
    return text.rstrip("0").rstrip(",") if "," in text else text
