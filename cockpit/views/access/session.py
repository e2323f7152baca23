"""Who is signed in, and whether the window is locked: sign-in, the idle lock, Ctrl+L, unlocking, and the
first administrator that ends single-user mode.

The session holds the state; the window shows what it means (which pages, the lock page in front).
Texts keep the translation context "MainWindow" they were written in.
"""

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from cockpit.privacy.identity import Actor, Permission
from cockpit.views.access.first_admin import FirstAdminDialog
from cockpit.views.access.idle import IdleWatcher
from cockpit.views.access.lock_page import LockPage
from cockpit.views.queries import AccessQueries
from cockpit.views.tasks import Run


class Session(QObject):
    """Signals: ``signed_in(Actor, bool)`` (the bool: a different person than before, whose window must
    not show the last one's patient); ``locked_changed(bool)``; ``message(str)`` for the status bar;
    ``failed(object)`` with an error to tell."""

    signed_in = Signal(object, bool)
    locked_changed = Signal(bool)
    message = Signal(str)
    failed = Signal(object)

    def __init__(self, lock_page: LockPage, run: Run, idle_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock_page = lock_page  # a sibling in the window, not the parent
        self._run = run
        self._access: AccessQueries | None = None
        self._actor: Actor | None = None
        self._locked = False
        self.idle = IdleWatcher(idle_ms, self)
        self.idle.idle.connect(self.lock)
        lock_page.sign_in_requested.connect(self._sign_in)
        lock_page.unlock_requested.connect(self._unlock_single_user)

    @property
    def actor(self) -> Actor | None:
        """Who is signed in (or the OS user in single-user mode); None before the store is open."""
        return self._actor

    @property
    def locked(self) -> bool:
        """True while patient data is hidden behind the sign-in page."""
        return self._locked

    def may(self, permission: Permission) -> bool:
        """Someone is signed in, the window is not locked, and their role allows ``permission``."""
        actor = self._actor
        return actor is not None and not self._locked and actor.may(permission)

    def attach(self, access: AccessQueries, *, has_users: bool) -> None:
        """The store is open: with users, everyone signs in first; without, the OS user is signed in."""
        self._access = access
        if has_users:
            self._locked = True
            self._lock_page.show_sign_in(locked=False)
        else:
            self._signed_in(access.actor)

    def shutdown(self) -> None:
        self.idle.stop()
        self._access = None

    def lock(self) -> None:
        """Hide all patient data until someone signs in again (Ctrl+L, or after the idle time)."""
        access, actor = self._access, self._actor
        if access is None or self._locked or actor is None:
            return
        self._locked = True
        self.idle.stop()
        if actor.single_user:
            self._lock_page.show_single_user_lock()
        else:
            self._lock_page.show_sign_in(locked=True, user=actor.user)
            self._run(access.lock, lambda _r: None, self.failed.emit)
        self.locked_changed.emit(True)  # the window puts the lock page in front

    def _sign_in(self, user: str, password: str) -> None:
        access = self._access
        if access is None:
            return
        self._run(
            lambda: access.sign_in(user, password),
            self._sign_in_succeeded,
            self._lock_page.show_sign_in_error,
        )

    def _sign_in_succeeded(self, actor: Actor) -> None:
        self._lock_page.set_busy(False)
        self._signed_in(actor)
        self.locked_changed.emit(False)

    def _unlock_single_user(self) -> None:
        access = self._access
        if access is not None:
            self._signed_in(access.actor)
            self.locked_changed.emit(False)

    def create_first_admin(self) -> None:
        access = self._access
        if access is None:
            return
        parent = self.parent()
        dialog = FirstAdminDialog(parent if isinstance(parent, QWidget) else None)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name, full_name, password = dialog.values()
        self._run(
            lambda: access.create_first_admin(name, full_name, password),
            self._first_admin_created,
            self.failed.emit,
        )

    def _first_admin_created(self, actor: Actor) -> None:
        self.message.emit(
            QCoreApplication.translate(
                "MainWindow", "Administratoren {user} er oprettet; fremover skal alle logge ind."
            ).format(user=actor.user)
        )
        self._signed_in(actor)

    def _signed_in(self, actor: Actor) -> None:
        other = self._actor is not None and self._actor.user != actor.user
        self._actor = actor
        self._locked = False
        self.signed_in.emit(actor, other)
        self.idle.start()
