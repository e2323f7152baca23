"""Database errors, turned into messages a user can act on (and that carry no data from the store)."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc

from cockpit.errors import CockpitError, StoreDamagedError


@contextmanager
def translate_db_errors() -> Iterator[None]:
    try:
        yield
    except exc.DBAPIError as error:
        raise _translate(error) from None


def _translate(error: exc.DBAPIError) -> Exception:
    text = str(error.orig).lower()
    if any(s in text for s in ("malformed", "not a database", "hmac", "corrupt")):
        return StoreDamagedError(
            "The store is damaged and cannot be read. Restore it from a backup "
            "(the cockpit keeps one in the data directory's backups/ before each schema upgrade)."
        )
    if "disk is full" in text or "no space" in text:
        return CockpitError("The disk is full; nothing was saved. Free some space and try again.")
    if "readonly" in text or "read-only" in text:
        return CockpitError("The store is read-only for this user; nothing was saved.")
    if "interrupted" in text:
        return CockpitError("The operation was stopped before it finished; nothing of it was saved.")
    if "locked" in text or "busy" in text:
        return CockpitError("The store is busy in another Patient Cockpit window; try again in a moment.")
    return error
