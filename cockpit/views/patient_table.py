"""The patient list as a real table model (it must stay fast at 50,000 rows)."""

from typing import Any, Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cockpit.services.patients import PatientSummary

SORT_ROLE: Final = Qt.ItemDataRole.UserRole + 1
_SEX: Final = {"male": "Mand", "female": "Kvinde", "other": "Andet", "unknown": "Ukendt"}
_HEADERS: Final = ("Navn", "CPR-nr.", "Født", "Køn", "Egen læge")


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
            return _HEADERS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        p = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                p.name,
                format_cpr(p.cpr),
                p.birth_date.strftime("%d-%m-%Y") if p.birth_date else "",
                _SEX.get(p.sex, p.sex),
                p.gp_name or "",
            )[column]
        if role == SORT_ROLE:
            return (
                p.name.lower(),
                p.cpr or "",
                p.birth_date.isoformat() if p.birth_date else "",
                p.sex,
                p.gp_name or "",
            )[column]
        return None
