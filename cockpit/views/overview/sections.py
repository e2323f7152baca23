"""The columns of each overview section, as declarative column lists over the service's rows.

Headers and fixed words are Danish source text marked for translation (contexts "Column" and "Sections") and
translated when shown. What the rows carry (diagnosis texts, drug and lab names, attention evidence) is
clinical data and is shown as it is.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Final

from PySide6.QtCore import QCoreApplication

from cockpit.services.overview.items import AttentionItem
from cockpit.services.overview.labcatalogue import KEY_TEST_BY_KEY, Target
from cockpit.services.overview.sections import DiagnosisRow, HomeCareRow, LabRow, MedicationRow
from cockpit.views.charts.formatting import format_date, format_number
from cockpit.views.i18n import QT_TRANSLATE_NOOP, active_language
from cockpit.views.rows_model import Column, RowStyle

SEVERITY_TEXT: Final = {
    "high": QT_TRANSLATE_NOOP("Sections", "Høj"),
    "medium": QT_TRANSLATE_NOOP("Sections", "Middel"),
    "low": QT_TRANSLATE_NOOP("Sections", "Lav"),
}
SEVERITY_RANK: Final = {"high": 0, "medium": 1, "low": 2}
RECORDED_BY: Final = {
    "gp": QT_TRANSLATE_NOOP("Sections", "Egen læge"),
    "hospital": QT_TRANSLATE_NOOP("Sections", "Sygehus"),
}
MUTED: Final = "#7a7a7a"
ALERT: Final = "#c62828"
CAUTION: Final = "#b26a00"


def severity(code: str) -> str:
    text = SEVERITY_TEXT.get(code)
    return QCoreApplication.translate("Sections", text) if text is not None else code


def recorded_by(code: str | None) -> str:
    text = RECORDED_BY.get(code or "")
    return QCoreApplication.translate("Sections", text) if text is not None else ""


def day(value: date | datetime | None) -> str:
    return format_date(value) if value is not None else ""


def day_sort(value: date | datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def lab_decimals(row: LabRow) -> int:
    test = KEY_TEST_BY_KEY.get(row.key)
    if test is not None:
        return test.decimals
    value = row.value if row.value is not None else 0.0
    return 0 if float(value).is_integer() else 2 if abs(value) < 10 else 1


def lab_value(row: LabRow) -> str:
    if row.text:
        return row.text
    if row.value is None:
        return ""
    text = format_number(row.value, lab_decimals(row))
    if row.previous is not None:
        delta = round(row.value - row.previous, lab_decimals(row))
        text += " ↑" if delta > 0 else " ↓" if delta < 0 else " →"
    return text


def lab_range(row: LabRow) -> str:
    decimals = lab_decimals(row)
    low = format_number(row.ref_low, decimals) if row.ref_low is not None else ""
    high = format_number(row.ref_high, decimals) if row.ref_high is not None else ""
    if low and high:
        return f"{low}–{high}"
    return f"< {high}" if high else f"> {low}" if low else ""


def lab_target(row: LabRow) -> str:
    if row.target is None:
        return ""
    mark = "" if row.meets_target is None else (" ✓" if row.meets_target else " ✗")
    return f"{target_text(row.target, lab_decimals(row))}{mark}"


def target_text(target: Target, decimals: int) -> str:
    """ "< 130 (diabetes)": the patient's target and why it is theirs, the reason in the interface's
    language (both come from the targets file)."""
    return f"{target.sign} {format_number(target.limit, decimals)} ({target.reason_in(active_language())})"


def lab_tooltip(row: LabRow) -> str:
    translate = QCoreApplication.translate
    parts = [
        f"{row.name}: {lab_value(row)} {row.unit or ''}".strip(),
        translate("Sections", "Taget {date}").format(date=day(row.effective)),
    ]
    if row.previous is not None and row.previous_effective is not None:
        previous = format_number(row.previous, lab_decimals(row))
        parts.append(
            translate("Sections", "Forrige {value} den {date}").format(
                value=previous, date=day(row.previous_effective)
            )
        )
    parts.append(translate("Sections", "Enter: vis udvikling"))
    return "\n".join(parts)


ATTENTION_COLUMNS: Final[list[Column[AttentionItem]]] = [
    Column(
        QT_TRANSLATE_NOOP("Column", "Prioritet"),
        lambda a: severity(a.severity),
        sort=lambda a: SEVERITY_RANK.get(a.severity, 9),
    ),
    Column(
        QT_TRANSLATE_NOOP("Column", "Hvad"), lambda a: a.title, tooltip=lambda a: f"{a.title}\n{a.evidence}"
    ),
    Column(QT_TRANSLATE_NOOP("Column", "Grundlag"), lambda a: a.evidence, tooltip=lambda a: a.evidence),
]


def attention_style(item: AttentionItem) -> RowStyle | None:
    if item.severity == "high":
        return RowStyle(bold=True, colour=ALERT)
    if item.severity == "medium":
        return RowStyle(colour=CAUTION)
    return None


DIAGNOSIS_COLUMNS: Final[list[Column[DiagnosisRow]]] = [
    Column(
        QT_TRANSLATE_NOOP("Column", "Kode"), lambda d: d.code, tooltip=lambda d: f"{d.system_label} {d.code}"
    ),
    Column(QT_TRANSLATE_NOOP("Column", "Diagnose"), lambda d: d.display or "", tooltip=lambda d: d.display),
    Column(QT_TRANSLATE_NOOP("Column", "Start"), lambda d: day(d.onset), sort=lambda d: day_sort(d.onset)),
    Column(
        QT_TRANSLATE_NOOP("Column", "Slut"), lambda d: day(d.abatement), sort=lambda d: day_sort(d.abatement)
    ),
    Column(QT_TRANSLATE_NOOP("Column", "Kodesystem"), lambda d: d.system_label),
    Column(QT_TRANSLATE_NOOP("Column", "Kilde"), lambda d: recorded_by(d.recorded_by)),
]


def diagnosis_style(row: DiagnosisRow) -> RowStyle | None:
    return None if row.active else RowStyle(italic=True, colour=MUTED)


def medication_name(row: MedicationRow) -> str:
    if row.new:
        return QCoreApplication.translate("Sections", "{drug}  (ny)").format(drug=row.drug_name)
    if row.stopped_recently:
        return QCoreApplication.translate("Sections", "{drug}  (seponeret {date})").format(
            drug=row.drug_name, date=day(row.end)
        )
    return row.drug_name


MEDICATION_COLUMNS: Final[list[Column[MedicationRow]]] = [
    Column(
        QT_TRANSLATE_NOOP("Column", "Lægemiddel"),
        medication_name,
        sort=lambda m: (not m.active, m.drug_name.lower()),
    ),
    Column(QT_TRANSLATE_NOOP("Column", "Styrke"), lambda m: m.strength or ""),
    Column(
        QT_TRANSLATE_NOOP("Column", "Dosering"),
        lambda m: m.dosage_text or "",
        tooltip=lambda m: m.dosage_text,
    ),
    Column(QT_TRANSLATE_NOOP("Column", "Start"), lambda m: day(m.start), sort=lambda m: day_sort(m.start)),
    Column(QT_TRANSLATE_NOOP("Column", "ATC"), lambda m: m.atc or ""),
]


def medication_style(row: MedicationRow) -> RowStyle | None:
    if not row.active:
        return RowStyle(italic=True, colour=MUTED)
    if row.new:
        return RowStyle(bold=True)
    return None


LAB_COLUMNS: Final[list[Column[LabRow]]] = [
    Column(QT_TRANSLATE_NOOP("Column", "Analyse"), lambda r: r.name, tooltip=lab_tooltip),
    Column(
        QT_TRANSLATE_NOOP("Column", "Værdi"),
        lab_value,
        sort=lambda r: r.value if r.value is not None else float("-inf"),
        tooltip=lab_tooltip,
        align_right=True,
    ),
    Column(QT_TRANSLATE_NOOP("Column", "Enhed"), lambda r: r.unit or ""),
    Column(
        QT_TRANSLATE_NOOP("Column", "Dato"), lambda r: day(r.effective), sort=lambda r: day_sort(r.effective)
    ),
    Column(QT_TRANSLATE_NOOP("Column", "Ref."), lab_range),
    Column(QT_TRANSLATE_NOOP("Column", "Flag"), lambda r: r.flag or ""),
    Column(QT_TRANSLATE_NOOP("Column", "Mål"), lab_target),
]


def lab_style(row: LabRow) -> RowStyle | None:
    if row.flag is not None or row.meets_target is False:
        return RowStyle(bold=True, colour=ALERT)
    return None if row.is_key_test else RowStyle(colour=MUTED)


def hours(value: float | None) -> str:
    return format_number(value, 1 if not float(value).is_integer() else 0) if value is not None else ""


HOME_CARE_COLUMNS: Final[list[Column[HomeCareRow]]] = [
    Column(QT_TRANSLATE_NOOP("Column", "Ydelse"), lambda h: h.service),
    Column(
        QT_TRANSLATE_NOOP("Column", "Timer/uge"),
        lambda h: hours(h.hours_per_week),
        align_right=True,
        sort=lambda h: h.hours_per_week or 0.0,
    ),
    Column(QT_TRANSLATE_NOOP("Column", "Start"), lambda h: day(h.start), sort=lambda h: day_sort(h.start)),
    Column(QT_TRANSLATE_NOOP("Column", "Leverandør"), lambda h: h.provider or ""),
]


def lab_decimals_for_key(key: str, points: Sequence[tuple[datetime, float]]) -> int:
    test = KEY_TEST_BY_KEY.get(key)
    if test is not None:
        return test.decimals
    return 0 if all(float(v).is_integer() for _, v in points) else 1
