"""Creating the practice's first user, an administrator: this ends single-user mode."""

from typing import Final

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

MIN_PASSWORD: Final = 10


class FirstAdminDialog(QDialog):
    """Asks for user name, full name and a password (twice). ``values()`` after ``accept``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Opret den første administrator"))
        intro = QLabel(
            self.tr(
                "Når der findes brugere, skal alle logge ind, og hvert opslag logges med brugerens navn. "
                "Administratoren opretter de øvrige brugere (læger, sygeplejersker, sekretærer) og ser "
                "ingen patientdata."
            )
        )
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.full_name = QLineEdit()
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #a4262c;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Brugernavn"), self.name)
        form.addRow(self.tr("&Fulde navn"), self.full_name)
        form.addRow(self.tr("&Adgangskode"), self.password)
        form.addRow(self.tr("&Gentag adgangskode"), self.repeat)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def values(self) -> tuple[str, str, str]:
        return self.name.text().strip(), self.full_name.text().strip(), self.password.text()

    def show_error(self, text: str) -> None:
        self.message.setText(text)

    def _check(self) -> None:
        name, _full, password = self.values()
        if not name:
            self.show_error(self.tr("Skriv et brugernavn."))
        elif len(password) < MIN_PASSWORD:
            self.show_error(self.tr("Adgangskoden skal have mindst {n} tegn.").format(n=MIN_PASSWORD))
        elif password != self.repeat.text():
            self.show_error(self.tr("De to adgangskoder er ikke ens."))
        else:
            self.accept()
