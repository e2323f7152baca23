"""The patient list as a real table model (it must stay fast at 50,000 rows)."""

from typing import Final

from PySide6.QtCore import QCoreApplication

from cockpit.models.cpr import format_cpr
from cockpit.services.patients import PatientSummary
from cockpit.views.charts.formatting import format_date
from cockpit.views.i18n import QT_TRANSLATE_NOOP
from cockpit.views.rows_model import Column, RowsTableModel

# FHIR administrative gender -> source text (context "Sex"), translated when shown.
SEX_LABELS: Final = {
    "male": QT_TRANSLATE_NOOP("Sex", "Mand"),
    "female": QT_TRANSLATE_NOOP("Sex", "Kvinde"),
    "other": QT_TRANSLATE_NOOP("Sex", "Andet"),
    "unknown": QT_TRANSLATE_NOOP("Sex", "Ukendt"),
}


def sex_label(code: str, fallback: str | None = None) -> str:
    """The gender in the interface language; an unknown code shows ``fallback`` (or the code itself)."""
    text = SEX_LABELS.get(code)
    if text is None:
        return fallback or code
    return QCoreApplication.translate("Sex", text)


def _born(p: PatientSummary) -> str:
    return format_date(p.birth_date) if p.birth_date else ""


PATIENT_COLUMNS: Final[list[Column[PatientSummary]]] = [
    Column(QT_TRANSLATE_NOOP("Column", "Navn"), lambda p: p.name, sort=lambda p: p.name.lower()),
    Column(QT_TRANSLATE_NOOP("Column", "CPR-nr."), lambda p: format_cpr(p.cpr), sort=lambda p: p.cpr or ""),
    Column(
        QT_TRANSLATE_NOOP("Column", "Født"),
        _born,
        sort=lambda p: p.birth_date.isoformat() if p.birth_date else "",
    ),
    Column(QT_TRANSLATE_NOOP("Column", "Køn"), lambda p: sex_label(p.sex), sort=lambda p: p.sex),
    Column(QT_TRANSLATE_NOOP("Column", "Egen læge"), lambda p: p.gp_name or ""),
]


class PatientTableModel(RowsTableModel[PatientSummary]):
    """The search results: a plain rows model with the patient columns (fast at 50,000 rows)."""

    def __init__(self) -> None:
        super().__init__(PATIENT_COLUMNS)

    def set_patients(self, rows: list[PatientSummary]) -> None:
        self.set_rows(rows)

    def patient_at(self, row: int) -> PatientSummary:
        return self.row(row)
