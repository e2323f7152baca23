"""The practice server's store in tests: a throwaway PostgreSQL server (tools/pg-server) and a fresh
database per store, reached over verified TLS with the password in the real keyring, exactly as a
workstation reaches it after ``cockpit database connect``."""

import itertools
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import psycopg
import pytest

from cockpit.security.keys import KeyStore
from cockpit.store import Store, open_store
from cockpit.store.server import parse_server_url, write_server_settings

BACKENDS: Final = ("sqlcipher", "postgres")
REPO: Final = Path(__file__).resolve().parents[1]
# `make test` sets it: there, a missing PostgreSQL is a failure, not a skipped half of the suite.
REQUIRED: Final = os.environ.get("COCKPIT_TEST_POSTGRES") == "required"
_names = itertools.count(1)


@dataclass
class PostgresServer:
    process: subprocess.Popen[str]
    host: str
    port: int
    user: str
    password: str
    ca: Path
    databases: set[str] = field(default_factory=set)

    def admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname="postgres",
            autocommit=True,
        )

    def create_database(self) -> str:
        name = f"cockpit_test_{os.getpid()}_{next(_names)}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.databases.add(name)
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.databases.discard(name)

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    def connect_home(self, home: Path, keys: KeyStore, database: str) -> str:
        """What `cockpit database connect URL --ca-bundle CA` leaves behind; returns the stored URL."""
        settings = parse_server_url(self.url(database), self.ca)
        write_server_settings(home, settings)
        keys.set_database_password(settings.url, self.password)
        return settings.url

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def launch_postgres() -> PostgresServer:
    """Start tools/pg-server and wait until it serves (RuntimeError if it does not). The bench uses it too."""
    process = subprocess.Popen(
        [str(REPO / "tools" / "pg-server"), "serve"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # tools/pg-server gives up by itself after 60 s
    if not line.startswith("ready "):
        process.kill()
        raise RuntimeError(f"tools/pg-server did not start: {line!r}")
    info = json.loads(line.split(" ", 1)[1])
    return PostgresServer(
        process, info["host"], int(info["port"]), info["user"], info["password"], Path(info["ca"])
    )


def start_postgres() -> PostgresServer:
    if not any(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
        message = "PostgreSQL is not installed (Debian package postgresql); `make test` installs it"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    try:
        return launch_postgres()
    except RuntimeError as error:
        pytest.fail(str(error))


def connect_test_home(home: Path, keys: KeyStore, request: pytest.FixtureRequest) -> None:
    """Connect ``home`` to a new database on the test server; removed when ``request`` ends."""
    server: PostgresServer = request.getfixturevalue("postgres")
    database = server.create_database()
    url = server.connect_home(home, keys, database)

    def remove() -> None:
        server.drop_database(database)
        keys.delete_database_password(url)

    request.addfinalizer(remove)


def open_test_store(home: Path, keys: KeyStore, backend: str, request: pytest.FixtureRequest) -> Store:
    """A new store in ``home`` on ``backend``; removed (key, password, database) when ``request`` ends."""
    if backend == "sqlcipher":
        opened = open_store(home, keys)
        request.addfinalizer(lambda: keys.delete(opened.meta.store_id))
        return opened
    connect_test_home(home, keys, request)
    return open_store(home, keys)
