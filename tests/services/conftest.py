"""A store per test module: opening a SQLCipher store (keyring entry, migrations) costs more than the tests
that read it, and these tests only read once it is filled."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from cockpit.security.keys import KeyStore
from cockpit.store import Store, open_store


@pytest.fixture(scope="module")
def module_store(keys: KeyStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = open_store(tmp_path_factory.mktemp("overview") / "home", keys)
    yield opened
    opened.close()
    keys.delete(opened.meta.store_id)


def write_ndjson(path: Path, resources: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in resources))
    return path
