"""The encrypted store: created private, keyed from the real keyring, and never opened wrongly."""

import hashlib
import os
import stat
import threading
import time
from pathlib import Path

import keyring
import keyring.backends.fail
import orjson
import pytest
from sqlalchemy import text

from cockpit.errors import (
    CockpitError,
    KeyringUnavailableError,
    StoreDamagedError,
    StoreKeyMissingError,
    StoreLockedError,
    StoreVersionError,
)
from cockpit.security.keys import SERVICE, KeyStore
from cockpit.store import Store, open_store
from cockpit.store.engine import StorePaths
from cockpit.store.tuning import larger_page_cache


def _digest_files(home: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(home.rglob("*")) if p.is_file()
    }


def _closed_store_with_a_patient(home: Path, keys: KeyStore) -> Store:
    store = open_store(home, keys)
    with store.session() as session:
        session.execute(
            text(
                "INSERT INTO patients (cpr, name, search_text, sex, deceased, source, fhir_type, fhir_id,"
                " content_hash) VALUES ('0101011234', 'Test Testesen', 'test testesen', 'female', 0,"
                " 'test', 'Patient', 'p1', 'x')"
            )
        )
    store.close()
    return store


def test_a_new_store_is_private_and_its_key_is_only_in_the_keyring(home: Path, keys: KeyStore) -> None:
    store = open_store(home, keys)
    store.close()
    paths = StorePaths(home)
    assert stat.S_IMODE(paths.db.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.meta.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    key = keys.get(store.meta.store_id)
    assert key is not None and len(key) == 32
    meta = orjson.loads(paths.meta.read_bytes())
    assert set(meta) == {"store_id", "key_check", "format_version", "cipher"}
    for f in home.rglob("*"):
        if f.is_file():
            assert key.hex().encode() not in f.read_bytes()
            assert key not in f.read_bytes()
    # The SQLite header is encrypted too: a plain SQLite file would start with its magic string.
    assert not paths.db.read_bytes().startswith(b"SQLite format 3")
    keys.delete(store.meta.store_id)


def test_reopening_reads_what_was_written(home: Path, keys: KeyStore) -> None:
    store = _closed_store_with_a_patient(home, keys)
    again = open_store(home, keys)
    with again.session() as session:
        assert session.execute(text("SELECT name FROM patients")).scalar() == "Test Testesen"
    again.close()
    keys.delete(store.meta.store_id)


def test_missing_key_is_reported_and_the_file_left_alone(home: Path, keys: KeyStore) -> None:
    store = _closed_store_with_a_patient(home, keys)
    before = _digest_files(home)
    keys.delete(store.meta.store_id)
    with pytest.raises(StoreKeyMissingError, match="not in the OS keyring"):
        open_store(home, keys)
    assert _digest_files(home) == before


def test_a_wrong_key_is_reported_as_such_and_the_file_left_alone(home: Path, keys: KeyStore) -> None:
    store = _closed_store_with_a_patient(home, keys)
    before = _digest_files(home)
    keys.create(store.meta.store_id)  # a new random key under the same name
    with pytest.raises(StoreLockedError, match="does not belong"):
        open_store(home, keys)
    assert _digest_files(home) == before
    keys.delete(store.meta.store_id)


@pytest.mark.parametrize("offset", [0, 100, 5000])
def test_a_damaged_file_is_reported_and_left_alone(home: Path, keys: KeyStore, offset: int) -> None:
    store = _closed_store_with_a_patient(home, keys)
    db = StorePaths(home).db
    data = bytearray(db.read_bytes())
    data[offset : offset + 64] = bytes(64)
    db.write_bytes(bytes(data))
    before = _digest_files(home)
    with pytest.raises(StoreDamagedError, match="damaged"):
        opened = open_store(home, keys)
        # Damage beyond the first page shows when that page is read.
        with opened.session() as session:
            session.execute(text("SELECT count(*) FROM patients")).scalar()
        opened.close()
    assert _digest_files(home) == before
    keys.delete(store.meta.store_id)


def test_without_a_usable_keyring_nothing_is_written(home: Path) -> None:
    no_keyring = KeyStore(keyring.backends.fail.Keyring())
    with pytest.raises(KeyringUnavailableError, match="keyring"):
        open_store(home, no_keyring)
    assert not home.exists()


def test_a_store_from_a_newer_version_is_refused_untouched(home: Path, keys: KeyStore) -> None:
    store = _closed_store_with_a_patient(home, keys)
    reopened = open_store(home, keys)
    with reopened.session() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    reopened.close()
    before = _digest_files(home)
    with pytest.raises(StoreVersionError, match="newer"):
        open_store(home, keys)
    assert _digest_files(home) == before
    keys.delete(store.meta.store_id)


def test_the_key_is_kept_under_the_stores_id(home: Path, keys: KeyStore) -> None:
    store = open_store(home, keys)
    store.close()
    assert keyring.get_password(SERVICE, f"store-key:{store.meta.store_id}") is not None
    keys.delete(store.meta.store_id)
    assert keyring.get_password(SERVICE, f"store-key:{store.meta.store_id}") is None


def test_files_are_private_even_with_a_permissive_umask(home: Path, keys: KeyStore) -> None:
    old = os.umask(0o022)
    try:
        store = open_store(home, keys)
        with store.session() as session:
            session.execute(text("SELECT 1"))
        for f in home.iterdir():
            if f.name.startswith("cockpit.db"):
                assert stat.S_IMODE(f.stat().st_mode) == 0o600, f.name
        store.close()
    finally:
        os.umask(old)
    keys.delete(store.meta.store_id)


def test_a_running_statement_can_be_stopped_from_another_thread(store: Store) -> None:
    outcome: list[BaseException | int] = []

    def long_read() -> None:
        try:
            with store.session() as session:
                endless = (
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
                )
                outcome.append(session.execute(text(endless)).scalar_one())
        except BaseException as error:
            outcome.append(error)

    worker = threading.Thread(target=long_read)
    worker.start()
    time.sleep(0.3)  # it is counting by now
    started = time.perf_counter()
    store.interrupt()
    worker.join(timeout=5)
    assert not worker.is_alive()
    assert time.perf_counter() - started < 2
    [error] = outcome
    assert isinstance(error, CockpitError)
    assert "stopped" in str(error)


@pytest.mark.sqlcipher_only
def test_a_larger_page_cache_is_given_back_even_when_the_operation_fails(store: Store) -> None:
    with store.engine.connect() as conn:
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
        with pytest.raises(RuntimeError), larger_page_cache(conn, 65_536):
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == -65_536
            raise RuntimeError("the import failed")
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == before == -16_384
