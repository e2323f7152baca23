"""``store.json``: the non-secret facts about a store that must be known before it can be opened.

It names the keyring entry (``store_id``), records the encryption format (so it can be upgraded later)
and holds the key check value that tells a wrong key from a damaged file. It never holds the key.
"""

import os
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

import orjson

from cockpit.errors import StoreDamagedError

FORMAT_VERSION: Final = 1
CIPHER: Final = "sqlcipher4-aes256-raw-key"


@dataclass(frozen=True, slots=True)
class StoreMeta:
    store_id: str
    key_check: str
    format_version: int = FORMAT_VERSION
    cipher: str = CIPHER

    @classmethod
    def new(cls, key_check: str) -> "StoreMeta":
        return cls(store_id=str(uuid.uuid4()), key_check=key_check)


def read_meta(path: Path) -> StoreMeta | None:
    if not path.exists():
        return None
    try:
        data = orjson.loads(path.read_bytes())
        return StoreMeta(
            store_id=str(data["store_id"]),
            key_check=str(data["key_check"]),
            format_version=int(data["format_version"]),
            cipher=str(data["cipher"]),
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        raise StoreDamagedError(
            f"{path} is damaged, so the store's key cannot be found. Restore it from a backup."
        ) from None


def write_atomically(path: Path, data: bytes) -> None:
    """Write a small file so that it is either the old or the new version, never half: a private temp
    file (0600 before any byte is written), fsync, then rename over the target."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def write_meta(path: Path, meta: StoreMeta) -> None:
    write_atomically(path, orjson.dumps(asdict(meta), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))


SIDE_SUFFIX: Final = ".side.db"  # Store.side_engine's databases: <name>.side.db


def side_database_files(home: Path) -> list[Path]:
    """The side databases of the store in ``home`` (with their WAL and shared-memory files): they are
    under the store's key, so a re-key or a restore takes them along or away."""
    return sorted(p for p in home.glob(f"*{SIDE_SUFFIX}*") if p.is_file())
