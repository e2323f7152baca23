"""The administration tab: users now; the audit log beside them."""

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from cockpit.views.admin.users_page import Run, UserQueries, UsersPage


class AdminPanel(QWidget):
    def __init__(self, run: Run, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.users = UsersPage(run)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.users, self.tr("Brugere"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def attach(self, users: UserQueries | None) -> None:
        """Show what the signed-in role may manage (``None``: not the users)."""
        self.tabs.setTabVisible(self.tabs.indexOf(self.users), users is not None)
        if users is not None:
            self.users.attach(users)
