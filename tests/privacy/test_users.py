"""Practice users on a real encrypted store: the first administrator, roles, passwords, lock-out."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from cockpit.errors import InputError, PermissionDeniedError, SignInError
from cockpit.models.users import PracticeUser
from cockpit.privacy.identity import Actor, Permission, Role, os_actor, require
from cockpit.privacy.users import LOCKOUT_AFTER, UserDirectory
from cockpit.store import Store

ADMIN_PW = "correct horse battery"
GP_PW = "stethoscope-42"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def users(store: Store, clock: Clock) -> UserDirectory:
    return UserDirectory(store, clock=clock)


@pytest.fixture
def admin(users: UserDirectory) -> Actor:
    users.add(os_actor(), "Ada", "Ada Admin", Role.ADMIN, ADMIN_PW)
    return users.authenticate("ada", ADMIN_PW)


def test_a_new_store_is_in_single_user_mode_until_the_first_administrator(users: UserDirectory) -> None:
    assert not users.has_users()
    with pytest.raises(InputError, match="first user must be an administrator"):
        users.add(os_actor(), "gitte", "Gitte GP", Role.GP, GP_PW)
    assert not users.has_users()
    users.add(os_actor(), "ada", "Ada Admin", Role.ADMIN, ADMIN_PW)
    assert users.has_users()
    # The OS user no longer counts once users exist.
    with pytest.raises(PermissionDeniedError):
        users.add(os_actor(), "gitte", "Gitte GP", Role.GP, GP_PW)


def test_names_are_case_insensitive_and_unique(users: UserDirectory, admin: Actor) -> None:
    with pytest.raises(InputError, match="already a user named 'ada'"):
        users.add(admin, "ADA", "Another Ada", Role.NURSE, GP_PW)
    actor = users.authenticate("  AdA ", ADMIN_PW)
    assert (actor.user, actor.role, actor.single_user) == ("ada", Role.ADMIN, False)


def test_only_an_administrator_adds_users(users: UserDirectory, admin: Actor) -> None:
    users.add(admin, "gitte", "Gitte GP", Role.GP, GP_PW)
    gp = users.authenticate("gitte", GP_PW)
    with pytest.raises(PermissionDeniedError, match=r"your role \(gp\) may not manage practice users"):
        users.add(gp, "sonja", "Sonja Secretary", Role.SECRETARY, GP_PW)
    assert [u.name for u in users.list(admin)] == ["ada", "gitte"]


def test_passwords_must_be_ten_characters_and_are_stored_only_as_scrypt(
    users: UserDirectory, admin: Actor, store: Store
) -> None:
    with pytest.raises(InputError, match="at least 10 characters"):
        users.add(admin, "nina", "Nina Nurse", Role.NURSE, "short-pw1")
    users.add(admin, "nina", "Nina Nurse", Role.NURSE, "exactly10!")
    with store.session() as session:
        stored = session.scalar(select(PracticeUser.password_hash).where(PracticeUser.name == "nina"))
    assert stored is not None and stored.startswith("scrypt$16384$8$1$")
    assert "exactly10!" not in stored
    # Two users with the same password get different hashes (per-user salt).
    users.add(admin, "nora", "Nora Nurse", Role.NURSE, "exactly10!")
    with store.session() as session:
        hashes = set(session.scalars(select(PracticeUser.password_hash).where(PracticeUser.role == "nurse")))
    assert len(hashes) == 2


@pytest.mark.usefixtures("admin")
def test_a_wrong_password_and_an_unknown_name_get_the_same_message(users: UserDirectory) -> None:
    with pytest.raises(SignInError) as wrong:
        users.authenticate("ada", "not the password")
    with pytest.raises(SignInError) as unknown:
        users.authenticate("nobody", "not the password")
    assert (
        str(wrong.value)
        == str(unknown.value)
        == ("The user name or the password is wrong. Check both and try again.")
    )


def _fail(users: UserDirectory, name: str, times: int) -> list[str]:
    messages = []
    for _ in range(times):
        with pytest.raises(SignInError) as error:
            users.authenticate(name, "guess-guess-guess")
        messages.append(str(error.value))
    return messages


def test_five_failures_lock_the_name_for_fifteen_minutes(
    users: UserDirectory, admin: Actor, clock: Clock
) -> None:
    messages = _fail(users, "ada", LOCKOUT_AFTER)
    assert "locked for 15 minutes" in messages[-1]
    assert all("locked" not in m for m in messages[:-1])
    # Locked: even the right password is refused, and the message says how long is left.
    clock.now += timedelta(minutes=10)
    with pytest.raises(SignInError, match="locked for 5 minutes"):
        users.authenticate("ada", ADMIN_PW)
    [listed] = users.list(admin)
    assert listed.failed_attempts == LOCKOUT_AFTER
    assert listed.locked_until == datetime(2026, 11, 23, 9, 15, tzinfo=UTC)
    # After the lock-out the right password works and the count starts afresh.
    clock.now += timedelta(minutes=5, seconds=1)
    assert users.authenticate("ada", ADMIN_PW).user == "ada"
    [listed] = users.list(admin)
    assert (listed.failed_attempts, listed.locked_until) == (0, None)


@pytest.mark.usefixtures("admin")
def test_a_name_that_does_not_exist_locks_out_just_the_same(users: UserDirectory) -> None:
    assert _fail(users, "ghost", LOCKOUT_AFTER) == _fail(users, "ada", LOCKOUT_AFTER)


def test_an_administrator_unlocks_a_locked_user(users: UserDirectory, admin: Actor) -> None:
    users.add(admin, "gitte", "Gitte GP", Role.GP, GP_PW)
    _fail(users, "gitte", LOCKOUT_AFTER)
    with pytest.raises(SignInError, match="locked"):
        users.authenticate("gitte", GP_PW)
    users.unlock(admin, "gitte")
    assert users.authenticate("gitte", GP_PW).role is Role.GP


def test_a_disabled_user_cannot_sign_in_and_the_last_admin_stays(users: UserDirectory, admin: Actor) -> None:
    users.add(admin, "gitte", "Gitte GP", Role.GP, GP_PW)
    users.disable(admin, "gitte")
    with pytest.raises(SignInError, match="disabled"):
        users.authenticate("gitte", GP_PW)
    users.enable(admin, "gitte")
    assert users.authenticate("gitte", GP_PW).user == "gitte"
    with pytest.raises(InputError, match="last active administrator"):
        users.disable(admin, "ada")
    with pytest.raises(InputError, match="last active administrator"):
        users.set_role(admin, "ada", Role.GP)


def test_role_and_password_changes_take_effect_at_the_next_sign_in(
    users: UserDirectory, admin: Actor
) -> None:
    users.add(admin, "gitte", "Gitte GP", Role.GP, GP_PW)
    users.set_role(admin, "gitte", Role.SECRETARY)
    secretary = users.authenticate("gitte", GP_PW)
    assert not secretary.may(Permission.VIEW_CLINICAL)
    # A user may change their own password, but nobody else's.
    users.set_password(secretary, "gitte", "a-new-password")
    with pytest.raises(PermissionDeniedError):
        users.set_password(secretary, "ada", "a-new-password")
    with pytest.raises(SignInError):
        users.authenticate("gitte", GP_PW)
    assert users.authenticate("gitte", "a-new-password").role is Role.SECRETARY


def test_user_changes_and_sign_ins_are_in_the_audit_log(
    users: UserDirectory, admin: Actor, store: Store
) -> None:
    users.add(admin, "gitte", "Gitte GP", Role.GP, GP_PW)
    users.set_role(admin, "gitte", Role.NURSE)
    _fail(users, "gitte", 1)
    with store.session() as session:
        rows = session.execute(
            text('SELECT "user", action, list_ref, purpose FROM audit_log ORDER BY id')
        ).all()
    assert [tuple(r) for r in rows] == [
        (os_actor().user, "user.add", "user:ada", "added as admin"),
        ("ada", "sign_in", "user:ada", "signed in"),
        ("ada", "user.add", "user:gitte", "added as gp"),
        ("ada", "user.change", "user:gitte", "role gp -> nurse"),
        ("gitte", "sign_in.failed", "user:gitte", "wrong password"),
    ]
    assert not any(GP_PW in str(r) or ADMIN_PW in str(r) for r in rows)


@pytest.mark.parametrize(
    ("role", "allowed", "denied"),
    [
        (Role.GP, Permission.VIEW_CLINICAL, Permission.MANAGE_USERS),
        (Role.NURSE, Permission.VIEW_RISK_LISTS, Permission.SYNC),
        (Role.SECRETARY, Permission.VIEW_CONTACT, Permission.VIEW_CLINICAL),
        (Role.ADMIN, Permission.BACKUP, Permission.VIEW_CONTACT),
    ],
)
def test_require_follows_the_role_table(role: Role, allowed: Permission, denied: Permission) -> None:
    actor = Actor(user="x", role=role, workstation="pc1")
    require(actor, allowed)
    with pytest.raises(PermissionDeniedError, match=rf"your role \({role.value}\) may not"):
        require(actor, denied)
    require(os_actor(), denied)  # single-user mode may do everything
