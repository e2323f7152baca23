"""Session-wide stores for the indicator tests: a generated demo practice and the Synthea sample, each
imported once into a real encrypted store (the import is the slow part)."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Final

import pytest

from cockpit.demo.generator import generate_practice
from cockpit.fhir.importer import import_path
from cockpit.security.keys import KeyStore
from cockpit.store import Store
from tests.conftest import SYNTHEA
from tests.postgres import open_test_store

DEMO_PATIENTS: Final = 3000
DEMO_SEED: Final = 2018
DEMO_AS_OF: Final = date(2025, 6, 30)
SYNTHEA_AS_OF: Final = date(2020, 5, 1)  # the sample's last encounters are in May 2020


def _imported_store(
    home: Path, source: Path, keys: KeyStore, backend: str, request: pytest.FixtureRequest
) -> Store:
    store = open_test_store(home, keys, backend, request)
    import_path(store, source)
    return store


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo-practice")
    generate_practice(root, patients=DEMO_PATIENTS, seed=DEMO_SEED, as_of=DEMO_AS_OF)
    return root


@pytest.fixture(scope="session")
def demo_store(
    tmp_path_factory: pytest.TempPathFactory,
    demo_files: Path,
    keys: KeyStore,
    backend: str,
    request: pytest.FixtureRequest,
) -> Iterator[Store]:
    home = tmp_path_factory.mktemp(f"demo-{backend}") / "home"
    store = _imported_store(home, demo_files, keys, backend, request)
    yield store
    store.close()


@pytest.fixture(scope="session")
def synthea_store(
    tmp_path_factory: pytest.TempPathFactory, keys: KeyStore, backend: str, request: pytest.FixtureRequest
) -> Iterator[Store]:
    home = tmp_path_factory.mktemp(f"synthea-{backend}") / "home"
    store = _imported_store(home, SYNTHEA, keys, backend, request)
    yield store
    store.close()
