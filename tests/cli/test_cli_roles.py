"""Each role's look-ups from the command line: what the window hides, the CLI refuses too."""

from pathlib import Path

from tests.privacy.test_users_cli import ADMIN_PW, GP_PW, cockpit, practice

__all__ = ["practice"]  # the fixture: a store with an administrator (ada) and a GP (gitte)


def test_each_role_runs_only_the_look_ups_it_may(practice: Path) -> None:
    gp = {"COCKPIT_USER": "gitte", "COCKPIT_PASSWORD": GP_PW}
    admin = {"COCKPIT_USER": "ada", "COCKPIT_PASSWORD": ADMIN_PW}
    for args in (["patients"], ["overview", "1112640001"], ["risk", "DM-HBA1C-12M"]):
        allowed = cockpit(practice, *args, **gp)
        assert allowed.returncode == 0, (args, allowed.stderr)
        refused = cockpit(practice, *args, **admin)
        assert refused.returncode == 7, (args, refused.stderr)
        assert "your role (admin) may not" in refused.stderr
        assert "Meyerhofen" not in refused.stdout + refused.stderr

    assert cockpit(practice, "users", "role", "gitte", "secretary", **admin).returncode == 0
    secretary = gp  # gitte is a secretary now: contact data, no clinical record, no risk lists
    listed = cockpit(practice, "patients", **secretary)
    assert listed.returncode == 0 and "Meyerhofen" in listed.stdout
    for args in (["overview", "1112640001"], ["risk", "DM-HBA1C-12M"]):
        refused = cockpit(practice, *args, **secretary)
        assert refused.returncode == 7 and "your role (secretary) may not" in refused.stderr, args


def test_the_cluster_choice_of_indicators_is_a_setting_only_an_administrator_changes(practice: Path) -> None:
    gp = {"COCKPIT_USER": "gitte", "COCKPIT_PASSWORD": GP_PW}
    admin = {"COCKPIT_USER": "ada", "COCKPIT_PASSWORD": ADMIN_PW}
    refused = cockpit(practice, "packs", "disable", "DM-HBA1C-12M", **gp)
    assert refused.returncode == 7 and "your role (gp) may not" in refused.stderr
    assert cockpit(practice, "packs", "disable", "DM-HBA1C-12M", **admin).returncode == 0
    counts = cockpit(practice, "indicators", "--json", **gp)  # aggregate figures: any signed-in role
    assert counts.returncode == 0, counts.stderr
    assert "DM-HBA1C-12M" not in counts.stdout  # the administrator's choice took effect
    assert cockpit(practice, "indicators").returncode == 8  # but only signed in
