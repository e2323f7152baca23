"""The practice's users for an administrator: who may sign in, with which role; add, change, lock out."""

from collections.abc import Callable
from datetime import datetime
from typing import Final, Protocol

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cockpit.privacy.identity import Role
from cockpit.privacy.users import UserInfo
from cockpit.views.admin.user_dialog import ROLES, UserDialog
from cockpit.views.i18n import QT_TRANSLATE_NOOP
from cockpit.views.messages import error_message
from cockpit.views.roles import role_name
from cockpit.views.rows_model import Column, RowsTableModel, RowStyle
from cockpit.views.tasks import Run


class UserQueries(Protocol):
    def users(self) -> list[UserInfo]: ...
    def add_user(self, name: str, full_name: str, role: Role, password: str) -> UserInfo: ...
    def set_role(self, name: str, role: Role) -> None: ...
    def set_password(self, name: str, password: str) -> None: ...
    def set_disabled(self, name: str, disabled: bool) -> None: ...
    def unlock(self, name: str) -> None: ...


def _stamp(value: datetime | None) -> str:
    return value.astimezone().strftime("%d.%m.%Y %H:%M") if value is not None else ""


def _status(user: UserInfo) -> str:
    from PySide6.QtCore import QCoreApplication  # noqa: PLC0415

    if user.disabled:
        return QCoreApplication.translate("UsersPage", "deaktiveret")
    if user.locked_until is not None:
        return QCoreApplication.translate("UsersPage", "spærret til {time}").format(
            time=user.locked_until.astimezone().strftime("%H:%M")
        )
    return QCoreApplication.translate("UsersPage", "aktiv")


USER_COLUMNS: Final[list[Column[UserInfo]]] = [
    Column(QT_TRANSLATE_NOOP("Column", "Bruger"), lambda u: u.name),
    Column(QT_TRANSLATE_NOOP("Column", "Navn"), lambda u: u.full_name),
    Column(QT_TRANSLATE_NOOP("Column", "Rolle"), lambda u: role_name(u.role)),
    Column(QT_TRANSLATE_NOOP("Column", "Status"), _status),
    Column(
        QT_TRANSLATE_NOOP("Column", "Sidst logget ind"),
        lambda u: _stamp(u.last_sign_in_at),
        sort=lambda u: u.last_sign_in_at or datetime.min,
    ),
]


def _style(user: UserInfo) -> RowStyle | None:
    return RowStyle(italic=True, colour="#767676") if user.disabled else None


class UsersPage(QWidget):
    """Signals ``changed()`` after every successful change (the list has been reloaded)."""

    changed = Signal()

    def __init__(self, run: Run, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run = run
        self._queries: UserQueries | None = None
        self.model: RowsTableModel[UserInfo] = RowsTableModel(USER_COLUMNS, _style)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.add_button = QPushButton(self.tr("&Ny bruger …"))
        self.role_button = QPushButton(self.tr("Skift &rolle …"))
        self.password_button = QPushButton(self.tr("Ny &adgangskode …"))
        self.disable_button = QPushButton(self.tr("&Deaktivér / aktivér"))
        self.unlock_button = QPushButton(self.tr("&Lås op"))
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.role_button,
            self.password_button,
            self.disable_button,
            self.unlock_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self.add_user)
        self.role_button.clicked.connect(self._change_role)
        self.password_button.clicked.connect(self._change_password)
        self.disable_button.clicked.connect(self._toggle_disabled)
        self.unlock_button.clicked.connect(self._unlock)
        add = QShortcut(QKeySequence("Ctrl+N"), self, self.add_user)
        add.setWhatsThis(QCoreApplication.translate("Shortcuts", "Ny bruger"))

    def attach(self, queries: UserQueries) -> None:
        self._queries = queries
        self.reload()

    def reload(self) -> None:
        queries = self._queries
        if queries is not None:
            self._run(queries.users, self._show, self._failed)

    def selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def add_user(self) -> None:
        queries = self._queries
        if queries is None:
            return
        dialog = UserDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name, full_name, role, password = dialog.values()
        self._change(lambda: queries.add_user(name, full_name, role, password))

    def _change_role(self) -> None:
        queries, user = self._queries, self.selected()
        if queries is None or user is None:
            return
        labels = [role_name(r) for r in ROLES]
        label, ok = QInputDialog.getItem(
            self,
            self.tr("Skift rolle"),
            self.tr("Ny rolle for {user}:").format(user=user.name),
            labels,
            labels.index(role_name(user.role)),
            False,
        )
        if ok:
            role = ROLES[labels.index(label)]
            self._change(lambda: queries.set_role(user.name, role))

    def _change_password(self) -> None:
        queries, user = self._queries, self.selected()
        if queries is None or user is None:
            return
        dialog = UserDialog(self, for_password=user.name)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            password = dialog.values()[3]
            self._change(lambda: queries.set_password(user.name, password))

    def _toggle_disabled(self) -> None:
        queries, user = self._queries, self.selected()
        if queries is not None and user is not None:
            self._change(lambda: queries.set_disabled(user.name, not user.disabled))

    def _unlock(self) -> None:
        queries, user = self._queries, self.selected()
        if queries is not None and user is not None:
            self._change(lambda: queries.unlock(user.name))

    def _change(self, action: Callable[[], object]) -> None:
        def done(_result: object) -> None:
            self.message.setText(self.tr("Gemt."))
            self.reload()
            self.changed.emit()

        self._run(action, done, self._failed)

    def _show(self, users: list[UserInfo]) -> None:
        self.model.set_rows(users)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error_message(error))
