"""The page shown instead of the patient data while the window is locked or nobody is signed in.

It replaces the whole working area (the widgets behind it keep their state: nothing typed is lost) and
shows no patient data at all: no name in the title, no list, no overview.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cockpit.errors import SignInError
from cockpit.views.messages import error_message


class LockPage(QWidget):
    """Signals ``sign_in_requested(user, password)`` (practice users) and ``unlock_requested()`` (single-user
    mode, where there is no password to ask for)."""

    sign_in_requested = Signal(str, str)
    unlock_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.user = QLineEdit()
        self.user.setObjectName("lock-user")
        self.password = QLineEdit()
        self.password.setObjectName("lock-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a4262c;")
        self.message.hide()
        self.button = QPushButton()
        self.button.setDefault(True)
        self.form = QWidget()
        form = QFormLayout(self.form)
        form.addRow(self.tr("&Bruger"), self.user)
        form.addRow(self.tr("&Adgangskode"), self.password)
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setMinimumWidth(420)
        box.setMaximumWidth(520)
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addWidget(self.explanation)
        inner.addWidget(self.form)
        inner.addWidget(self.message)
        inner.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.user.returnPressed.connect(self._user_entered)
        self._with_users = True

    def show_sign_in(self, locked: bool, user: str = "") -> None:
        """Ask a practice user to sign in: after a lock (``locked``; the user name is kept) or at start."""
        self._with_users = True
        self.title.setText(self.tr("Låst") if locked else self.tr("Log ind"))
        self.explanation.setText(
            self.tr("Patient Cockpit er låst. Log ind igen for at fortsætte; intet arbejde er gået tabt.")
            if locked
            else self.tr("Log ind med din brugerkonto i praksis.")
        )
        self.form.show()
        self.user.setText(user)
        self.password.clear()
        self.button.setText(self.tr("Log ind"))
        self.message.hide()
        (self.password if user else self.user).setFocus()

    def show_single_user_lock(self) -> None:
        """No practice users yet: nothing to check, but patient data stays hidden until asked for."""
        self._with_users = False
        self.title.setText(self.tr("Låst"))
        self.explanation.setText(
            self.tr(
                "Patient Cockpit er låst. Der er endnu ingen brugere i praksis, så der kræves ingen "
                "adgangskode; opret brugere for at beskytte data med log ind."
            )
        )
        self.form.hide()
        self.message.hide()
        self.button.setText(self.tr("Lås op"))
        self.button.setFocus()

    def show_sign_in_error(self, error: BaseException) -> None:
        """A failed sign-in, said in the interface language (other errors keep their own message)."""
        reason = getattr(error, "reason", None) if isinstance(error, SignInError) else None
        minutes = getattr(error, "minutes", None)
        if reason == "wrong":
            text = self.tr("Brugernavnet eller adgangskoden er forkert. Kontrollér begge og prøv igen.")
        elif reason == "locked":
            text = self.tr(
                "Efter for mange forkerte forsøg er log ind med dette navn spærret i {minutes} min. Prøv "
                "igen derefter, eller bed praksissens administrator om at låse op."
            ).format(minutes=minutes or "?")
        elif reason == "disabled":
            text = self.tr("Brugeren er deaktiveret. Bed praksissens administrator om at aktivere den igen.")
        else:
            text = error_message(error)
        self.show_error(text)

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.password.clear()
        self.password.setFocus()
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.user.setEnabled(not busy)
        self.password.setEnabled(not busy)

    def _user_entered(self) -> None:
        self.password.setFocus()

    def _submit(self) -> None:
        if not self._with_users:
            self.unlock_requested.emit()
            return
        user, password = self.user.text().strip(), self.password.text()
        if not user or not password:
            self.show_error(self.tr("Skriv brugernavn og adgangskode."))
            return
        self.set_busy(True)
        self.sign_in_requested.emit(user, password)
