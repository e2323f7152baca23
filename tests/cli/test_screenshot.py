"""``cockpit --patient CPR --screenshot FILE`` is a documentation and CI command: it ends in every case,
with the exit code of what went wrong. Real processes, a real keyring, a real encrypted store."""

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.security.keys import KeyStore
from tests.conftest import DK_EXAMPLES


def cockpit(home: Path, *args: str | Path, **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """The finished process and how many seconds it ran."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "cockpit", "--home", str(home), *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
        timeout=120,
        check=False,
    )
    return result, time.monotonic() - started


@pytest.fixture
def imported(home: Path, keys: KeyStore) -> Iterator[Path]:
    """A home with the two Danish example patients."""
    result, _ = cockpit(home, "import", DK_EXAMPLES)
    assert result.returncode == 0, result.stderr
    yield home
    keys.delete(json.loads((home / "store.json").read_text())["store_id"])


def test_an_unknown_patient_ends_the_screenshot_with_exit_6_within_seconds(
    imported: Path, tmp_path: Path
) -> None:
    shot = tmp_path / "x.png"
    result, seconds = cockpit(imported, "--patient", "0101010000", "--screenshot", shot)
    assert result.returncode == 6, result.stderr
    assert "No patient matches that CPR number or id." in result.stderr
    assert "Traceback" not in result.stderr
    assert not shot.exists()
    assert seconds < 30  # it used to wait for an overview that never came


def test_a_store_that_cannot_open_ends_the_screenshot_with_its_exit_code(
    imported: Path, tmp_path: Path
) -> None:
    db = imported / "cockpit.db"
    data = bytearray(db.read_bytes())
    data[0:4096] = bytes(4096)
    db.write_bytes(bytes(data))
    shot = tmp_path / "x.png"
    result, _ = cockpit(imported, "--patient", "1112640001", "--screenshot", shot)
    assert result.returncode == 4, result.stderr
    assert "damaged" in result.stderr
    assert not shot.exists()


def test_a_screenshot_that_is_not_ready_in_time_ends_with_a_clear_message(
    imported: Path, tmp_path: Path
) -> None:
    shot = tmp_path / "x.png"
    result, _ = cockpit(
        imported, "--patient", "1112640001", "--screenshot", shot, COCKPIT_SCREENSHOT_TIME_LIMIT="0.05"
    )
    assert result.returncode == 15, result.stderr
    assert "the screenshot was not ready within 0.05 s; nothing was written" in result.stderr
    assert not shot.exists()
