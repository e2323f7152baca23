"""Key rotation: the data stays, the old key no longer opens the store, and a crash between any two steps
leaves a store that opens (the next open completes or undoes the rotation)."""

import json
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2

from cockpit.errors import CockpitError
from cockpit.fhir.importer import import_path
from cockpit.security.keys import KeyStore
from cockpit.store import Store, open_store
from cockpit.store.rekey import PENDING_NAME, SimulatedCrash, rekey_store
from tests.conftest import DK_EXAMPLES
from tests.store.test_backup import table_contents

pytestmark = pytest.mark.sqlcipher_only  # the SQLCipher file itself (the server has pg_dump)


def opens_with(db: Path, key: bytes) -> bool:
    con = dbapi2.connect(str(db))
    try:
        con.execute("PRAGMA cipher_log_level = NONE")
        con.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except dbapi2.DatabaseError:
        return False
    finally:
        con.close()


def store_id(home: Path) -> str:
    return str(json.loads((home / "store.json").read_text())["store_id"])


@pytest.fixture
def closed(store: Store) -> tuple[Store, bytes]:
    """An imported store, closed, with its key."""
    import_path(store, DK_EXAMPLES)
    key = KeyStore().get(store.meta.store_id)
    assert key is not None
    store.close()
    return store, key


def test_rekey_keeps_the_data_and_the_old_key_no_longer_opens_it(
    closed: tuple[Store, bytes], home: Path, keys: KeyStore
) -> None:
    old, old_key = closed
    reopened = open_store(home, keys)
    before = table_contents(reopened)
    reopened.close()

    new_id = rekey_store(home, keys)
    assert store_id(home) == new_id != old.meta.store_id
    assert keys.get(old.meta.store_id) is None  # the old key is gone from the keyring
    assert not opens_with(home / "cockpit.db", old_key)
    new_key = keys.get(new_id)
    assert new_key is not None and new_key != old_key and opens_with(home / "cockpit.db", new_key)
    assert not (home / PENDING_NAME).exists()
    rekeyed = open_store(home, keys, create=False)
    try:
        assert table_contents(rekeyed) == before
    finally:
        rekeyed.close()
        keys.delete(new_id)


@pytest.mark.parametrize(("step", "finished"), [(1, False), (2, False), (3, True), (4, True)])
def test_a_crash_after_any_step_leaves_a_store_that_opens(
    closed: tuple[Store, bytes], home: Path, keys: KeyStore, step: int, finished: bool
) -> None:
    old, old_key = closed
    reopened = open_store(home, keys)
    before = table_contents(reopened)
    reopened.close()
    with pytest.raises(SimulatedCrash):
        rekey_store(home, keys, stop_after=step)
    assert (home / PENDING_NAME).exists()
    pending = json.loads((home / PENDING_NAME).read_text())

    recovered = open_store(home, keys, create=False)
    try:
        assert table_contents(recovered) == before
        # Exactly one key is left, the one store.json names: rotation finished (3, 4) or undone (1, 2).
        expected_id = pending["new_store_id"] if finished else old.meta.store_id
        other_id = old.meta.store_id if finished else pending["new_store_id"]
        assert recovered.meta.store_id == store_id(home) == expected_id
        assert keys.get(other_id) is None
        assert opens_with(home / "cockpit.db", old_key) is not finished
        assert not (home / PENDING_NAME).exists()
    finally:
        recovered.close()
        keys.delete(store_id(home))


def test_rekey_is_refused_while_the_store_is_open(store: Store, home: Path, keys: KeyStore) -> None:
    import_path(store, DK_EXAMPLES)
    before = table_contents(store)
    with pytest.raises(CockpitError, match="open in another Patient Cockpit window"):
        rekey_store(home, keys)
    # Still the old key; the window that has it open reads on.
    assert store_id(home) == store.meta.store_id
    assert table_contents(store) == before
    assert not (home / PENDING_NAME).exists()
