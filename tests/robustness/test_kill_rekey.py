"""kill -9 of ``cockpit rekey`` at random moments: the next open completes or undoes the rotation, the
store opens with the data it had, and exactly one key is left in the keyring."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from cockpit.security.keys import KeyStore
from cockpit.store import open_store
from cockpit.store.backup import backup_store, restore_store
from cockpit.store.rekey import PENDING_NAME
from tests.robustness.conftest import ADMIN_PW, fingerprint, forget, integrity

KILLS = 10
PASSPHRASE = "blue kettle under the oak"


def start_rekey(home: Path) -> subprocess.Popen[bytes]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}
    env = {**clean, "QT_QPA_PLATFORM": "offscreen", "COCKPIT_USER": "ada", "COCKPIT_PASSWORD": ADMIN_PW}
    return subprocess.Popen(
        [sys.executable, "-m", "cockpit", "--home", str(home), "rekey"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_a_rekey_killed_at_any_moment_leaves_a_store_that_opens(
    template: Path, tmp_path: Path, keys: KeyStore
) -> None:
    # Each attempt needs a store with its own key (a rotation deletes the old one): restored copies.
    store = open_store(template, keys)
    try:
        expected = fingerprint(store)
        backup_store(store, tmp_path / "template.bak", PASSPHRASE)
    finally:
        store.close()

    home = tmp_path / "timed"
    restore_store(tmp_path / "template.bak", home, keys, PASSPHRASE)
    started = time.monotonic()
    run = start_rekey(home)
    _, stderr = run.communicate(timeout=60)
    duration = time.monotonic() - started
    assert run.returncode == 0, stderr.decode()
    forget(home, keys)

    rng = random.Random(9)
    interrupted = 0
    for attempt in range(KILLS):
        home = tmp_path / f"killed-{attempt}"
        restore_store(tmp_path / "template.bak", home, keys, PASSPHRASE)
        old_id = json.loads((home / "store.json").read_text())["store_id"]
        process = start_rekey(home)
        if attempt % 2:
            time.sleep(rng.uniform(duration * 0.3, duration))
        else:  # aim at the rotation itself: a moment after its note appears
            while not (home / PENDING_NAME).exists() and process.poll() is None:
                time.sleep(0.001)
            time.sleep(rng.uniform(0.0, 0.1))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        pending = json.loads((home / PENDING_NAME).read_text()) if (home / PENDING_NAME).exists() else None
        try:
            store = open_store(home, keys, create=False)
            try:
                assert integrity(store) == "ok"
                assert fingerprint(store) == expected
                now_id = store.meta.store_id
            finally:
                store.close()
            assert not (home / PENDING_NAME).exists()
            # One key left: the one store.json names; the other of the pair is gone.
            if pending is not None:
                interrupted += 1
                [other] = {pending["old_store_id"], pending["new_store_id"]} - {now_id}
                assert keys.get(other) is None, f"attempt {attempt}: a key was left behind"
            elif now_id != old_id:
                assert keys.get(old_id) is None
        finally:
            forget(home, keys)
    assert interrupted >= KILLS // 4, "too few kills landed inside the rotation to prove anything"
