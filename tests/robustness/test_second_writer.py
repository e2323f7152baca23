"""Two ``cockpit import`` processes on one store at once: the second waits for the first (SQLite's busy
timeout) or is refused with a one-line message; either way the store ends whole, never mixed."""

import os
import subprocess
import sys
import time
from pathlib import Path

from cockpit.security.keys import KeyStore
from cockpit.store import open_store
from tests.robustness.conftest import GP, copy_of, fingerprint, integrity

BUSY = "cockpit: The store is busy in another Patient Cockpit window; try again in a moment.\n"


def test_a_second_import_waits_or_is_refused_cleanly(
    template: Path, practice_a: Path, practice_b: Path, tmp_path: Path, keys: KeyStore
) -> None:
    home = copy_of(template, tmp_path / "home")
    store = open_store(home, keys)
    old = fingerprint(store)
    store.close()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}
    env = {**clean, "QT_QPA_PLATFORM": "offscreen", **GP}

    def start(source: Path) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "cockpit", "--home", str(home), "import", str(source)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    first = start(practice_b)
    time.sleep(1.2)  # the first is inside its import transaction (about 1 s of start-up before it)
    second = start(practice_a)  # A is already there: the second changes nothing if it runs
    _, err_first = first.communicate(timeout=120)
    out_second, err_second = second.communicate(timeout=120)

    assert first.returncode == 0, err_first
    assert (second.returncode, err_second) in ((0, ""), (1, BUSY)), err_second
    if second.returncode == 0:
        assert " 0 new, 0 changed," in out_second
    store = open_store(home, keys)
    try:
        assert integrity(store) == "ok"
        after = fingerprint(store)
        assert after[0] == old[0] + 200  # B whole, once
        assert after[-1] - old[-1] == (2 if second.returncode == 0 else 1)  # import runs recorded
    finally:
        store.close()
