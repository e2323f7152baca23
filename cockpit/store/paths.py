"""Where a store's files are in its data directory. Its own module so that opening the store (engine.py)
and migrating it (migrate.py) both use it without importing each other in a circle."""

from dataclasses import dataclass
from pathlib import Path

from cockpit.store.meta import SIDE_SUFFIX

DB_NAME = "cockpit.db"
META_NAME = "store.json"


@dataclass(frozen=True, slots=True)
class StorePaths:
    home: Path

    @property
    def db(self) -> Path:
        return self.home / DB_NAME

    @property
    def meta(self) -> Path:
        return self.home / META_NAME

    @property
    def backups(self) -> Path:
        return self.home / "backups"

    def database_files(self) -> list[Path]:
        """The database and the WAL/shared-memory files SQLite keeps beside it."""
        return [self.db, self.db.with_name(DB_NAME + "-wal"), self.db.with_name(DB_NAME + "-shm")]

    def side_database(self, name: str) -> Path:
        """A side database of the store (see ``Store.side_engine``)."""
        return self.home / f"{name}{SIDE_SUFFIX}"
