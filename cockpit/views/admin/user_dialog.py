"""Adding a practice user, or setting a password: name, full name, role and a password typed twice."""

from typing import Final

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cockpit.privacy.identity import Role
from cockpit.views.access.first_admin import MIN_PASSWORD
from cockpit.views.roles import role_name

ROLES: Final = (Role.GP, Role.NURSE, Role.SECRETARY, Role.ADMIN)


class UserDialog(QDialog):
    """``for_password`` = a user's name is fixed and only the password is asked for."""

    def __init__(self, parent: QWidget | None = None, *, for_password: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("Ny adgangskode til {user}").format(user=for_password)
            if for_password
            else self.tr("Ny bruger")
        )
        self.name = QLineEdit(for_password or "")
        self.name.setReadOnly(for_password is not None)
        self.full_name = QLineEdit()
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role_name(role))
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #a4262c;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Brugernavn"), self.name)
        if for_password is None:
            form.addRow(self.tr("&Fulde navn"), self.full_name)
            form.addRow(self.tr("&Rolle"), self.role)
        form.addRow(self.tr("&Adgangskode"), self.password)
        form.addRow(self.tr("&Gentag adgangskode"), self.repeat)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def values(self) -> tuple[str, str, Role, str]:
        role = ROLES[max(0, self.role.currentIndex())]  # item data would come back as a plain str
        return self.name.text().strip(), self.full_name.text().strip(), role, self.password.text()

    def _check(self) -> None:
        name, _full, _role, password = self.values()
        if not name:
            self.message.setText(self.tr("Skriv et brugernavn."))
        elif len(password) < MIN_PASSWORD:
            self.message.setText(self.tr("Adgangskoden skal have mindst {n} tegn.").format(n=MIN_PASSWORD))
        elif password != self.repeat.text():
            self.message.setText(self.tr("De to adgangskoder er ikke ens."))
        else:
            self.accept()
