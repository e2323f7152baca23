"""Encrypted backups of the whole store, and restoring one into a data directory.

A backup is a SQLCipher database keyed with a *passphrase* (SQLCipher's own PBKDF2-HMAC-SHA512 key
derivation), made with ``sqlcipher_export`` from one consistent read of the store. It does not depend on
the OS keyring: that is what makes it the way back when the keyring entry of a store is lost (there is
no other; see docs/privacy.md). The file is written 0600 under a temporary name in the target directory
and renamed into place only when complete, so a crash or a full disk leaves no half backup; the
temporary file is encrypted from its first page.

Restoring opens the backup with the passphrase, creates a new random raw key in the keyring, exports the
backup into a new store keyed with it, and writes ``store.json`` last.
"""

import logging
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from cockpit.errors import CockpitError, InputError, StoreDamagedError
from cockpit.security.keys import KeyStore, key_check_value
from cockpit.store.driver import dbapi2
from cockpit.store.engine import DB_NAME, META_NAME, Store, StorePaths
from cockpit.store.errors import disk_full_error, is_disk_full, translate_db_errors
from cockpit.store.meta import StoreMeta, side_database_files, write_meta
from cockpit.store.rekey import PENDING_NAME
from cockpit.store.server import ON_SERVER, read_server_settings

log = logging.getLogger(__name__)

MIN_PASSPHRASE: Final = 12


@dataclass(frozen=True, slots=True)
class BackupSummary:
    path: Path
    size: int
    tables: int


@dataclass(frozen=True, slots=True)
class RestoreSummary:
    home: Path
    tables: int
    moved_aside: Path | None  # where the replaced store went (``--replace``)


