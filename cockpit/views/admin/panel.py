"""The administration tab: practice users and the audit log."""

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from cockpit.views.admin.audit_page import AuditPage, AuditQueries
from cockpit.views.admin.users_page import UserQueries, UsersPage
from cockpit.views.tasks import Run


class AdminPanel(QWidget):
    def __init__(self, run: Run, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.users = UsersPage(run)
        self.tabs = QTabWidget()
        self.audit = AuditPage(run)
        self.tabs.addTab(self.users, self.tr("Brugere"))
        self.tabs.addTab(self.audit, self.tr("Adgangslog"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def attach(self, users: UserQueries | None, audit: AuditQueries | None) -> None:
        """Show what the signed-in role may manage (``None``: not that part)."""
        self.tabs.setTabVisible(self.tabs.indexOf(self.users), users is not None)
        self.tabs.setTabVisible(self.tabs.indexOf(self.audit), audit is not None)
        if users is not None:
            self.users.attach(users)
        if audit is not None:
            self.audit.attach(audit)
