"""The patient list as a real table model (it must stay fast at 50,000 rows)."""

from typing import Any, Final

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from cockpit.services.patients import PatientSummary
from cockpit.views.charts.formatting import format_date
from cockpit.views.i18n import QT_TRANSLATE_NOOP

SORT_ROLE: Final = Qt.ItemDataRole.UserRole + 1
# FHIR administrative gender -> source text (context "Sex"), translated when shown.
SEX_LABELS: Final = {
    "male": QT_TRANSLATE_NOOP("Sex", "Mand"),
    "female": QT_TRANSLATE_NOOP("Sex", "Kvinde"),
    "other": QT_TRANSLATE_NOOP("Sex", "Andet"),
    "unknown": QT_TRANSLATE_NOOP("Sex", "Ukendt"),
}
_HEADERS: Final = (
    QT_TRANSLATE_NOOP("Column", "Navn"),
    QT_TRANSLATE_NOOP("Column", "CPR-nr."),
    QT_TRANSLATE_NOOP("Column", "Født"),
    QT_TRANSLATE_NOOP("Column", "Køn"),
    QT_TRANSLATE_NOOP("Column", "Egen læge"),
)


def sex_label(code: str, fallback: str | None = None) -> str:
    """The gender in the interface language; an unknown code shows ``fallback`` (or the code itself)."""
    text = SEX_LABELS.get(code)
    if text is None:
        return fallback or code
    return QCoreApplication.translate("Sex", text)


def format_cpr(cpr: str | None) -> str:
    return f"{cpr[:6]}-{cpr[6:]}" if cpr and len(cpr) == 10 else (cpr or "")


class PatientTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[PatientSummary] = []

    def set_patients(self, rows: list[PatientSummary]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def patient_at(self, row: int) -> PatientSummary:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("Column", _HEADERS[section])
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        p = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 2:
                return format_date(p.birth_date) if p.birth_date else ""
            if column == 3:
                return sex_label(p.sex)
            return (p.name, format_cpr(p.cpr), "", "", p.gp_name or "")[column]
        if role == SORT_ROLE:
            return (
                p.name.lower(),
                p.cpr or "",
                p.birth_date.isoformat() if p.birth_date else "",
                p.sex,
                p.gp_name or "",
            )[column]
        return None
