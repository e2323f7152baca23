"""Shared fixtures. Tests use the real Secret Service keyring (``make test`` runs them inside a private
D-Bus session with an unlocked, throwaway gnome-keyring) and real SQLCipher files in temp directories."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.security.keys import KeyStore
from cockpit.store import Store, open_store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FHIR_DATA = SHARED / "fhir-data"
SYNTHEA = FHIR_DATA / "synthea-r4-100"
DK_EXAMPLES = FHIR_DATA / "dk-examples"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def keys() -> KeyStore:
    """The real OS keyring. Failing here means the tests were not started through tools/with-keyring."""
    store = KeyStore()
    store.check_available()
    return store


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def store(home: Path, keys: KeyStore) -> Iterator[Store]:
    opened = open_store(home, keys)
    yield opened
    opened.close()
    keys.delete(opened.meta.store_id)
