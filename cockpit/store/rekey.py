"""Key rotation: re-encrypt the store under a new random key, so that a crash at any point leaves a
store that opens.

The key lives in the keyring under the store id named in ``store.json``; rotating it therefore means a new
store id with a new key. The steps, and what a crash after each leaves:

1. ``rekey-pending.json`` names the old and the new store id.  -> old key opens it; the note is dropped.
2. The new key is created in the keyring under the new id.    -> the same; the unused key is deleted.
3. ``PRAGMA rekey`` (one SQLite transaction: all pages or none). -> whichever key opens it wins.
4. ``store.json`` names the new id and its key check (atomic).   -> the new key; the old one is deleted.
5. The old key is deleted, then the note.

``finish_interrupted_rekey`` (run by ``open_store`` before anything else) completes or undoes an
interrupted rotation by trying the old key first: while the rekey has not committed, its hot journal is
rolled back under the old key.
"""

import logging
import os
import uuid
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import orjson

from cockpit.errors import CockpitError, StoreDamagedError, StoreKeyMissingError, StoreLockedError
from cockpit.security.keys import KeyStore, key_check_value
from cockpit.store.driver import dbapi2
from cockpit.store.errors import translate_db_errors
from cockpit.store.meta import StoreMeta, read_meta, side_database_files, write_atomically, write_meta
from cockpit.store.server import ON_SERVER, read_server_settings

log = logging.getLogger(__name__)

PENDING_NAME: Final = "rekey-pending.json"
_DB_NAME: Final = "cockpit.db"  # cockpit.store.engine.DB_NAME (not imported: the engine imports us)
_META_NAME: Final = "store.json"


@dataclass(frozen=True, slots=True)
class _Pending:
    old_store_id: str
    new_store_id: str


class SimulatedCrash(BaseException):
    """Raised by ``stop_after`` (tests) to stop a rotation between two steps, as a crash would."""


def rekey_store(home: Path, keys: KeyStore, *, stop_after: int | None = None) -> str:
    """Re-encrypt the store in ``home`` under a new random key; returns the new store id. Nothing else
    may have the store open (refused with a clear error otherwise). ``stop_after`` (tests only) stops
    after that step as a crash would."""
    keys.check_available()
    if read_server_settings(home) is not None:
        raise CockpitError(ON_SERVER.format(what="rekey"))
    finish_interrupted_rekey(home, keys)
    meta = read_meta(home / _META_NAME)
    db = home / _DB_NAME
    if meta is None or not db.exists():
        raise CockpitError(f"There is no Patient Cockpit store in {home}.")
    old_key = keys.get(meta.store_id)
    if old_key is None or key_check_value(old_key) != meta.key_check:
        raise StoreKeyMissingError(
            f"The key of the store in {home} is not in the OS keyring, so it cannot be re-keyed."
        )
    pending = _Pending(old_store_id=meta.store_id, new_store_id=str(uuid.uuid4()))

    def step(number: int) -> None:
        if stop_after == number:
            raise SimulatedCrash

    con = _connect(db, old_key)
    try:
        # Leaving WAL mode needs the only connection: this refuses while a window has the store open.
        try:
            con.execute("PRAGMA journal_mode = DELETE").fetchone()
        except dbapi2.DatabaseError:
            raise CockpitError(
                "The store is open in another Patient Cockpit window or command: close it and run the "
                "re-key again. Nothing was changed."
            ) from None
        _write_pending(home, pending)
        step(1)
        new_key = keys.create(pending.new_store_id)
        step(2)
        try:
            with translate_db_errors(home):
                # The store goes back to WAL mode when the engine next connects.
                con.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
        except Exception:
            con.close()
            finish_interrupted_rekey(home, keys)  # whichever key opens it now decides
            raise
    finally:
        con.close()
    step(3)
    write_meta(
        home / _META_NAME, StoreMeta(store_id=pending.new_store_id, key_check=key_check_value(new_key))
    )
    step(4)
    _finish(home, keys, pending)
    log.info("re-keyed the store")
    return pending.new_store_id


def finish_interrupted_rekey(home: Path, keys: KeyStore) -> None:
    """Complete or undo a rotation that was interrupted (see the module's steps); no-op without one."""
    pending = _read_pending(home)
    if pending is None:
        return
    meta = read_meta(home / _META_NAME)
    if meta is not None and meta.store_id == pending.new_store_id:
        _finish(home, keys, pending)  # step 4 was done
        return
    db = home / _DB_NAME
    if not db.exists():  # nothing was re-keyed (and connecting would create an empty file)
        keys.delete(pending.new_store_id)
        _remove_pending(home)
        return
    old_key = keys.get(pending.old_store_id)
    new_key = keys.get(pending.new_store_id)
    if old_key is not None and key_opens(db, old_key):
        keys.delete(pending.new_store_id)  # the rekey never committed: undo
        _remove_pending(home)
        log.info("undid an interrupted re-key")
        return
    if new_key is not None and key_opens(db, new_key):
        write_meta(
            home / _META_NAME, StoreMeta(store_id=pending.new_store_id, key_check=key_check_value(new_key))
        )
        _finish(home, keys, pending)
        log.info("finished an interrupted re-key")
        return
    raise StoreLockedError(
        f"A re-key of the store in {home} was interrupted and neither key opens it. "
        "Restore it from a backup. The store was not changed."
    )


def _finish(home: Path, keys: KeyStore, pending: _Pending) -> None:
    for side in side_database_files(home):  # under the old key: nobody may read them any more
        with suppress(FileNotFoundError):
            side.unlink()
    keys.delete(pending.old_store_id)
    _remove_pending(home)


def key_opens(db: Path, key: bytes) -> bool:
    """Whether ``key`` opens the SQLCipher database ``db`` (read on a connection that writes nothing)."""
    con = _connect(db, key)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except dbapi2.DatabaseError:
        return False
    finally:
        con.close()


def _connect(db: Path, key: bytes) -> dbapi2.Connection:
    con = dbapi2.connect(str(db), isolation_level=None)
    con.execute("PRAGMA cipher_log_level = NONE")
    con.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return con


def _write_pending(home: Path, pending: _Pending) -> None:
    data = {"old_store_id": pending.old_store_id, "new_store_id": pending.new_store_id}
    write_atomically(home / PENDING_NAME, orjson.dumps(data))


def _read_pending(home: Path) -> _Pending | None:
    path = home / PENDING_NAME
    if not path.exists():
        return None
    try:
        data = orjson.loads(path.read_bytes())
        return _Pending(old_store_id=str(data["old_store_id"]), new_store_id=str(data["new_store_id"]))
    except (orjson.JSONDecodeError, KeyError, TypeError):
        raise StoreDamagedError(
            f"{path} (a note of an interrupted re-key) is damaged. If the store opens without it, "
            "delete it; else restore the store from a backup."
        ) from None


def _remove_pending(home: Path) -> None:
    with suppress(FileNotFoundError):
        os.unlink(home / PENDING_NAME)
