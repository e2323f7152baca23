"""``cockpit worklist`` once the practice has users: each command signs in, each role does what it may
(real processes; the Danish examples with an administrator, ada, and a GP, gitte)."""

import json
from pathlib import Path

from tests.privacy.test_users_cli import ADMIN_PW, GP_PW, cockpit, practice

__all__ = ["practice"]

GP = {"COCKPIT_USER": "gitte", "COCKPIT_PASSWORD": GP_PW}
ADMIN = {"COCKPIT_USER": "ada", "COCKPIT_PASSWORD": ADMIN_PW}


def test_worklist_commands_sign_in_and_follow_the_roles(practice: Path, tmp_path: Path) -> None:
    assert cockpit(practice, "worklist", "list").returncode == 8  # sign-in needed
    created = cockpit(practice, "worklist", "create", "--indicator", "DM-HBA1C-12M", **GP)
    assert created.returncode == 0, created.stderr
    refused = cockpit(practice, "worklist", "items", "1", **ADMIN)
    assert refused.returncode == 7 and "your role (admin) may not use worklists" in refused.stderr
    assert "Meyerhofen" not in refused.stdout + refused.stderr

    (item,) = json.loads(cockpit(practice, "worklist", "items", "1", "--json", **GP).stdout)
    assert (item["name"], item["evidence"]) == (
        "John Christian Meyerhofen",
        ["Ingen HbA1c inden for 12 måneder (aldrig målt)"],
    )
    assert cockpit(practice, "worklist", "set", str(item["id"]), "--assignee", "nobody", **GP).returncode == 5
    assert cockpit(practice, "worklist", "set", str(item["id"]), "--assignee", "gitte", **GP).returncode == 0

    assert cockpit(practice, "users", "role", "gitte", "secretary", **ADMIN).returncode == 0
    (seen,) = json.loads(cockpit(practice, "worklist", "items", "1", "--mine", "--json", **GP).stdout)
    assert (seen["name"], seen["evidence"], seen["assignee"]) == ("John Christian Meyerhofen", [], "gitte")
    booked = cockpit(practice, "worklist", "set", str(item["id"]), "--status", "booked", **GP)
    assert booked.returncode == 0, booked.stderr
    export = cockpit(practice, "worklist", "export", "1", "--csv", tmp_path / "x.csv", **GP)
    assert export.returncode == 7 and "may not export" in export.stderr
    assert not (tmp_path / "x.csv").exists()
