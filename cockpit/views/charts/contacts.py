"""Input, lanes and wording for the contacts timeline: plain Python apart from Qt's translation lookup.

Lane names and the period presets are Danish source text marked with ``QT_TRANSLATE_NOOP`` (context
"Contacts") and translated when shown, so importing this module does not depend on the language.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Final

from PySide6.QtCore import QCoreApplication

from cockpit.views.charts.formatting import days_label, format_date
from cockpit.views.i18n import QT_TRANSLATE_NOOP, active_language


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
    """``label`` and ``toggle`` are untranslated source text: show them through ``title()`` and
    ``toggle_tooltip()``; ``count_phrase()`` gives "8 konsultationer" in the interface language."""

    key: str
    label: str  # "Konsultation"
    toggle: str  # the filter checkbox's tooltip: "Vis eller skjul konsultationer"
    symbol: str  # pyqtgraph symbol: shape tells lanes apart without relying on colour
    hue: str  # base colour; the view adjusts its lightness for contrast with the background
    is_span: bool  # drawn as a bar from start to end

    def title(self) -> str:
        return QCoreApplication.translate("Contacts", self.label)

    def toggle_tooltip(self) -> str:
        return QCoreApplication.translate("Contacts", self.toggle)

    def count_phrase(self, count: int) -> str:
        one, many = _count_templates(active_language())[self.key]
        return (one if count == 1 else many).format(count=count)


# Hues mostly from the Okabe-Ito set, which stays distinguishable with common colour-vision deficiencies.
LANES: Final = (
    Lane(
        "gp_consultation",
        QT_TRANSLATE_NOOP("Contacts", "Konsultation"),
        QT_TRANSLATE_NOOP("Contacts", "Vis eller skjul konsultationer"),
        "o",
        "#0072B2",
        False,
    ),
    Lane(
        "phone",
        QT_TRANSLATE_NOOP("Contacts", "Telefon"),
        QT_TRANSLATE_NOOP("Contacts", "Vis eller skjul telefonkontakter"),
        "s",
        "#56B4E9",
        False,
    ),
    Lane(
        "email",
        QT_TRANSLATE_NOOP("Contacts", "E-mail"),
        QT_TRANSLATE_NOOP("Contacts", "Vis eller skjul e-mailkonsultationer"),
        "d",
        "#009E73",
        False,
    ),
    Lane(
        "home_visit",
        QT_TRANSLATE_NOOP("Contacts", "Sygebesøg"),
        QT_TRANSLATE_NOOP("Contacts", "Vis eller skjul sygebesøg"),
        "h",
        "#CC79A7",
        False,
    ),
    Lane(
        "outpatient",
        QT_TRANSLATE_NOOP("Contacts", "Ambulant"),
        QT_TRANSLATE_NOOP("Contacts", "Vis eller skjul ambulante besøg"),
        "p",
        "#E69F00",
        False,
    ),
    Lane(
        "inpatient",
        QT_TRANSLATE_NOOP("Contacts", "Indlæggelse"),
        QT_TRANSLATE_NOOP("Contacts", "Vis eller skjul indlæggelser"),
        "t1",
        "#D55E00",
        True,
    ),
    Lane(
        "emergency",
        QT_TRANSLATE_NOOP("Contacts", "Skadestue/akut"),
        QT_TRANSLATE_NOOP("Contacts", "Vis eller skjul skadestue-/akutkontakter"),
        "+",
        "#B8A000",
        False,
    ),
    Lane(
        "home_care",
        QT_TRANSLATE_NOOP("Contacts", "Hjemmepleje"),
        QT_TRANSLATE_NOOP("Contacts", "Vis eller skjul hjemmeplejeforløb"),
        "t2",
        "#8C6D4F",
        True,
    ),
)
OTHER_LANE: Final = Lane(
    "other",
    QT_TRANSLATE_NOOP("Contacts", "Andet"),
    QT_TRANSLATE_NOOP("Contacts", "Vis eller skjul andre kontakter"),
    "x",
    "#888888",
    False,
)
_BY_KIND: Final = {lane.key: lane for lane in LANES}
ALL_LANES: Final = (*LANES, OTHER_LANE)

RANGE_PRESETS: Final[tuple[tuple[str, int | None], ...]] = (
    (QT_TRANSLATE_NOOP("Contacts", "3 måneder"), 3),
    (QT_TRANSLATE_NOOP("Contacts", "12 måneder"), 12),
    (QT_TRANSLATE_NOOP("Contacts", "24 måneder"), 24),
    (QT_TRANSLATE_NOOP("Contacts", "5 år"), 60),
    (QT_TRANSLATE_NOOP("Contacts", "Hele perioden"), None),
)


@cache
def _count_templates(_language: str) -> dict[str, tuple[str, str]]:
    """Per lane key: ("{count} konsultation", "{count} konsultationer") in the interface language.

    Translated here rather than marked on the lanes because some Danish nouns are the same in the singular
    and the plural ("sygebesøg"): the disambiguation "one"/"many" keeps them apart for the translator,
    and lupdate only reads a disambiguation from a translate() call. Cached per language: a summary asks
    for every lane.
    """
    translate = QCoreApplication.translate
    return {
        "gp_consultation": (
            translate("Contacts", "{count} konsultation", "one"),
            translate("Contacts", "{count} konsultationer", "many"),
        ),
        "phone": (
            translate("Contacts", "{count} telefonkontakt", "one"),
            translate("Contacts", "{count} telefonkontakter", "many"),
        ),
        "email": (
            translate("Contacts", "{count} e-mailkonsultation", "one"),
            translate("Contacts", "{count} e-mailkonsultationer", "many"),
        ),
        "home_visit": (
            translate("Contacts", "{count} sygebesøg", "one"),
            translate("Contacts", "{count} sygebesøg", "many"),
        ),
        "outpatient": (
            translate("Contacts", "{count} ambulant besøg", "one"),
            translate("Contacts", "{count} ambulante besøg", "many"),
        ),
        "inpatient": (
            translate("Contacts", "{count} indlæggelse", "one"),
            translate("Contacts", "{count} indlæggelser", "many"),
        ),
        "emergency": (
            translate("Contacts", "{count} skadestue-/akutkontakt", "one"),
            translate("Contacts", "{count} skadestue-/akutkontakter", "many"),
        ),
        "home_care": (
            translate("Contacts", "{count} hjemmeplejeforløb", "one"),
            translate("Contacts", "{count} hjemmeplejeforløb", "many"),
        ),
        "other": (
            translate("Contacts", "{count} anden kontakt", "one"),
            translate("Contacts", "{count} andre kontakter", "many"),
        ),
    }


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


def preset_labels() -> list[tuple[str, int | None]]:
    """The period presets, translated: (label, months; None for the whole history)."""
    return [(QCoreApplication.translate("Contacts", label), months) for label, months in RANGE_PRESETS]


def preset_label(months: int | None) -> str:
    label = next((label for label, value in preset_labels() if value == months), None)
    if label is not None:
        return label
    return QCoreApplication.translate("Contacts", "{months} måneder").format(months=months)


def count_phrase(lane: Lane, count: int) -> str:
    return lane.count_phrase(count)


def summary_text(period: str, counts: Mapping[str, int], inpatient_days: int) -> str:
    """'12 måneder: 8 konsultationer, 2 indlæggelser (i alt 9 dage)'; counts are keyed by lane key."""
    phrases = []
    for lane in ALL_LANES:
        count = counts.get(lane.key, 0)
        if count:
            phrase = count_phrase(lane, count)
            if lane.key == "inpatient":
                phrase = QCoreApplication.translate("Contacts", "{admissions} (i alt {days})").format(
                    admissions=phrase, days=days_label(inpatient_days)
                )
            phrases.append(phrase)
    if not phrases:
        return QCoreApplication.translate("Contacts", "{period}: ingen kontakter").format(period=period)
    return QCoreApplication.translate("Contacts", "{period}: {contacts}").format(
        period=period, contacts=", ".join(phrases)
    )


def event_tooltip(event: TimelineItem, as_of: date) -> str:
    lane = lane_for(event.kind)
    if lane is OTHER_LANE:
        kind = QCoreApplication.translate("Contacts", "Andet ({kind})").format(kind=event.kind)
    else:
        kind = lane.title()
    start = format_date(event.start)
    when = start
    if lane.is_span:
        if is_ongoing(event):
            when = QCoreApplication.translate("Contacts", "{start} – (igangværende)").format(start=start)
        else:
            when = f"{start} – {format_date(span_end(event, as_of))}"
        days = stay_days(event)
        if lane.key == "inpatient" and days is not None:
            when += f" ({days_label(days)})"
    elif event.end is not None and event.end.date() != event.start.date():
        when = f"{start} – {format_date(event.end)}"
    return f"{kind}, {when}\n{event.label}" if event.label else f"{kind}, {when}"