def check_passphrase_rule(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise InputError(
            f"The backup passphrase is too short: use at least {MIN_PASSPHRASE} characters "
            "(a few words are easier to keep than a short code)."
        )


def backup_store(store: Store, out: Path, passphrase: str) -> BackupSummary:
    """Write an encrypted copy of ``store`` to ``out`` (replacing an existing file only when complete)."""
    if store.on_server:
        raise CockpitError(ON_SERVER.format(what="backup"))
    check_passphrase_rule(passphrase)
    out = out.resolve()
    if out.is_dir():
        raise InputError(f"{out} is a directory: give the name of the backup file to write.")
    if not out.parent.is_dir():
        raise InputError(f"There is no directory {out.parent}: create it first, or write elsewhere.")
    if out in [p.resolve() for p in store.paths.database_files()]:
        raise InputError("A backup cannot overwrite the store itself: write it to another file.")
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
    try:
        _create_private(tmp)
        with translate_db_errors(out.parent), _raw(store) as con:
            con.execute(f"ATTACH DATABASE '{_quote(tmp)}' AS backup KEY '{_quote(passphrase)}'")
            try:
                con.execute("BEGIN")  # one consistent read of the whole store
                con.execute("SELECT sqlcipher_export('backup')")
                tables = con.execute(
                    "SELECT count(*) FROM backup.sqlite_master WHERE type = 'table'"
                ).fetchone()[0]
                con.execute("COMMIT")
            finally:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                con.execute("DETACH DATABASE backup")
        _fsync(tmp)
        os.replace(tmp, out)
        _fsync_dir(out.parent)
    except OSError as error:
        if is_disk_full(error):
            raise disk_full_error(out.parent) from None
        raise
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            with suppress(FileNotFoundError):
                leftover.unlink()
    log.info("wrote an encrypted backup (%d tables)", tables)
    return BackupSummary(path=out, size=out.stat().st_size, tables=int(tables))


def restore_store(
    backup: Path, home: Path, keys: KeyStore, passphrase: str, *, replace: bool = False
) -> RestoreSummary:
    """Restore ``backup`` into ``home`` under a new key. An existing store is refused unless ``replace``,
    which first moves it (database, WAL and ``store.json``) aside into ``home/replaced-<time>/``."""
    keys.check_available()
    if read_server_settings(home) is not None:
        raise CockpitError(ON_SERVER.format(what="restore"))
    if not backup.is_file():
        raise InputError(f"There is no backup file {backup}.")
    paths = StorePaths(home)
    existing = [p for p in [*paths.database_files(), *side_database_files(home), paths.meta] if p.exists()]
    if existing and (home / PENDING_NAME).exists():
        existing.append(home / PENDING_NAME)  # a re-key note belongs to the store it goes with
    if existing and not replace:
        raise InputError(
            f"There is already a store in {home}: restore into another directory, or add --replace to "
            "move the present one aside first."
        )
    with _open_backup(backup, passphrase) as source:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        meta = StoreMeta.new("")
        key = keys.create(meta.store_id)  # the keyring first: no data file exists without its key
        staged = home / f".{DB_NAME}.restore-{secrets.token_hex(4)}"
        try:
            _create_private(staged)
            with translate_db_errors(home):
                source.execute(f"ATTACH DATABASE '{_quote(staged)}' AS restored KEY \"x'{key.hex()}'\"")
                source.execute("SELECT sqlcipher_export('restored')")
                tables = source.execute(
                    "SELECT count(*) FROM restored.sqlite_master WHERE type = 'table'"
                ).fetchone()[0]
                source.execute("DETACH DATABASE restored")
            _fsync(staged)
            moved = _move_aside(paths, existing) if existing else None
            os.replace(staged, paths.db)
            write_meta(paths.meta, StoreMeta(store_id=meta.store_id, key_check=key_check_value(key)))
            _fsync_dir(home)
        except BaseException:
            keys.delete(meta.store_id)
            raise
        finally:
            for leftover in (staged, staged.with_name(staged.name + "-journal")):
                with suppress(FileNotFoundError):
                    leftover.unlink()
    log.info("restored a backup (%d tables) under a new key", tables)
    return RestoreSummary(home=home, tables=int(tables), moved_aside=moved)


@contextmanager
def _open_backup(backup: Path, passphrase: str) -> Iterator[dbapi2.Connection]:
    """The backup, opened read-only with the passphrase; InputError if it will not open."""
    con = dbapi2.connect(f"file:{backup.resolve()}?mode=ro", uri=True, isolation_level=None)
    try:
        con.execute("PRAGMA cipher_log_level = NONE")
        con.execute(f"PRAGMA key = '{_quote(passphrase)}'")
        con.execute("PRAGMA temp_store = MEMORY")
        try:
            names = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except dbapi2.DatabaseError:
            raise InputError(
                f"{backup} cannot be opened with this passphrase: the passphrase is wrong, or the file "
                "is not a Patient Cockpit backup. Nothing was changed."
            ) from None
        if "alembic_version" not in names:
            raise InputError(f"{backup} is not a Patient Cockpit backup. Nothing was changed.")
        if con.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise StoreDamagedError(f"The backup {backup} is damaged. Nothing was changed.")
        yield con
    finally:
        con.close()


def _move_aside(paths: StorePaths, files: list[Path]) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = paths.home / f"replaced-{stamp}"
    target.mkdir(mode=0o700)
    # store.json last: while the database is moved, the directory still says which key it had.
    for path in sorted(files, key=lambda p: p.name == META_NAME):
        os.replace(path, target / path.name)
    return target


@contextmanager
def _raw(store: Store) -> Iterator[dbapi2.Connection]:
    """The driver connection of a pooled store connection, in autocommit (ATTACH needs it)."""
    pooled = store.engine.raw_connection()
    try:
        con = pooled.driver_connection
        assert isinstance(con, dbapi2.Connection)
        yield con
    finally:
        pooled.close()


def _create_private(path: Path) -> None:
    """An empty file, 0600 before any byte is in it (SQLCipher then writes only encrypted pages)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _quote(text: str | Path) -> str:
    return str(text).replace("'", "''")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with suppress(OSError):  # not every platform can fsync a directory
        _fsync(path)
