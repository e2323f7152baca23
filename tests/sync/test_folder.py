"""Sync from a folder of NDJSON files: what the clinic system drops is applied once, new files next time."""

import shutil
from pathlib import Path
from typing import Any

import pytest

from cockpit.errors import SyncError
from cockpit.sync.folder import sync_folder
from cockpit.sync.runner import SyncRunner
from cockpit.sync.settings import SyncSettings, save_settings
from tests.conftest import SYNTHEA
from tests.sync.content import counts, store_content


def test_a_folder_sync_applies_new_files_once(tmp_path: Path, make_store: Any) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    for name in ("Patient.ndjson.gz", "Condition.ndjson.gz"):
        shutil.copy(SYNTHEA / name, drop / name)
    store = make_store()

    first = sync_folder(store, drop)
    assert (first.downloaded, first.inserted) == (100 + 639, 100 + 639)  # hand-counted lines
    assert len(first.changed_patient_ids) == 100

    again = sync_folder(store, drop)
    assert (again.downloaded, again.inserted, again.updated) == (0, 0, 0)

    shutil.copy(SYNTHEA / "Encounter.ndjson.gz", drop / "Encounter.ndjson.gz")
    later = sync_folder(store, drop)
    content = counts(store_content(store))
    assert later.downloaded == later.inserted == content["encounters"] > 0
    assert content["conditions"] == 639


def test_a_broken_file_in_the_folder_applies_nothing(tmp_path: Path, make_store: Any) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(SYNTHEA / "Patient.ndjson.gz", drop / "Patient.ndjson.gz")
    (drop / "Condition.ndjson").write_bytes(b'{"resourceType": "Condition", "id": "x"\n')
    store = make_store()
    with pytest.raises(SyncError, match=r"Condition.ndjson:1: .*sync again"):
        sync_folder(store, drop)
    assert counts(store_content(store))["patients"] == 0


def test_the_runner_syncs_the_configured_folder_and_reports_its_status(
    tmp_path: Path, make_store: Any
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(SYNTHEA / "Patient.ndjson.gz", drop / "Patient.ndjson.gz")
    home = tmp_path / "home"
    store = make_store()
    save_settings(home, SyncSettings(folder=str(drop)))
    runner = SyncRunner(store, home)
    status = runner.status()
    assert status is not None and status.last_success is None

    result = runner.run()

    assert (result.method, result.inserted) == ("folder", 100)
    status = runner.status()
    assert status is not None and status.last_success is not None and not status.resumable
    assert SyncRunner(store, tmp_path / "unset").status() is None
