"""``cockpit users``, sign-in, ``backup``, ``restore`` and ``rekey`` as a user runs them: real processes,
the real keyring, real encrypted stores. Secrets come only from the environment here (never argv)."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.security.keys import KeyStore
from tests.conftest import DK_EXAMPLES

ADMIN_PW = "correct horse battery"
GP_PW = "stethoscope-42"
PASSPHRASE = "blue kettle under the oak"


def cockpit(home: Path, *args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}
    return subprocess.run(
        [sys.executable, "-m", "cockpit", "--home", str(home), *map(str, args)],
        capture_output=True,
        text=True,
        env={**clean, "QT_QPA_PLATFORM": "offscreen", **env},
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def forget(home: Path, keys: KeyStore) -> None:
    meta = home / "store.json"
    if meta.exists():
        keys.delete(json.loads(meta.read_text())["store_id"])


@pytest.fixture
def practice(home: Path, keys: KeyStore) -> Iterator[Path]:
    """A store with the Danish examples, an administrator (ada) and a GP (gitte)."""
    assert cockpit(home, "import", DK_EXAMPLES).returncode == 0
    added = cockpit(home, "users", "add", "ada", "--role", "admin", COCKPIT_NEW_PASSWORD=ADMIN_PW)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Added ada (admin)."
    added = cockpit(
        home,
        "--user",
        "ada",
        "users",
        "add",
        "gitte",
        "--role",
        "gp",
        "--full-name",
        "Gitte Juul",
        COCKPIT_PASSWORD=ADMIN_PW,
        COCKPIT_NEW_PASSWORD=GP_PW,
    )
    assert added.returncode == 0, added.stderr
    yield home
    forget(home, keys)


def test_the_first_user_must_be_an_administrator(home: Path, keys: KeyStore) -> None:
    try:
        refused = cockpit(home, "users", "add", "gitte", "--role", "gp", COCKPIT_NEW_PASSWORD=GP_PW)
        assert refused.returncode == 5
        assert refused.stderr == (
            "cockpit: The first user must be an administrator: add them with the role admin.\n"
        )
    finally:
        forget(home, keys)


def test_once_users_exist_every_store_command_needs_a_signed_in_user(practice: Path) -> None:
    anonymous = cockpit(practice, "import", DK_EXAMPLES)
    assert anonymous.returncode == 8
    assert "sign in with --user NAME" in anonymous.stderr
    # No password in the environment and no terminal to ask on: a clear error, not a hang.
    no_password = cockpit(practice, "--user", "gitte", "import", DK_EXAMPLES)
    assert (no_password.returncode, no_password.stderr) == (
        8,
        "cockpit: There is no terminal to ask on: set COCKPIT_PASSWORD.\n",
    )
    wrong = cockpit(practice, "--user", "gitte", "import", DK_EXAMPLES, COCKPIT_PASSWORD="guess-guess")
    assert wrong.returncode == 8 and "user name or the password is wrong" in wrong.stderr
    as_gp = cockpit(practice, "import", DK_EXAMPLES, COCKPIT_USER="GITTE", COCKPIT_PASSWORD=GP_PW)
    assert as_gp.returncode == 0, as_gp.stderr


def test_roles_decide_which_commands_run(practice: Path) -> None:
    admin = {"COCKPIT_USER": "ada", "COCKPIT_PASSWORD": ADMIN_PW}
    assert cockpit(practice, "users", "role", "gitte", "secretary", **admin).returncode == 0
    secretary = {"COCKPIT_USER": "gitte", "COCKPIT_PASSWORD": GP_PW}
    refused = cockpit(practice, "import", DK_EXAMPLES, **secretary)
    assert (refused.returncode, refused.stderr) == (
        7,
        "cockpit: Not allowed: your role (secretary) may not import or sync data. "
        "Ask the practice's administrator if you need to.\n",
    )
    assert cockpit(practice, "users", "list", **secretary).returncode == 7
    assert cockpit(practice, "backup", "--out", practice / "b.bak", **secretary).returncode == 7

    listed = cockpit(practice, "users", "list", "--json", **admin)
    assert listed.returncode == 0, listed.stderr
    users = {u["name"]: u for u in json.loads(listed.stdout)}
    assert {n: (u["role"], u["full_name"], u["disabled"]) for n, u in users.items()} == {
        "ada": ("admin", "ada", False),
        "gitte": ("secretary", "Gitte Juul", False),
    }
    assert all("password" not in key for u in users.values() for key in u)

    assert cockpit(practice, "users", "disable", "gitte", **admin).returncode == 0
    disabled = cockpit(practice, "import", DK_EXAMPLES, **secretary)
    assert disabled.returncode == 8 and "disabled" in disabled.stderr
    last_admin = cockpit(practice, "users", "disable", "ada", **admin)
    assert last_admin.returncode == 5 and "last active administrator" in last_admin.stderr


def test_a_user_changes_their_password(practice: Path) -> None:
    changed = cockpit(
        practice,
        "--user",
        "gitte",
        "users",
        "passwd",
        "gitte",
        COCKPIT_PASSWORD=GP_PW,
        COCKPIT_NEW_PASSWORD="a much newer one",
    )
    assert changed.returncode == 0, changed.stderr
    old = cockpit(practice, "--user", "gitte", "import", DK_EXAMPLES, COCKPIT_PASSWORD=GP_PW)
    assert old.returncode == 8
    new = cockpit(practice, "--user", "gitte", "import", DK_EXAMPLES, COCKPIT_PASSWORD="a much newer one")
    assert new.returncode == 0, new.stderr


def test_backup_restore_and_rekey_from_the_command_line(
    practice: Path, tmp_path: Path, keys: KeyStore
) -> None:
    admin = {"COCKPIT_USER": "ada", "COCKPIT_PASSWORD": ADMIN_PW}
    out = tmp_path / "practice.bak"
    made = cockpit(practice, "backup", "--out", out, COCKPIT_BACKUP_PASSPHRASE=PASSPHRASE, **admin)
    assert made.returncode == 0, made.stderr
    assert f"Wrote an encrypted backup to {out}" in made.stdout

    elsewhere = tmp_path / "restored"
    wrong = cockpit(elsewhere, "restore", out, COCKPIT_BACKUP_PASSPHRASE="not the passphrase")
    assert wrong.returncode == 5 and "passphrase is wrong" in wrong.stderr
    assert not elsewhere.exists()
    try:
        restored = cockpit(elsewhere, "restore", out, COCKPIT_BACKUP_PASSPHRASE=PASSPHRASE)
        assert restored.returncode == 0, restored.stderr
        listed = cockpit(elsewhere, "users", "list", "--json", **admin)
        assert [u["name"] for u in json.loads(listed.stdout)] == ["ada", "gitte"]
    finally:
        forget(elsewhere, keys)

    before = json.loads((practice / "store.json").read_text())["store_id"]
    rekeyed = cockpit(practice, "rekey", **admin)
    assert rekeyed.returncode == 0, rekeyed.stderr
    assert json.loads((practice / "store.json").read_text())["store_id"] != before
    assert keys.get(before) is None
    gp = cockpit(practice, "import", DK_EXAMPLES, COCKPIT_USER="gitte", COCKPIT_PASSWORD=GP_PW)
    assert gp.returncode == 0 and "0 new, 0 changed" in gp.stdout
