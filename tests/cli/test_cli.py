"""The ``cockpit`` command as a user runs it: a real process, a real keyring, a real encrypted store."""

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.security.keys import KeyStore
from cockpit.views.single_instance import server_name
from tests.conftest import DK_EXAMPLES, SYNTHEA


def cockpit(home: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "cockpit", "--home", str(home), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def cli_home(home: Path, keys: KeyStore) -> Iterator[Path]:
    yield home
    meta = home / "store.json"
    if meta.exists():
        keys.delete(json.loads(meta.read_text())["store_id"])


def test_import_synthea_then_list_and_look_up_a_patient(cli_home: Path) -> None:
    result = cockpit(cli_home, "import", SYNTHEA)
    assert result.returncode == 0, result.stderr
    assert "38,472 resources read" in result.stdout
    assert "0 quarantined" in result.stdout

    listed = cockpit(cli_home, "patients", "--json")
    assert listed.returncode == 0, listed.stderr
    patients = json.loads(listed.stdout)
    assert len(patients) == 100
    assert set(patients[0]) >= {"id", "fhir_id", "cpr", "name", "birth_date", "sex"}

    # Look up by FHIR id; conditions, medications and lab values come with their codes.
    shown = cockpit(cli_home, "overview", patients[0]["fhir_id"], "--json")
    assert shown.returncode == 0, shown.stderr
    record = json.loads(shown.stdout)
    assert set(record) >= {"patient", "conditions", "medications", "observations", "encounters", "home_care"}
    assert set(record["patient"]) >= {"id", "fhir_id", "cpr", "name", "birth_date", "sex"}
    for section in ("conditions", "medications", "observations", "encounters"):
        for row in record[section]:
            assert {"code_system", "code", "display"} <= set(row)
    assert record["observations"], "every Synthea patient has observations"
    assert all(o["code_system"] == "http://loinc.org" for o in record["observations"])


def test_danish_examples_keep_cpr_and_codes(cli_home: Path) -> None:
    assert cockpit(cli_home, "import", DK_EXAMPLES).returncode == 0
    shown = cockpit(cli_home, "overview", "111264-0001", "--json")
    assert shown.returncode == 0, shown.stderr
    record = json.loads(shown.stdout)
    assert record["patient"]["cpr"] == "1112640001"
    assert record["patient"]["name"] == "John Christian Meyerhofen"
    [diabetes] = record["conditions"]
    assert (diabetes["code_system"], diabetes["code"]) == ("urn:oid:1.2.208.176.2.4.12", "DE11")
    else_ = cockpit(cli_home, "patients", "--search", "lauridsen", "--json")
    [patient] = json.loads(else_.stdout)
    shown = json.loads(cockpit(cli_home, "overview", patient["cpr"], "--json").stdout)
    potassium = [o for o in shown["observations"] if o["code"] == "NPU03230"]
    assert potassium and potassium[0]["value_num"] == 3.0 and potassium[0]["unit"] == "mmol/L"
    assert potassium[0]["code_system"] == "http://npu-terminology.org"


def test_errors_are_one_line_without_a_traceback(cli_home: Path) -> None:
    missing = cockpit(cli_home, "import", cli_home / "no-such-dir")
    assert missing.returncode != 0
    assert "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1

    unknown = cockpit(cli_home, "overview", "0000000000")
    assert unknown.returncode != 0
    assert unknown.stderr.strip().startswith("cockpit: No patient")


def test_without_the_key_cli_and_gui_say_so_and_leave_the_file_alone(cli_home: Path, keys: KeyStore) -> None:
    assert cockpit(cli_home, "import", DK_EXAMPLES).returncode == 0
    keys.delete(json.loads((cli_home / "store.json").read_text())["store_id"])
    before = {p.name: p.read_bytes() for p in cli_home.iterdir() if p.is_file()}

    listed = cockpit(cli_home, "patients")
    assert listed.returncode == 3
    assert "not in the OS keyring" in listed.stderr
    assert "Traceback" not in listed.stderr

    gui = cockpit(cli_home, "--smoke-test")
    assert gui.returncode == 3
    assert "not in the OS keyring" in gui.stderr
    assert {p.name: p.read_bytes() for p in cli_home.iterdir() if p.is_file()} == before


def test_a_damaged_store_is_reported_by_cli_and_gui(cli_home: Path) -> None:
    assert cockpit(cli_home, "import", DK_EXAMPLES).returncode == 0
    db = cli_home / "cockpit.db"
    data = bytearray(db.read_bytes())
    data[0:4096] = bytes(4096)
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    for args in (["patients"], ["--smoke-test"]):
        result = cockpit(cli_home, *args)
        assert result.returncode == 4, result.stderr
        assert "damaged" in result.stderr
    assert db.read_bytes() == before


def test_the_gui_smoke_test_opens_the_store_and_exits_cleanly(cli_home: Path) -> None:
    assert cockpit(cli_home, "import", DK_EXAMPLES).returncode == 0
    result = cockpit(cli_home, "--smoke-test")
    assert result.returncode == 0, result.stderr
    assert "2 patients" in result.stderr


def test_demo_writes_a_reproducible_practice_that_imports_without_quarantine(
    cli_home: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = cockpit(
            cli_home, "demo", "--patients", "40", "--seed", "3", "--out", out, "--as-of", "2026-11-22"
        )
        assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in first.iterdir()) == sorted(p.name for p in second.iterdir())
    for file in first.iterdir():
        assert file.read_bytes() == (second / file.name).read_bytes(), file.name
    imported = cockpit(cli_home, "import", first, "--json")
    assert imported.returncode == 0, imported.stderr
    summary = json.loads(imported.stdout)
    assert summary["quarantined"] == 0
    assert summary["kept_by_type"]["Patient"] == 40


def test_demo_refuses_an_absurd_size(cli_home: Path, tmp_path: Path) -> None:
    result = cockpit(cli_home, "demo", "--patients", "5", "--out", tmp_path / "x")
    assert result.returncode == 2
    assert "10 to 100,000" in result.stderr


def test_a_screenshot_of_a_patient_is_written(cli_home: Path, tmp_path: Path) -> None:
    assert cockpit(cli_home, "import", DK_EXAMPLES).returncode == 0
    shot = tmp_path / "john.png"
    result = cockpit(cli_home, "--patient", "1112640001", "--screenshot", shot, "--size", "1024x700")
    assert result.returncode == 0, result.stderr
    assert shot.read_bytes().startswith(b"\x89PNG")
    width, height = (
        int.from_bytes(shot.read_bytes()[16:20], "big"),
        int.from_bytes(shot.read_bytes()[20:24], "big"),
    )
    assert (width, height) == (1024, 700)


def test_a_second_start_hands_the_patient_to_the_running_cockpit(cli_home: Path) -> None:
    assert cockpit(cli_home, "import", DK_EXAMPLES).returncode == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    running = subprocess.Popen(
        [sys.executable, "-m", "cockpit", "--home", str(cli_home)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(tempfile.gettempdir()) / server_name(cli_home)  # where QLocalServer listens on Unix
    try:
        for _ in range(300):  # until the first one listens (at most about 30 s)
            if socket.exists():
                break
            time.sleep(0.1)
        assert socket.exists(), "the first cockpit never started listening"
        second = cockpit(cli_home, "--patient", "1112640001")
        assert second.returncode == 0, second.stderr
        assert "handed over to the Patient Cockpit that is already running" in second.stderr
        assert running.poll() is None  # the first one is still there
    finally:
        running.terminate()
        running.wait(timeout=30)
