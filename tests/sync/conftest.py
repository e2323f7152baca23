"""Fixtures for the sync tests: a real FHIR server (sekmet) with the Synthea set, and the reference store
that ``cockpit import`` of the same files gives."""

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cockpit.fhir.importer import import_path
from cockpit.security.keys import KeyStore
from cockpit.store import Store, open_store
from tests.conftest import SYNTHEA
from tests.sync import peer
from tests.sync.content import store_content


@pytest.fixture(scope="session")
def loaded_peer_data() -> Path:
    try:
        peer.install()
    except peer.PeerUnavailableError as problem:
        pytest.skip(f"the test FHIR server (sekmet-fhir) cannot be installed, no network? ({problem})")
    return peer.loaded_data(SYNTHEA)


@pytest.fixture(scope="session")
def fhir_server(loaded_peer_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with the Synthea set that no test changes: its base URL."""
    directory = peer.copy_of(loaded_peer_data, tmp_path_factory.mktemp("sekmet-shared"))
    with peer.running_server(directory) as base_url:
        yield base_url
    shutil.rmtree(directory / "data", ignore_errors=True)  # 300 MB; pytest keeps old temp dirs


@pytest.fixture
def fresh_fhir_server(loaded_peer_data: Path, tmp_path: Path) -> Iterator[str]:
    """A server of this test's own (it may edit the data), on a copy of the loaded Synthea set."""
    directory = peer.copy_of(loaded_peer_data, tmp_path / "sekmet")
    with peer.running_server(directory) as base_url:
        yield base_url
    shutil.rmtree(directory / "data", ignore_errors=True)


@pytest.fixture(scope="session")
def imported_content(keys: KeyStore, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What ``cockpit import`` of the Synthea files puts in a store (ids and provenance left out)."""
    store = open_store(tmp_path_factory.mktemp("imported") / "home", keys)
    try:
        import_path(store, SYNTHEA)
        return store_content(store)
    finally:
        store.close()
        keys.delete(store.meta.store_id)


@pytest.fixture
def make_store(keys: KeyStore, tmp_path: Path) -> Iterator[Any]:
    """Open (or reopen) a store in ``tmp_path/<name>``; every key is deleted at the end."""
    opened: list[Store] = []

    def make(name: str = "home") -> Store:
        store = open_store(tmp_path / name, keys)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()
    for store_id in {store.meta.store_id for store in opened}:
        keys.delete(store_id)
