"""The practice server's shared store: PostgreSQL, for practices with several workstations.

A data directory uses the practice server when it holds ``database.json`` (written by ``cockpit database
connect``): the SQLAlchemy URL without its password, an optional CA bundle, and an id for the store. The
password is only in the OS keyring, under the URL. Everything else (the models, the services, the
queries) is the same code as on the embedded SQLCipher store.

Two rules keep the behaviour the same as SQLite's:

- A plain transaction is one consistent snapshot (REPEATABLE READ), as a SQLite read transaction is.
- A write transaction (``immediate``, cockpit.store.transactions) is READ COMMITTED and first takes a
  transaction-scoped advisory lock: one writer at a time across every workstation, like SQLite's write
  lock, so the read-then-write code (audit chain, optimistic locking, imports) needs no second version.
  ``lock_timeout`` (10 s) plays the part of SQLite's busy timeout.

TLS: a server that is not this machine is only reached over TLS with the certificate and the host name
verified (``sslmode=verify-full``), against the configured CA bundle or the system's trusted CAs; a URL
asking for less is refused. On this machine (loopback or a Unix socket) TLS is used when offered, and
verified when a CA bundle is given.
"""

import ipaddress
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import orjson
from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError

from cockpit.errors import CockpitError, StoreDamagedError
from cockpit.security.keys import KeyStore
from cockpit.store.meta import StoreMeta, write_atomically

log = logging.getLogger(__name__)

SETTINGS_NAME: Final = "database.json"
CIPHER: Final = "postgresql-tls"  # what StoreMeta.cipher says for a server store
# The advisory lock every write transaction takes (an arbitrary 64-bit constant: "cockpit1").
WRITER_LOCK: Final = 0x636F636B70697431
LOCK_TIMEOUT_MS: Final = 10_000
CONNECT_TIMEOUT_S: Final = 10
_STRICT_TLS: Final = ("verify-full",)
_DRIVER: Final = "postgresql+psycopg"
# The practice server's store has its own backups and key management (PostgreSQL's tools, its IT).
ON_SERVER: Final = (
    "This data directory uses the practice server's database, which is backed up (and its disk "
    "encrypted) on the server by the practice's IT with PostgreSQL's own tools (docs/practice-server.md). "
    "`cockpit {what}` works on the embedded store only."
)


class ServerSettingsError(CockpitError):
    """The practice server's settings cannot be used as they are."""

    exit_code = 5


class StoreServerError(CockpitError):
    """The practice server could not be reached, or refused the connection."""

    exit_code = 14


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """Where the practice server's database is. ``url`` never holds a password."""

    url: str
    store_id: str
    ca_bundle: Path | None = None

    @property
    def is_local(self) -> bool:
        return is_local_host(make_url(self.url).host)


def settings_path(home: Path) -> Path:
    return home / SETTINGS_NAME


def read_server_settings(home: Path) -> ServerSettings | None:
    path = settings_path(home)
    if not path.exists():
        return None
    try:
        data = orjson.loads(path.read_bytes())
        ca = data.get("ca_bundle")
        return ServerSettings(
            url=str(data["url"]), store_id=str(data["store_id"]), ca_bundle=Path(ca) if ca else None
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        raise StoreDamagedError(
            f"{path} is damaged. Connect again with `cockpit database connect URL`."
        ) from None


def write_server_settings(home: Path, settings: ServerSettings) -> None:
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {
        "url": settings.url,
        "store_id": settings.store_id,
        "ca_bundle": str(settings.ca_bundle) if settings.ca_bundle else None,
    }
    write_atomically(settings_path(home), orjson.dumps(data, option=orjson.OPT_INDENT_2))


def remove_server_settings(home: Path) -> ServerSettings | None:
    settings = read_server_settings(home)
    settings_path(home).unlink(missing_ok=True)
    return settings


def is_local_host(host: str | None) -> bool:
    """Loopback or a Unix socket (no host, or a path): traffic that never leaves this machine."""
    if not host or host.startswith("/") or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_server_url(text: str, ca_bundle: Path | None = None) -> ServerSettings:
    """Check a URL given by the user and turn it into settings (with a new store id)."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise ServerSettingsError(
            f"{text!r} is not a database URL; expected e.g. postgresql://cockpit@server.klinik.local/cockpit"
        ) from None
    if url.get_backend_name() != "postgresql":
        raise ServerSettingsError(
            f"The practice server must be PostgreSQL (a postgresql:// URL), not {url.get_backend_name()}."
        )
    if url.password is not None:
        raise ServerSettingsError(
            "Leave the password out of the URL: it is asked for (or read from $COCKPIT_DATABASE_PASSWORD) "
            "and kept only in the OS keyring."
        )
    if not url.username or not url.database:
        raise ServerSettingsError("The URL needs a user and a database name: postgresql://USER@HOST/DATABASE")
    sslmode = url.query.get("sslmode")
    if not is_local_host(url.host) and sslmode is not None and sslmode not in _STRICT_TLS:
        raise ServerSettingsError(
            f"sslmode={sslmode} would let patient data cross the network without a verified server. "
            "Leave sslmode out: the cockpit always verifies the server's certificate and name."
        )
    if ca_bundle is not None and not ca_bundle.is_file():
        raise ServerSettingsError(f"The CA bundle {ca_bundle} does not exist.")
    clean = url.set(drivername="postgresql").difference_update_query(["sslmode", "sslrootcert"])
    return ServerSettings(
        url=clean.render_as_string(hide_password=False),
        store_id=str(uuid.uuid4()),
        ca_bundle=ca_bundle.resolve() if ca_bundle else None,
    )


def tls_arguments(settings: ServerSettings) -> dict[str, str]:
    """libpq's TLS settings: verified off this machine, always; on it, verified when a CA is given."""
    if settings.ca_bundle is not None:
        return {"sslmode": "verify-full", "sslrootcert": str(settings.ca_bundle)}
    if settings.is_local:
        return {"sslmode": "prefer"}
    return {"sslmode": "verify-full", "sslrootcert": "system"}


def server_meta(settings: ServerSettings) -> StoreMeta:
    return StoreMeta(store_id=settings.store_id, key_check="", cipher=CIPHER)


def make_server_engine(settings: ServerSettings, keys: KeyStore) -> Engine:
    password = keys.database_password(settings.url)
    if password is None:
        raise StoreServerError(
            "The practice server's database password is not in the OS keyring. "
            f"Enter it with `cockpit database connect {settings.url}`."
        )
    url: URL = make_url(settings.url).set(drivername=_DRIVER)
    engine = create_engine(
        url,
        connect_args={
            "password": password,
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "patient-cockpit",
            "options": f"-c lock_timeout={LOCK_TIMEOUT_MS}",
            **tls_arguments(settings),
        },
        # Transactions are begun by hand below (like SQLite's), so the driver must not begin its own.
        isolation_level="AUTOCOMMIT",
        pool_size=2,
        max_overflow=4,
        pool_pre_ping=True,  # a server restart or a dropped connection is noticed before use
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        if conn.get_execution_options().get("immediate"):
            conn.exec_driver_sql("BEGIN ISOLATION LEVEL READ COMMITTED")
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")
        else:
            conn.exec_driver_sql("BEGIN ISOLATION LEVEL REPEATABLE READ")

    return engine
