"""Input, lanes and wording for the contacts timeline; plain Python, no Qt."""

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from cockpit.views.charts.formatting import days_label, format_date


@dataclass(frozen=True)
class TimelineItem:
    """One contact. Times are naive datetimes meaning UTC; ``end`` is None for point contacts and for
    ongoing admissions or home care."""

    kind: str
    start: datetime
    end: datetime | None
    label: str
    length_of_stay_days: int | None = None


@dataclass(frozen=True)
class Lane:
    key: str
    label: str
    one: str  # "1 konsultation"
    many: str  # "8 konsultationer"
    symbol: str  # pyqtgraph symbol: shape tells lanes apart without relying on colour
    hue: str  # base colour; the view adjusts its lightness for contrast with the background
    is_span: bool  # drawn as a bar from start to end


# Hues mostly from the Okabe-Ito set, which stays distinguishable with common colour-vision deficiencies.
LANES: Final = (
    Lane("gp_consultation", "Konsultation", "konsultation", "konsultationer", "o", "#0072B2", False),
    Lane("phone", "Telefon", "telefonkontakt", "telefonkontakter", "s", "#56B4E9", False),
    Lane("email", "E-mail", "e-mailkonsultation", "e-mailkonsultationer", "d", "#009E73", False),
    Lane("home_visit", "Sygebesøg", "sygebesøg", "sygebesøg", "h", "#CC79A7", False),
    Lane("outpatient", "Ambulant", "ambulant besøg", "ambulante besøg", "p", "#E69F00", False),
    Lane("inpatient", "Indlæggelse", "indlæggelse", "indlæggelser", "t1", "#D55E00", True),
    Lane(
        "emergency",
        "Skadestue/akut",
        "skadestue-/akutkontakt",
        "skadestue-/akutkontakter",
        "+",
        "#B8A000",
        False,
    ),
    Lane("home_care", "Hjemmepleje", "hjemmeplejeforløb", "hjemmeplejeforløb", "t2", "#8C6D4F", True),
)
OTHER_LANE: Final = Lane("other", "Andet", "anden kontakt", "andre kontakter", "x", "#888888", False)
_BY_KIND: Final = {lane.key: lane for lane in LANES}
ALL_LANES: Final = (*LANES, OTHER_LANE)

RANGE_PRESETS: Final[tuple[tuple[str, int | None], ...]] = (
    ("3 måneder", 3),
    ("12 måneder", 12),
    ("24 måneder", 24),
    ("5 år", 60),
    ("Hele perioden", None),
)


def lane_for(kind: str) -> Lane:
    """Unknown kinds share the "Andet" lane rather than disappearing."""
    return _BY_KIND.get(kind, OTHER_LANE)


def present_lanes(events: list[TimelineItem]) -> list[Lane]:
    """Lanes that have events, in the fixed clinical order."""
    keys = {lane_for(event.kind).key for event in events}
    return [lane for lane in ALL_LANES if lane.key in keys]


def stay_days(event: TimelineItem) -> int | None:
    """Length of stay as given, else counted in calendar days (discharge date minus admission date)."""
    if event.length_of_stay_days is not None:
        return event.length_of_stay_days
    if event.end is not None:
        return (event.end.date() - event.start.date()).days
    return None


def span_end(event: TimelineItem, as_of: date) -> datetime:
    """Where a bar ends: the given end, else start + length of stay, else (ongoing) the end of as_of."""
    if event.end is not None:
        return event.end
    if event.length_of_stay_days is not None:
        return event.start + timedelta(days=event.length_of_stay_days)
    return datetime.combine(as_of + timedelta(days=1), datetime.min.time())


def is_ongoing(event: TimelineItem) -> bool:
    return event.end is None and event.length_of_stay_days is None


def months_before(day: date, months: int) -> date:
    """The same day of the month, months earlier (clamped: 31-05 minus 3 months is 28/29-02)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def preset_label(months: int | None) -> str:
    return next((label for label, value in RANGE_PRESETS if value == months), f"{months} måneder")


def count_phrase(lane: Lane, count: int) -> str:
    return f"{count} {lane.one if count == 1 else lane.many}"


def summary_text(period: str, counts: Mapping[str, int], inpatient_days: int) -> str:
    """'12 måneder: 8 konsultationer, 2 indlæggelser (i alt 9 dage)'; counts are keyed by lane key."""
    phrases = []
    for lane in ALL_LANES:
        count = counts.get(lane.key, 0)
        if count:
            phrase = count_phrase(lane, count)
            if lane.key == "inpatient":
                phrase += f" (i alt {days_label(inpatient_days)})"
            phrases.append(phrase)
    return f"{period}: {', '.join(phrases) if phrases else 'ingen kontakter'}"


def event_tooltip(event: TimelineItem, as_of: date) -> str:
    lane = lane_for(event.kind)
    kind = lane.label if lane is not OTHER_LANE else f"Andet ({event.kind})"
    when = format_date(event.start)
    if lane.is_span:
        if is_ongoing(event):
            when += " – (igangværende)"
        else:
            when += f" – {format_date(span_end(event, as_of))}"
        days = stay_days(event)
        if lane.key == "inpatient" and days is not None:
            when += f" ({days_label(days)})"
    elif event.end is not None and event.end.date() != event.start.date():
        when += f" – {format_date(event.end)}"
    return f"{kind}, {when}\n{event.label}" if event.label else f"{kind}, {when}"
