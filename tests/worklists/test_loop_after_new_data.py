"""New data closes the loop by itself: `cockpit import` (and `cockpit sync`, the window's sync) re-evaluate
the worklists, so an item the data shows as done is resolved without anyone running `reevaluate`."""

import json
from pathlib import Path

from tests.privacy.test_users_cli import cockpit
from tests.worklists.conftest import hba1c, write_ndjson
from tests.worklists.test_cli_and_export import cli_home

__all__ = ["cli_home"]  # the fixture: a store with the generated practice, through the real command


def test_an_import_resolves_the_items_its_data_shows_as_done(cli_home: Path, tmp_path: Path) -> None:
    created = cockpit(cli_home, "worklist", "create", "--indicator", "DM-HBA1C-12M", "--follow")
    assert created.returncode == 0, created.stderr
    items = json.loads(cockpit(cli_home, "worklist", "items", "1", "--json").stdout)
    first = items[0]
    reading = hba1c("loop-1", first["patient_fhir_id"], 51, "2026-11-21")
    news = write_ndjson(tmp_path / "news.ndjson", [reading])

    imported = cockpit(cli_home, "import", news)
    assert imported.returncode == 0, imported.stderr
    assert "Worklists: 1 items resolved by the new data" in imported.stderr

    after = {i["id"]: i for i in json.loads(cockpit(cli_home, "worklist", "items", "1", "--json").stdout)}
    assert after[first["id"]]["status"] == "resolved"
    assert [i["status"] for i in after.values()].count("resolved") == 1
    again = cockpit(cli_home, "import", news)  # nothing new: no re-evaluation, no message
    assert again.returncode == 0 and "Worklists" not in again.stderr
