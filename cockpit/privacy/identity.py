"""Who is using the cockpit: practice roles, what each may do, and the actor recorded in the audit log (the
users themselves, with their passwords, are ``cockpit.privacy.users``).

The permission table is the single place that says what a role may see; views and services ask
``actor.may(Permission.X)`` rather than testing role names.
"""

import enum
from dataclasses import dataclass
from typing import Final

from cockpit.errors import PermissionDeniedError


class Role(enum.StrEnum):
    GP = "gp"
    NURSE = "nurse"
    SECRETARY = "secretary"
    ADMIN = "admin"


class Permission(enum.StrEnum):
    VIEW_CLINICAL = "view_clinical"  # the patient overview: diagnoses, medication, labs, contacts
    VIEW_CONTACT = "view_contact"  # name, CPR, contact data: finding a patient, call lists
    VIEW_RISK_LISTS = "view_risk_lists"  # indicator hits with their (clinical) evidence
    WORK_LISTS = "work_lists"  # follow-up worklists
    EXPORT = "export"  # CSV/PDF exports and prints of identifiable data
    SYNC = "sync"  # start a sync or an import
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    READ_AUDIT = "read_audit"
    BACKUP = "backup"


ROLE_PERMISSIONS: Final[dict[Role, frozenset[Permission]]] = {
    Role.GP: frozenset(
        {
            Permission.VIEW_CLINICAL,
            Permission.VIEW_CONTACT,
            Permission.VIEW_RISK_LISTS,
            Permission.WORK_LISTS,
            Permission.EXPORT,
            Permission.SYNC,
        }
    ),
    Role.NURSE: frozenset(
        {
            Permission.VIEW_CLINICAL,
            Permission.VIEW_CONTACT,
            Permission.VIEW_RISK_LISTS,
            Permission.WORK_LISTS,
            Permission.EXPORT,
        }
    ),
    # Secretaries book and call: contact data and worklists, never the clinical record.
    Role.SECRETARY: frozenset({Permission.VIEW_CONTACT, Permission.WORK_LISTS}),
    # The administrator runs the installation but sees no clinical data.
    Role.ADMIN: frozenset(
        {
            Permission.MANAGE_USERS,
            Permission.MANAGE_SETTINGS,
            Permission.READ_AUDIT,
            Permission.BACKUP,
            Permission.SYNC,
        }
    ),
}

# What each permission lets a user do, as the end of "your role (secretary) may not ...".
PERMISSION_WORDS: Final[dict[Permission, str]] = {
    Permission.VIEW_CLINICAL: "see the clinical record",
    Permission.VIEW_CONTACT: "look up patients",
    Permission.VIEW_RISK_LISTS: "see risk lists",
    Permission.WORK_LISTS: "use worklists",
    Permission.EXPORT: "export or print patient data",
    Permission.SYNC: "import or sync data",
    Permission.MANAGE_USERS: "manage practice users",
    Permission.MANAGE_SETTINGS: "change the practice's settings",
    Permission.READ_AUDIT: "read the audit log",
    Permission.BACKUP: "back up, restore or re-key the store",
}

# Single-user mode (no users created yet): the operating-system user may do everything, audited as such.
SINGLE_USER_PERMISSIONS: Final = frozenset(Permission)


@dataclass(frozen=True, slots=True)
class Actor:
    """The person on whose behalf something happens, as recorded in every audit entry.

    Attributes:
        user: the practice user name, or the operating-system user in single-user mode.
        role: the practice role; None in single-user mode.
        workstation: the host name of the machine.
        single_user: True until the first administrator has been created.
    """

    user: str
    role: Role | None
    workstation: str
    single_user: bool = False

    @property
    def permissions(self) -> frozenset[Permission]:
        if self.single_user or self.role is None:
            return SINGLE_USER_PERMISSIONS
        return ROLE_PERMISSIONS[self.role]

    def may(self, permission: Permission) -> bool:
        return permission in self.permissions


def os_actor() -> Actor:
    """The actor of single-user mode: the signed-in operating-system user on this machine."""
    import getpass  # noqa: PLC0415
    import socket  # noqa: PLC0415

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Actor(user=user, role=None, workstation=socket.gethostname(), single_user=True)


def require(actor: Actor, permission: Permission) -> None:
    """Raise PermissionDeniedError unless ``actor`` may do ``permission`` (single-user mode may do all)."""
    if actor.may(permission):
        return
    role = actor.role.value if actor.role is not None else "none"
    raise PermissionDeniedError(
        f"Not allowed: your role ({role}) may not {PERMISSION_WORDS[permission]}. "
        "Ask the practice's administrator if you need to."
    )
