"""Encrypted backups: backup -> delete the store -> restore gives the same data, under a new key."""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from cockpit.errors import InputError, StoreKeyMissingError
from cockpit.fhir.importer import import_path
from cockpit.privacy.identity import Role, os_actor
from cockpit.privacy.users import UserDirectory
from cockpit.security.keys import KeyStore
from cockpit.store import Store, open_store
from cockpit.store.backup import backup_store, restore_store
from cockpit.store.rekey import PENDING_NAME, SimulatedCrash, rekey_store
from tests.conftest import DK_EXAMPLES

PASSPHRASE = "blue kettle under the oak"
CPR = "1112640001"  # John Christian Meyerhofen in the Danish examples
NAME = "Meyerhofen"

pytestmark = pytest.mark.sqlcipher_only  # the SQLCipher file itself (the server has pg_dump)


def table_contents(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    with store.engine.connect() as conn:
        names = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).scalars()
        return {
            name: sorted((tuple(r) for r in conn.exec_driver_sql(f'SELECT * FROM "{name}"')), key=repr)
            for name in list(names)
        }


@pytest.fixture
def filled(store: Store) -> Store:
    import_path(store, DK_EXAMPLES)
    UserDirectory(store).add(os_actor(), "ada", "Ada Admin", Role.ADMIN, "correct horse battery")
    return store


def _delete_store(home: Path, keys: KeyStore, store: Store) -> None:
    store.close()
    keys.delete(store.meta.store_id)
    for path in home.iterdir():
        if path.is_file():
            path.unlink()


def test_backup_then_delete_then_restore_gives_the_same_tables(
    filled: Store, home: Path, keys: KeyStore, tmp_path: Path
) -> None:
    before = table_contents(filled)
    assert len(before["patients"]) > 0 and len(before["practice_users"]) == 1
    out = tmp_path / "practice.cockpit-backup"
    summary = backup_store(filled, out, PASSPHRASE)
    assert summary.tables == len(before)
    assert out.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left
    _delete_store(home, keys, filled)

    restored = restore_store(out, home, keys, PASSPHRASE)
    assert restored.moved_aside is None
    reopened = open_store(home, keys, create=False)
    try:
        assert reopened.meta.store_id != filled.meta.store_id  # a new key under a new id
        assert table_contents(reopened) == before
        assert UserDirectory(reopened).authenticate("ada", "correct horse battery").role is Role.ADMIN
    finally:
        reopened.close()
        keys.delete(reopened.meta.store_id)


def test_the_backup_file_holds_no_plaintext(filled: Store, tmp_path: Path) -> None:
    with filled.session() as session:
        assert session.execute(text("SELECT count(*) FROM patients WHERE cpr = :c"), {"c": CPR}).scalar()
    out = tmp_path / "b.bak"
    backup_store(filled, out, PASSPHRASE)
    data = out.read_bytes()
    assert len(data) > 100_000
    for needle in (CPR.encode(), NAME.encode(), b"SQLite format 3", b"CREATE TABLE", PASSPHRASE.encode()):
        assert needle not in data


def test_a_wrong_passphrase_is_a_clear_error_and_writes_nothing(
    filled: Store, tmp_path: Path, keys: KeyStore
) -> None:
    out = tmp_path / "b.bak"
    backup_store(filled, out, PASSPHRASE)
    target = tmp_path / "elsewhere"
    with pytest.raises(InputError, match="passphrase is wrong"):
        restore_store(out, target, keys, "not the passphrase at all")
    assert not target.exists()


def test_a_restore_does_not_overwrite_a_store_unless_asked_and_then_keeps_the_old_one(
    filled: Store, home: Path, keys: KeyStore, tmp_path: Path
) -> None:
    before = table_contents(filled)
    out = tmp_path / "b.bak"
    backup_store(filled, out, PASSPHRASE)
    files = sorted(p.name for p in home.iterdir())
    with pytest.raises(InputError, match="already a store"):
        restore_store(out, home, keys, PASSPHRASE)
    assert sorted(p.name for p in home.iterdir()) == files
    filled.close()

    restored = restore_store(out, home, keys, PASSPHRASE, replace=True)
    assert restored.moved_aside is not None
    # The replaced store is kept whole and still opens with its own key.
    aside = open_store(restored.moved_aside, keys, create=False)
    try:
        assert aside.meta.store_id == filled.meta.store_id
        assert table_contents(aside) == before
    finally:
        aside.close()
    reopened = open_store(home, keys, create=False)
    try:
        assert reopened.meta.store_id != filled.meta.store_id
        assert table_contents(reopened) == before
    finally:
        reopened.close()
        keys.delete(reopened.meta.store_id)


def test_a_lost_keyring_entry_is_recovered_only_from_a_backup(
    filled: Store, home: Path, keys: KeyStore, tmp_path: Path
) -> None:
    before = table_contents(filled)
    out = tmp_path / "b.bak"
    backup_store(filled, out, PASSPHRASE)
    filled.close()
    keys.delete(filled.meta.store_id)  # the keyring entry is lost
    db_bytes = (home / "cockpit.db").read_bytes()
    with pytest.raises(StoreKeyMissingError, match="not in the OS keyring"):
        open_store(home, keys)
    assert (home / "cockpit.db").read_bytes() == db_bytes  # left exactly as it was

    restore_store(out, home, keys, PASSPHRASE, replace=True)
    reopened = open_store(home, keys, create=False)
    try:
        assert table_contents(reopened) == before
    finally:
        reopened.close()
        keys.delete(reopened.meta.store_id)


def test_a_short_passphrase_or_a_directory_is_refused(filled: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="at least 12 characters"):
        backup_store(filled, tmp_path / "b.bak", "short")
    with pytest.raises(InputError, match="is a directory"):
        backup_store(filled, tmp_path, PASSPHRASE)
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]


def test_replacing_a_store_whose_rekey_was_interrupted_takes_its_note_along(
    filled: Store, home: Path, keys: KeyStore, tmp_path: Path
) -> None:
    before = table_contents(filled)
    out = tmp_path / "b.bak"
    backup_store(filled, out, PASSPHRASE)
    filled.close()
    with pytest.raises(SimulatedCrash):
        rekey_store(home, keys, stop_after=3)  # re-keyed, but store.json still names the old key

    restored = restore_store(out, home, keys, PASSPHRASE, replace=True)
    assert restored.moved_aside is not None
    assert (restored.moved_aside / PENDING_NAME).exists()
    reopened = open_store(home, keys, create=False)
    try:
        assert table_contents(reopened) == before
    finally:
        reopened.close()
        keys.delete(reopened.meta.store_id)
    # The store moved aside finishes its own rotation when it is opened where it now is.
    aside = open_store(restored.moved_aside, keys, create=False)
    try:
        assert table_contents(aside) == before
    finally:
        aside.close()
        keys.delete(aside.meta.store_id)
