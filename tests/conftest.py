"""Shared fixtures. Tests use the real Secret Service keyring (``make test`` runs them inside a private
D-Bus session with an unlocked, throwaway gnome-keyring) and real SQLCipher files in temp directories.

The store, indicator, worklist, privacy, import, service and CLI tests that use a store run twice: on the
embedded SQLCipher store and on the practice server's PostgreSQL store (a real server started by
tools/pg-server, a fresh database per test)."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.security.keys import KeyStore
from cockpit.store import Store
from tests.postgres import BACKENDS, PostgresServer, connect_test_home, open_test_store, start_postgres

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


# Test folders (and files) whose tests run on both stores ("the same code and the same test suite"): each
# test there that uses the ``store`` fixture (or ``backend``) runs twice, unless marked sqlcipher_only.
BOTH_BACKENDS: tuple[Path, ...] = tuple(
    REPO / "tests" / d
    for d in (
        *("store", "indicators", "worklists", "privacy", "importing", "services", "cli"),
        "gui/test_main_window.py",  # the window itself on the practice server
    )
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlcipher_only: about the SQLCipher file (keys, backup)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    if any(Path(metafunc.definition.path).is_relative_to(d) for d in BOTH_BACKENDS):
        # Parametrised even when only SQLCipher applies: a session fixture that depends on ``backend``
        # (tests/indicators' demo_store) must know which one the test gets, not reuse the last one made.
        only = metafunc.definition.get_closest_marker("sqlcipher_only")
        metafunc.parametrize("backend", BACKENDS[:1] if only else BACKENDS, scope="session")


@pytest.fixture(scope="session")
def backend() -> str:
    """Which store a test's ``store`` is: "sqlcipher" here, both in the folders of BOTH_BACKENDS."""
    return "sqlcipher"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server on 127.0.0.1 for the whole session (started on first use)."""
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture
def connected_home(home: Path, keys: KeyStore, backend: str, request: pytest.FixtureRequest) -> Path:
    """``home`` as a command finds it: empty (the embedded store is made on first use), or connected to a
    new database on the practice server, as `cockpit database connect` leaves it."""
    if backend == "postgres":
        connect_test_home(home, keys, request)
    return home


@pytest.fixture
def store(home: Path, keys: KeyStore, backend: str, request: pytest.FixtureRequest) -> Iterator[Store]:
    opened = open_test_store(home, keys, backend, request)
    yield opened
    opened.close()
