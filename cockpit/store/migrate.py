"""Bringing a store's schema to the current version, with a backup taken before any migration."""

import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from cockpit.errors import StoreVersionError
from cockpit.store.errors import translate_db_errors
from cockpit.store.migrations import HEAD
from cockpit.store.paths import StorePaths

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_schema(engine: Engine, paths: StorePaths) -> None:
    if engine.dialect.name == "postgresql":
        _upgrade_server_schema(engine)
        return
    with translate_db_errors():
        with engine.connect() as conn:
            current = current_revision(conn)
            has_tables = bool(inspect(conn).get_table_names())
        if current == HEAD:
            return
        config = alembic_config()
        known = {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}
        if current is not None and current not in known:
            raise StoreVersionError(
                f"The store in {paths.home} was written by a newer Patient Cockpit (schema {current}). "
                "Install that version or newer; this one leaves the store untouched."
            )
        if has_tables:
            backup = backup_database(engine, paths, label=current or "unversioned")
            log.info("backed up the store before migrating it (%s)", backup.name)
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")


def _upgrade_server_schema(engine: Engine) -> None:
    """On the practice server, several workstations may start the new version at once: the check and the
    migration run in one write transaction (the writer lock), so exactly one migrates and the others see
    the result. PostgreSQL's DDL is transactional, so a failed migration leaves the schema as it was; the
    server's own backups (pg_dump, run by the practice's IT) are the safety net, not a file copy."""
    with (
        translate_db_errors(),
        engine.connect().execution_options(immediate=True) as conn,
        conn.begin(),
    ):
        current = current_revision(conn)
        if current == HEAD:
            return
        known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
        if current is not None and current not in known:
            raise StoreVersionError(
                f"The practice server's database was written by a newer Patient Cockpit (schema {current}). "
                "Install that version or newer on this workstation; this one leaves the database untouched."
            )
        log.info("migrating the practice server's database from %s", current or "empty")
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def backup_database(engine: Engine, paths: StorePaths, label: str) -> Path:
    """Copy the (encrypted) database file after folding the WAL into it; the copy is as private as the
    original and is opened with the same key."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    paths.backups.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = paths.backups / f"cockpit-{label}-{stamp}.db"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(fd, "wb") as out, paths.db.open("rb") as src:
        shutil.copyfileobj(src, out)
        out.flush()
        os.fsync(out.fileno())
    return target
