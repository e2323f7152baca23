"""Who is at the keyboard, for the window: single-user mode or a signed-in practice user.

The actor chosen here is the one every audited look-up records (``on_actor`` hands it to the practice's
services), so the window never passes a user around itself.
"""

from collections.abc import Callable

from cockpit.privacy.identity import Actor, Role, os_actor
from cockpit.privacy.users import UserDirectory, UserInfo
from cockpit.store import Store


class AccessService:
    """Args:
    store: the practice store (users live in it).
    on_actor: called with the new actor after every sign-in (the practice's services record it).
    """

    def __init__(self, store: Store, on_actor: Callable[[Actor], None]) -> None:
        self._users = UserDirectory(store)
        self._on_actor = on_actor
        self._actor = os_actor()
        on_actor(self._actor)

    @property
    def actor(self) -> Actor:
        return self._actor

    def has_users(self) -> bool:
        return self._users.has_users()

    def sign_in(self, user: str, password: str) -> Actor:
        """Check the password (slow by design: scrypt) and make that user the actor. Raises SignInError."""
        actor = self._users.authenticate(user, password)
        self._set(actor)
        return actor

    def create_first_admin(self, name: str, full_name: str, password: str) -> Actor:
        """Create the practice's first user, an administrator, and sign in as them: single-user mode ends."""
        self._users.add(self._actor, name, full_name, Role.ADMIN, password)
        return self.sign_in(name, password)

    def lock(self) -> None:
        """The window is locked: until the next sign-in nothing may be looked up in anyone's name."""

    # -- managing users (administrators; each call checks the signed-in actor's role) ------------------

    def users(self) -> list[UserInfo]:
        return self._users.list(self._actor)

    def add_user(self, name: str, full_name: str, role: Role, password: str) -> UserInfo:
        return self._users.add(self._actor, name, full_name, role, password)

    def set_role(self, name: str, role: Role) -> None:
        self._users.set_role(self._actor, name, role)

    def set_password(self, name: str, password: str) -> None:
        self._users.set_password(self._actor, name, password)

    def set_disabled(self, name: str, disabled: bool) -> None:
        if disabled:
            self._users.disable(self._actor, name)
        else:
            self._users.enable(self._actor, name)

    def unlock(self, name: str) -> None:
        self._users.unlock(self._actor, name)

    def _set(self, actor: Actor) -> None:
        self._actor = actor
        self._on_actor(actor)
