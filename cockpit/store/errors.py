"""Database errors, turned into messages a user can act on (and that carry no data from the store)."""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg
from sqlalchemy import exc

from cockpit.errors import CockpitError, StoreDamagedError, StoreFullError
from cockpit.store.driver import dbapi2


@contextmanager
def translate_db_errors(where: Path | None = None) -> Iterator[None]:
    """Turn database errors (SQLAlchemy's or the raw driver's) into CockpitErrors. ``where`` is a
    directory on the disk in question, for the free space a full disk reports."""
    try:
        yield
    except exc.DBAPIError as error:
        raise _translate(error.orig or error, where) from None
    except (dbapi2.Error, psycopg.Error) as error:
        raise _translate(error, where) from None
    except OSError as error:
        if is_disk_full(error):
            raise disk_full_error(where) from None
        raise


def is_disk_full(error: BaseException) -> bool:
    """SQLITE_FULL, or an OS write that failed for want of space (ENOSPC) or a file size limit (EFBIG)."""
    import errno  # noqa: PLC0415

    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
    text = str(error).lower()
    return "disk is full" in text or "no space" in text or "file too large" in text


def disk_full_error(where: Path | None) -> StoreFullError:
    free = ""
    if where is not None:
        with suppress(OSError):
            free = f" ({_human(shutil.disk_usage(where).free)} free in {where})"
    return StoreFullError(
        f"The disk is full{free}: the operation was undone and nothing is damaged. "
        "Free some space and try again."
    )


def _translate(error: Exception, where: Path | None = None) -> Exception:
    text = str(error).lower()
    if isinstance(error, psycopg.Error):
        server = _translate_server(error, text)
        if server is not None:
            return server
    if any(s in text for s in ("malformed", "not a database", "hmac", "corrupt")):
        return StoreDamagedError(
            "The store is damaged and cannot be read. Restore it from a backup "
            "(the cockpit keeps one in the data directory's backups/ before each schema upgrade)."
        )
    if is_disk_full(error):
        return disk_full_error(where)
    if "readonly" in text or "read-only" in text:
        return CockpitError("The store is read-only for this user; nothing was saved.")
    if "interrupted" in text:
        return CockpitError("The operation was stopped before it finished; nothing of it was saved.")
    if "locked" in text or "busy" in text:
        return CockpitError("The store is busy in another Patient Cockpit window; try again in a moment.")
    return error


def _translate_server(error: psycopg.Error, text: str) -> Exception | None:
    """The practice server's (PostgreSQL's) failures that a user can act on."""
    from cockpit.store.server import StoreServerError  # noqa: PLC0415 (server imports this module's siblings)

    if "password authentication failed" in text or "no password supplied" in text:
        return StoreServerError(
            "The practice server refused the database password. Enter the right one with "
            "`cockpit database connect URL` (it is kept in the OS keyring)."
        )
    # libpq: "certificate verify failed", "server certificate for … does not match host name", "root
    # certificate file … does not exist", "server does not support SSL, but SSL was required". A dropped
    # TLS connection ("SSL SYSCALL error") is a network problem, below.
    if "certificate" in text or "does not support ssl" in text:
        return StoreServerError(
            "The practice server's TLS certificate could not be verified, so nothing was sent to it. "
            "Ask the practice's IT for the server's CA certificate and give it with "
            "`cockpit database connect URL --ca-bundle FILE`."
        )
    if isinstance(error, psycopg.OperationalError) and any(
        s in text
        for s in (
            "connection",
            "connect",
            "timeout expired",
            "translate host name",
            "server closed",
            "ssl syscall",
        )
    ):
        return StoreServerError(
            "The practice server's database cannot be reached. Check the network and that the server is "
            "running, then try again; nothing was changed."
        )
    if "lock timeout" in text or "could not serialize" in text or "deadlock detected" in text:
        return CockpitError(
            "The practice server is busy with another workstation's change; try again in a moment."
        )
    if "canceling statement due to user request" in text:
        return CockpitError("The operation was stopped before it finished; nothing of it was saved.")
    if "does not exist" in text and "database" in text:
        return StoreServerError(
            "The database named in the practice server's URL does not exist. Ask the practice's IT to create "
            "it (see docs/practice-server.md)."
        )
    if "permission denied" in text:
        return StoreServerError(
            "The practice server's database user may not do this. Ask the practice's IT to grant it the "
            "rights in docs/practice-server.md; nothing was changed."
        )
    return None


def _human(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024:
            return f"{value:,.0f} {unit}" if unit == "bytes" else f"{value:,.1f} {unit}"
        value /= 1024
    return f"{value:,.1f} TB"
