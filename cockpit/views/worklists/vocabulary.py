"""Danish names of the worklist vocabulary (statuses, reason codes, priorities), translated when shown."""

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from PySide6.QtCore import QCoreApplication

from cockpit.views.charts.formatting import format_date
from cockpit.views.i18n import QT_TRANSLATE_NOOP

CONTEXT: Final = "Worklist"
OPEN_STATUSES: Final = ("new", "contacted", "booked")
CLOSING_STATUSES: Final = ("done", "not_relevant", "declined", "moved_away")
STATUS_NAMES: Final = {
    "new": QT_TRANSLATE_NOOP("Worklist", "Ny"),
    "contacted": QT_TRANSLATE_NOOP("Worklist", "Kontaktet"),
    "booked": QT_TRANSLATE_NOOP("Worklist", "Booket"),
    "done": QT_TRANSLATE_NOOP("Worklist", "Udført"),
    "not_relevant": QT_TRANSLATE_NOOP("Worklist", "Ikke relevant"),
    "declined": QT_TRANSLATE_NOOP("Worklist", "Afslået"),
    "moved_away": QT_TRANSLATE_NOOP("Worklist", "Flyttet"),
    "resolved": QT_TRANSLATE_NOOP("Worklist", "Løst af data"),
}
REASONS: Final[dict[str, tuple[str, ...]]] = {
    "not_relevant": ("terminal_illness", "followed_elsewhere", "clinical_judgement", "data_error", "other"),
    "declined": ("patient_declined", "no_response", "other"),
    "moved_away": ("changed_gp", "emigrated", "deceased", "other"),
}
REASON_NAMES: Final = {
    "terminal_illness": QT_TRANSLATE_NOOP("Worklist", "Terminal sygdom"),
    "followed_elsewhere": QT_TRANSLATE_NOOP("Worklist", "Følges andetsteds"),
    "clinical_judgement": QT_TRANSLATE_NOOP("Worklist", "Klinisk vurdering"),
    "data_error": QT_TRANSLATE_NOOP("Worklist", "Fejl i data"),
    "patient_declined": QT_TRANSLATE_NOOP("Worklist", "Patienten har takket nej"),
    "no_response": QT_TRANSLATE_NOOP("Worklist", "Intet svar"),
    "changed_gp": QT_TRANSLATE_NOOP("Worklist", "Skiftet læge"),
    "emigrated": QT_TRANSLATE_NOOP("Worklist", "Udvandret"),
    "deceased": QT_TRANSLATE_NOOP("Worklist", "Død"),
    "other": QT_TRANSLATE_NOOP("Worklist", "Andet"),
}
PRIORITY_NAMES: Final = {
    1: QT_TRANSLATE_NOOP("Worklist", "Høj"),
    2: QT_TRANSLATE_NOOP("Worklist", "Normal"),
    3: QT_TRANSLATE_NOOP("Worklist", "Lav"),
}


def name_of(names: Mapping[Any, str], key: str | int | None) -> str:
    if key is None:
        return ""
    text = names.get(key)
    return QCoreApplication.translate(CONTEXT, text) if text is not None else str(key)


def status_name(status: str) -> str:
    return name_of(STATUS_NAMES, status)


def assignee_text(assignee: str | None) -> str:
    if assignee is None:
        return ""
    if assignee.startswith("role:"):
        return QCoreApplication.translate("Worklist", "rolle: {role}").format(role=assignee[5:])
    return assignee


def day_text(day: date | None) -> str:
    return format_date(day) if day is not None else ""
