"""``cockpit risk`` in-process (cockpit.cli.main): the text list is a list shown, --json/--csv an export;
once practice users exist the command refuses to run unsigned rather than record nobody, and a role
without risk lists is refused."""

import json
from pathlib import Path

import pytest

from cockpit import cli
from cockpit.errors import SignInError
from cockpit.privacy.identity import Role, os_actor
from cockpit.privacy.users import UserDirectory
from cockpit.store import Store
from tests.privacy.audit_support import log_rows, three_patients


@pytest.fixture
def practice_home(store: Store, home: Path, tmp_path: Path) -> Path:
    three_patients(store, tmp_path)
    return home


def risk(home: Path, *args: str) -> int:
    return cli.main(["--home", str(home), "risk", *args, "--as-of", "2025-06-30"])


def test_text_is_a_list_shown_and_json_an_export(
    practice_home: Path, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert risk(practice_home, "IHD-STATIN") == 0
    assert "1 of 1 patients" in capsys.readouterr().out
    assert risk(practice_home, "DM-HBA1C-HIGH", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)["hits"]) == 2
    me = os_actor()
    assert log_rows(store) == [
        (1, me.user, None, me.workstation, "list.show", None, None, "IHD-STATIN", 1, None, None),
        # pytest's captured stdout has no file behind it
        (2, me.user, None, me.workstation, "export.json", None, None, "DM-HBA1C-HIGH", 2, None, "stdout"),
    ]


def test_with_practice_users_an_unsigned_risk_command_is_refused_and_records_nothing(
    practice_home: Path, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    UserDirectory(store).add(os_actor(), "admin", "Ada Admin", Role.ADMIN, "correct horse battery")
    before = log_rows(store)
    assert risk(practice_home, "DM-HBA1C-HIGH", "--csv") == SignInError.exit_code
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("cockpit: This practice has users: sign in with --user NAME")
    assert log_rows(store) == before


def test_a_role_without_risk_lists_is_refused_and_records_no_list(
    practice_home: Path, store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    UserDirectory(store).add(os_actor(), "admin", "Ada Admin", Role.ADMIN, "correct horse battery")
    monkeypatch.setenv("COCKPIT_PASSWORD", "correct horse battery")
    assert cli.main(["--home", str(practice_home), "--user", "admin", "risk", "DM-HBA1C-HIGH"]) == 7
    out, err = capsys.readouterr()
    assert out == ""
    assert "your role (admin) may not see risk lists" in err
    assert [row[4] for row in log_rows(store)] == ["user.add", "sign_in"]  # signed in, saw nothing
