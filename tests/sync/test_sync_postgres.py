"""The sync's apply on the practice server's store (PostgreSQL): its raw SQL is portable. A full sync into
an empty store, then a forced full sync over it (the received type/ids in a temporary table, ``INSERT ...
ON CONFLICT DO NOTHING``, the unseen rows removed), give what ``cockpit import`` of the same files gives
there (the rows as PostgreSQL returns them: dates are not text as on SQLCipher)."""

from pathlib import Path

import pytest

from cockpit.fhir.importer import import_path
from cockpit.security.keys import KeyStore
from cockpit.sync.engine import sync_server
from cockpit.sync.settings import SyncSettings
from tests.conftest import SYNTHEA
from tests.postgres import open_test_store
from tests.sync.content import store_content

KEPT = 23_137


def test_full_syncs_on_postgres_equal_import(
    fhir_server: str, keys: KeyStore, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    imported = open_test_store(tmp_path / "imported", keys, "postgres", request)
    try:
        import_path(imported, SYNTHEA)
        imported_content = store_content(imported)
    finally:
        imported.close()
    store = open_test_store(tmp_path / "home", keys, "postgres", request)
    try:
        first = sync_server(store, SyncSettings(server_url=fhir_server))
        assert (first.inserted, first.deleted) == (KEPT, 0)
        assert store_content(store) == imported_content
        again = sync_server(store, SyncSettings(server_url=fhir_server), full=True)
        assert (again.unchanged, again.inserted, again.updated, again.deleted) == (KEPT, 0, 0, 0)
        assert store_content(store) == imported_content
    finally:
        store.close()
