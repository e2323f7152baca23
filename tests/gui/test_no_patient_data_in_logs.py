"""A whole GUI run with debug logging prints no patient identifier or name: the window opens a store,
lists the practice, opens a patient's overview (with the risk lists) and writes a screenshot, as a real
process; then everything it wrote to stderr is searched for every CPR number and name in the store."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.fhir.importer import import_path
from cockpit.security.keys import KeyStore
from cockpit.services.patients import PatientService
from cockpit.store import open_store
from tests.conftest import DK_EXAMPLES, SYNTHEA

pytestmark = pytest.mark.gui


@pytest.fixture
def filled_home(home: Path, keys: KeyStore) -> Iterator[Path]:
    store = open_store(home, keys)
    try:
        import_path(store, SYNTHEA)
        import_path(store, DK_EXAMPLES)
    finally:
        store.close()
    yield home
    keys.delete(json.loads((home / "store.json").read_text())["store_id"])


def identifiers(home: Path, keys: KeyStore) -> set[str]:
    store = open_store(home, keys)
    try:
        patients = PatientService(store).search("", limit=None)
    finally:
        store.close()
    found: set[str] = set()
    for p in patients:
        if p.cpr:
            found |= {p.cpr, f"{p.cpr[:6]}-{p.cpr[6:]}"}
        # The whole name, and the family name when it is no everyday word (Qt's debug output says
        # "Block" and "Hand"; Synthea has patients called that).
        found.add(p.name)
        family = p.name.split()[-1]
        if len(family) >= 7:
            found.add(family)
    return found


def test_a_debug_gui_run_writes_no_patient_data_to_its_log(
    filled_home: Path, keys: KeyStore, tmp_path: Path
) -> None:
    secret = identifiers(filled_home, keys)
    assert "1112640001" in secret and "Meyerhofen" in secret  # the check has something to find
    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_LOGGING_RULES": "*.debug=true"}
    result = subprocess.run(
        [
            sys.executable, "-m", "cockpit", "--home", str(filled_home), "--debug",
            "--patient", "1112640001", "--screenshot", str(shot),
        ],
        capture_output=True, text=True, env=env, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.stat().st_size > 10_000
    log = result.stdout + result.stderr
    assert "DEBUG" in log  # debug logging was really on
    leaked = sorted(word for word in secret if word in log)
    assert leaked == []
