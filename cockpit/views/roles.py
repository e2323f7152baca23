"""Role names in the interface language."""

from PySide6.QtCore import QCoreApplication

from cockpit.privacy.identity import Role


def role_name(role: Role | None) -> str:
    names = {
        Role.GP: QCoreApplication.translate("Roles", "læge"),
        Role.NURSE: QCoreApplication.translate("Roles", "sygeplejerske"),
        Role.SECRETARY: QCoreApplication.translate("Roles", "sekretær"),
        Role.ADMIN: QCoreApplication.translate("Roles", "administrator"),
    }
    return names[role] if role is not None else QCoreApplication.translate("Roles", "enkeltbruger")
