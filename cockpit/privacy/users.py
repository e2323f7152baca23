"""The practice's users: adding and changing them, and signing in.

A new data directory has no users and runs in single-user mode (``os_actor``). The first user must be an
administrator; creating them ends single-user mode. From then on only a user with MANAGE_USERS changes
users, and the last active administrator cannot be disabled or lose the role (nobody could manage users
any more).

Sign-in failures are counted per name, also for names that do not exist, and ``LOCKOUT_AFTER``
consecutive ones lock the name for ``LOCKOUT_FOR``; the messages are the same whether or not the user
exists. Every change, sign-in and failed sign-in is recorded in the audit log inside the transaction
that makes it (BEGIN IMMEDIATE), so the entry and the change commit together.

Typical use (GUI and CLI alike)::

    users = UserDirectory(store)
    if not users.has_users():
        actor = os_actor()                       # single-user mode; offer to create the administrator
    else:
        actor = users.authenticate(name, password)   # SignInError with a message for the user
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, overload

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cockpit.errors import InputError, PermissionDeniedError, SignInError
from cockpit.models.audit import AuditAction
from cockpit.models.users import PracticeUser, SignInFailure
from cockpit.privacy.audit import append
from cockpit.privacy.identity import Actor, Permission, Role, require
from cockpit.privacy.passwords import (
    burn_time,
    check_password_rule,
    hash_password,
    verify_password,
)
from cockpit.store import Store
from cockpit.store.transactions import immediate_session

LOCKOUT_AFTER: Final = 5
LOCKOUT_FOR: Final = timedelta(minutes=15)

_NAME: Final = re.compile(r"[^\W_][\w.-]{1,31}")
_WRONG: Final = "The user name or the password is wrong. Check both and try again."


@dataclass(frozen=True, slots=True)
class UserInfo:
    """One practice user as listed (never the password hash). Times are UTC, with the zone attached."""

    name: str
    full_name: str
    role: Role
    disabled: bool
    locked_until: datetime | None
    failed_attempts: int
    created_at: datetime
    changed_at: datetime
    last_sign_in_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value is not None else None

        return {
            "name": self.name,
            "full_name": self.full_name,
            "role": self.role.value,
            "disabled": self.disabled,
            "locked_until": iso(self.locked_until),
            "failed_attempts": self.failed_attempts,
            "created_at": iso(self.created_at),
            "changed_at": iso(self.changed_at),
            "last_sign_in_at": iso(self.last_sign_in_at),
        }


def normalise_name(name: str) -> str:
    """The stored form of a user name (case-folded); InputError if it is not a usable name."""
    folded = name.strip().casefold()
    if not _NAME.fullmatch(folded):
        raise InputError(
            "A user name has 2 to 32 letters, digits, '.', '-' or '_', and starts with a letter or digit."
        )
    return folded


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise InputError(f"There is no role {text!r}; choose one of {choices}.") from None


class UserDirectory:
    """The practice users in ``store``.

    Args:
        store: the open store.
        clock: the current UTC time (tests pass a fixed one).
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._store = store
        self._clock = clock or (lambda: datetime.now(UTC))

    def has_users(self) -> bool:
        """True once the first administrator exists (the end of single-user mode)."""
        with self._store.session() as session:
            return _count(session) > 0

    def add(self, actor: Actor, name: str, full_name: str, role: Role, password: str) -> UserInfo:
        """Add a user. The very first user must be an administrator (anyone in single-user mode may
        create them); after that only a user who may manage users can add one."""
        key = normalise_name(name)
        full_name = full_name.strip() or key
        if len(full_name) > 200:
            raise InputError("The full name is too long: use at most 200 characters.")
        check_password_rule(password)
        password_hash = hash_password(password)  # slow: outside the transaction
        now = self._now()
        with immediate_session(self._store) as session:
            if _count(session) == 0:
                if role is not Role.ADMIN:
                    raise InputError("The first user must be an administrator: add them with the role admin.")
            else:
                _require_manager(actor)
            if session.scalar(select(PracticeUser.id).where(PracticeUser.name == key)) is not None:
                raise InputError(f"There is already a user named {key!r}; choose another name.")
            user = PracticeUser(
                name=key,
                full_name=full_name,
                role=role.value,
                password_hash=password_hash,
                disabled=False,
                created_at=now,
                changed_at=now,
                last_sign_in_at=None,
            )
            session.add(user)
            try:
                session.flush()
            except IntegrityError:  # a concurrent add of the same name
                raise InputError(f"There is already a user named {key!r}; choose another name.") from None
            self._record(session, actor, AuditAction.USER_ADD, key, f"added as {role.value}")
            return _info(user, None)

    def authenticate(self, name: str, password: str) -> Actor:
        """The actor for ``name`` if ``password`` is right; else SignInError (and the failure counted)."""
        import socket  # noqa: PLC0415

        key = name.strip().casefold()[:64]
        now = self._now()
        with self._store.session() as session:
            failure = session.get(SignInFailure, key)
            user = session.scalar(select(PracticeUser).where(PracticeUser.name == key))
        if failure is not None and failure.locked_until is not None and now < failure.locked_until:
            remaining = failure.locked_until - now
            raise SignInError(_locked_message(remaining), reason="locked", minutes=_minutes(remaining))
        if user is None:
            burn_time(password)
            ok = False
        else:
            ok = verify_password(password, user.password_hash)
        actor = Actor(
            user=key,
            role=Role(user.role) if user is not None else None,
            workstation=socket.gethostname(),
        )
        if not ok:
            self._count_failure(key, actor, now)
        if user is None or not ok:
            raise SignInError(_WRONG, reason="wrong")
        if user.disabled:
            raise SignInError(
                "This user is disabled. Ask the practice's administrator to enable it again.",
                reason="disabled",
            )
        with immediate_session(self._store) as session:
            session.execute(delete(SignInFailure).where(SignInFailure.name == key))
            stored = session.get(PracticeUser, user.id)
            assert stored is not None
            stored.last_sign_in_at = now
            self._record(session, actor, AuditAction.SIGN_IN, key, "signed in")
        return actor

    def set_password(self, actor: Actor, name: str, password: str) -> None:
        """A user changes their own password; an administrator may set anyone's."""
        key = normalise_name(name)
        if key != actor.user or actor.single_user:
            _require_manager(actor)
        check_password_rule(password)
        password_hash = hash_password(password)
        with immediate_session(self._store) as session:
            user = _get(session, key)
            user.password_hash = password_hash
            user.changed_at = self._now()
            self._record(session, actor, AuditAction.USER_CHANGE, key, "password changed")

    def set_role(self, actor: Actor, name: str, role: Role) -> None:
        _require_manager(actor)
        key = normalise_name(name)
        with immediate_session(self._store) as session:
            user = _get(session, key)
            if user.role == Role.ADMIN.value and role is not Role.ADMIN:
                _keep_an_admin(session, user)
            old = user.role
            user.role = role.value
            user.changed_at = self._now()
            self._record(session, actor, AuditAction.USER_CHANGE, key, f"role {old} -> {role.value}")

    def disable(self, actor: Actor, name: str) -> None:
        """The user can no longer sign in (users are never deleted: the audit log names them)."""
        self._set_disabled(actor, name, disabled=True)

    def enable(self, actor: Actor, name: str) -> None:
        self._set_disabled(actor, name, disabled=False)

    def unlock(self, actor: Actor, name: str) -> None:
        """Clear the failed sign-ins of ``name``, ending a lock-out before its time."""
        _require_manager(actor)
        key = normalise_name(name)
        with immediate_session(self._store) as session:
            _get(session, key)
            session.execute(delete(SignInFailure).where(SignInFailure.name == key))
            self._record(session, actor, AuditAction.USER_CHANGE, key, "unlocked")

    def list(self, actor: Actor) -> list[UserInfo]:
        _require_manager(actor)
        now = self._now()
        with self._store.session() as session:
            failures = {f.name: f for f in session.scalars(select(SignInFailure))}
            users = session.scalars(select(PracticeUser).order_by(PracticeUser.name)).all()
            result = []
            for user in users:
                failure = failures.get(user.name)
                result.append(_info(user, failure if failure is None or _counts(failure, now) else None))
            return result

    def _set_disabled(self, actor: Actor, name: str, *, disabled: bool) -> None:
        _require_manager(actor)
        key = normalise_name(name)
        with immediate_session(self._store) as session:
            user = _get(session, key)
            if disabled and user.role == Role.ADMIN.value:
                _keep_an_admin(session, user)
            user.disabled = disabled
            user.changed_at = self._now()
            self._record(session, actor, AuditAction.USER_CHANGE, key, "disabled" if disabled else "enabled")

    def _count_failure(self, key: str, actor: Actor, now: datetime) -> None:
        with immediate_session(self._store) as session:
            failure = session.get(SignInFailure, key)
            if failure is None:
                failure = SignInFailure(name=key, failed_attempts=0, last_failure_at=now)
                session.add(failure)
            elif not _counts(failure, now):  # an earlier lock-out has run out: start afresh
                failure.failed_attempts = 0
                failure.locked_until = None
            failure.failed_attempts += 1
            failure.last_failure_at = now
            locked = failure.failed_attempts >= LOCKOUT_AFTER
            if locked:
                failure.locked_until = now + LOCKOUT_FOR
            what = f"locked for {LOCKOUT_FOR.seconds // 60} minutes" if locked else "wrong password"
            self._record(session, actor, AuditAction.SIGN_IN_FAILED, key, what)
        if locked:
            raise SignInError(_locked_message(LOCKOUT_FOR), reason="locked", minutes=_minutes(LOCKOUT_FOR))

    def _record(self, session: Session, actor: Actor, action: AuditAction, name: str, what: str) -> None:
        """An audit entry in the change's transaction: the user concerned as ``user:NAME``, what changed
        as the purpose (never a password or its hash)."""
        append(session.connection(), actor, action, list_ref=f"user:{name}", purpose=what)

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC).replace(tzinfo=None)


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PracticeUser)) or 0


