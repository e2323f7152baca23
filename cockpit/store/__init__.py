"""The encrypted practice store: SQLCipher under SQLAlchemy, keyed from the OS keyring."""

from cockpit.store.engine import Store, open_store

__all__ = ["Store", "open_store"]
