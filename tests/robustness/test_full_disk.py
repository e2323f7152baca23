"""A full disk, for real (a 3 MB tmpfs): a clear StoreFullError with the free space, and no damage."""

import shutil
from pathlib import Path

import pytest

from cockpit.errors import StoreFullError
from cockpit.security.keys import KeyStore
from cockpit.store import open_store
from cockpit.store.backup import backup_store
from tests.conftest import DK_EXAMPLES
from tests.robustness.conftest import cockpit, fingerprint, forget, integrity


def test_an_import_onto_a_full_disk_says_so_and_leaves_the_store_as_it_was(
    small_disk: Path, practice_a: Path, keys: KeyStore
) -> None:
    home = small_disk / "home"
    assert cockpit(home, "import", DK_EXAMPLES).returncode == 0
    try:
        store = open_store(home, keys)
        before = fingerprint(store)
        store.close()
        assert before[0] > 0

        full = cockpit(home, "import", practice_a)  # about 4 MB of store: does not fit
        assert full.returncode == 10, full.stderr
        assert full.stderr.startswith("cockpit: The disk is full (")
        assert f"free in {home})" in full.stderr
        assert "nothing is damaged" in full.stderr and full.stderr.count("\n") == 1

        store = open_store(home, keys)
        try:
            assert integrity(store) == "ok"
            assert fingerprint(store) == before
        finally:
            store.close()
    finally:
        forget(home, keys)


def test_a_backup_onto_a_full_disk_leaves_no_file_behind(
    small_disk: Path, template: Path, tmp_path: Path, keys: KeyStore
) -> None:
    home = tmp_path / "home"
    shutil.copytree(template, home)  # shares the template's key; not to be forgotten here
    store = open_store(home, keys)
    try:
        out = small_disk / "practice.bak"
        out.write_bytes(b"an older backup")
        with pytest.raises(StoreFullError, match=r"The disk is full \(.* free in "):
            backup_store(store, out, "blue kettle under the oak")
        assert out.read_bytes() == b"an older backup"  # replaced only by a complete backup
        assert [p.name for p in small_disk.iterdir()] == ["practice.bak"]
        assert integrity(store) == "ok"
    finally:
        store.close()