def _get(session: Session, key: str) -> PracticeUser:
    user = session.scalar(select(PracticeUser).where(PracticeUser.name == key))
    if user is None:
        raise InputError(f"There is no user named {key!r}; `cockpit users list` shows them.")
    return user


def _require_manager(actor: Actor) -> None:
    if actor.single_user:
        # Once users exist nobody acts as the OS user; before that only the first admin may be added.
        raise PermissionDeniedError(
            "Managing users needs the first administrator: "
            "add them with `cockpit users add NAME --role admin`."
        )
    require(actor, Permission.MANAGE_USERS)


def _keep_an_admin(session: Session, user: PracticeUser) -> None:
    others = session.scalar(
        select(func.count())
        .select_from(PracticeUser)
        .where(
            PracticeUser.role == Role.ADMIN.value,
            PracticeUser.disabled.is_(False),
            PracticeUser.id != user.id,
        )
    )
    if not others:
        raise InputError(
            "This is the last active administrator: add another administrator first, "
            "or nobody could manage users any more."
        )


def _counts(failure: SignInFailure, now: datetime) -> bool:
    """Whether a failure row still matters: not a lock-out that has run out."""
    return failure.locked_until is None or now < failure.locked_until


def _minutes(remaining: timedelta) -> int:
    return max(1, -(-int(remaining.total_seconds()) // 60))


def _locked_message(remaining: timedelta) -> str:
    minutes = _minutes(remaining)
    unit = "minute" if minutes == 1 else "minutes"
    return (
        f"After {LOCKOUT_AFTER} failed attempts sign-in with this name is locked for {minutes} {unit}; "
        "try again then, or ask the practice's administrator to unlock it."
    )


def _info(user: PracticeUser, failure: SignInFailure | None) -> UserInfo:
    return UserInfo(
        name=user.name,
        full_name=user.full_name,
        role=Role(user.role),
        disabled=user.disabled,
        locked_until=_aware(failure.locked_until) if failure is not None else None,
        failed_attempts=failure.failed_attempts if failure is not None else 0,
        created_at=_aware(user.created_at),
        changed_at=_aware(user.changed_at),
        last_sign_in_at=_aware(user.last_sign_in_at),
    )


@overload
def _aware(stored: datetime) -> datetime: ...
@overload
def _aware(stored: None) -> None: ...
def _aware(stored: datetime | None) -> datetime | None:
    """The store keeps UTC without a zone; callers get it with one (``.astimezone()`` shows local time)."""
    return stored.replace(tzinfo=UTC) if stored is not None else None
