"""Small dialogs for changing items: the status (with a reason code for the closing statuses)."""

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QWidget

from cockpit.views.worklists.vocabulary import REASON_NAMES, REASONS, STATUS_NAMES, name_of


class StatusDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sæt status"))
        self.status = QComboBox()
        for status in STATUS_NAMES:
            if status != "resolved":  # set only by the data
                self.status.addItem(name_of(STATUS_NAMES, status), status)
        self.reason = QComboBox()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("&Status"), self.status)
        form.addRow(self.tr("&Begrundelse"), self.reason)
        form.addRow(buttons)
        self.status.currentIndexChanged.connect(self._status_changed)
        self._status_changed()

    def _status_changed(self) -> None:
        self.reason.clear()
        for code in REASONS.get(self.status.currentData(), ()):
            self.reason.addItem(name_of(REASON_NAMES, code), code)
        self.reason.setEnabled(self.reason.count() > 0)

    def choose(self, status: str, reason: str | None = None) -> None:
        self.status.setCurrentIndex(self.status.findData(status))
        if reason is not None:
            self.reason.setCurrentIndex(self.reason.findData(reason))

    def values(self) -> tuple[str, str | None]:
        reason = self.reason.currentData() if self.reason.count() else None
        return str(self.status.currentData()), reason
