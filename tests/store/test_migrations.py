"""Schema migrations: the models and the migrations agree, and a backup is taken before migrating."""

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from cockpit.fhir.importer import import_path
from cockpit.models import Base
from cockpit.security.keys import KeyStore
from cockpit.services.patients import PatientService
from cockpit.store import Store, open_store
from cockpit.store.migrate import alembic_config
from cockpit.store.migrations import HEAD
from tests.conftest import DK_EXAMPLES


def test_head_constant_names_the_newest_migration() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [HEAD]


def test_migrations_build_exactly_the_schema_of_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_an_old_store_is_backed_up_before_it_is_migrated(home: Path, keys: KeyStore) -> None:
    store = open_store(home, keys)
    config = alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
        conn.execute(text("CREATE TABLE legacy_notes (id INTEGER PRIMARY KEY)"))
    store.close()
    assert not (home / "backups").exists()

    migrated = open_store(home, keys)
    backups = list((home / "backups").iterdir())
    assert len(backups) == 1
    assert backups[0].stat().st_mode & 0o077 == 0
    with migrated.session() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    migrated.close()
    keys.delete(store.meta.store_id)


def test_upgrading_from_the_first_schema_indexes_the_patients_already_there(
    home: Path, keys: KeyStore
) -> None:
    store = open_store(home, keys)
    import_path(store, DK_EXAMPLES)
    config = alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    store.close()

    upgraded = open_store(home, keys)
    try:
        assert len(list((home / "backups").iterdir())) == 1
        found = PatientService(upgraded).search("meyer")
        assert [p.name for p in found] == ["John Christian Meyerhofen"]
    finally:
        upgraded.close()
        keys.delete(store.meta.store_id)
