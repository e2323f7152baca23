"""The practice server's store (PostgreSQL): connecting a workstation as its IT would, TLS, the password
only in the keyring, clear errors, the writer lock shared by workstations, and the append-only audit log.

The rest of the store, indicator and worklist tests run on this store too (tests/conftest.py)."""

import json
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from cockpit.errors import CockpitError
from cockpit.fhir.importer import import_path
from cockpit.models.audit import AuditAction
from cockpit.privacy.audit import AuditLog, verify_chain
from cockpit.privacy.identity import Actor, Role
from cockpit.security.keys import KeyStore
from cockpit.store import Store, open_store
from cockpit.store.backup import backup_store
from cockpit.store.rekey import rekey_store
from cockpit.store.server import (
    ServerSettingsError,
    StoreServerError,
    parse_server_url,
    tls_arguments,
    write_server_settings,
)
from cockpit.store.transactions import immediate_connection
from cockpit.store.tuning import BULK_WRITE_ROWS
from tests.conftest import DK_EXAMPLES, SYNTHEA
from tests.postgres import PostgresServer
from tests.privacy.test_users_cli import cockpit

NURSE = Actor(user="anne", role=Role.NURSE, workstation="reception-1")


@pytest.fixture
def database(postgres: PostgresServer) -> Iterator[str]:
    name = postgres.create_database()
    yield name
    postgres.drop_database(name)


@pytest.fixture
def server_store(postgres: PostgresServer, database: str, home: Path, keys: KeyStore) -> Iterator[Store]:
    url = postgres.connect_home(home, keys, database)
    store = open_store(home, keys)
    yield store
    store.close()
    keys.delete_database_password(url)


def admin_count(postgres: PostgresServer, database: str, table: str) -> int:
    """Counted by the server's administrator, beside the cockpit."""
    with psycopg.connect(
        host=postgres.host,
        port=postgres.port,
        user=postgres.user,
        password=postgres.password,
        dbname=database,
    ) as db:
        row = db.execute(f"SELECT count(*) FROM {table}").fetchone()  # a fixed table name
        assert row is not None
        return int(row[0])


def test_connect_as_it_would_then_the_commands_use_the_server(
    postgres: PostgresServer, database: str, home: Path, keys: KeyStore
) -> None:
    url = postgres.url(database)
    wrong = cockpit(
        home, "database", "connect", url, "--ca-bundle", postgres.ca, COCKPIT_DATABASE_PASSWORD="not it"
    )
    assert wrong.returncode == 14, wrong.stderr
    assert "refused the database password" in wrong.stderr
    assert not (home / "database.json").exists()  # a failed connect changes nothing
    assert keys.database_password(url) is None

    done = cockpit(
        home,
        "database",
        "connect",
        url,
        "--ca-bundle",
        postgres.ca,
        COCKPIT_DATABASE_PASSWORD=postgres.password,
    )
    assert done.returncode == 0, done.stderr
    assert "TLS verified" in done.stdout
    settings = home / "database.json"
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600
    assert postgres.password not in settings.read_text()  # only in the keyring
    assert keys.database_password(url) == postgres.password
    try:
        shown = cockpit(home, "database", "show", "--json")
        assert shown.returncode == 0, shown.stderr
        info = json.loads(shown.stdout)
        assert (info["kind"], info["url"], info["tls"], info["reachable"]) == (
            "server",
            url,
            "verify-full",
            True,
        )

        imported = cockpit(home, "import", DK_EXAMPLES)
        assert imported.returncode == 0, imported.stderr
        assert admin_count(postgres, database, "patients") == 2  # Else and John, the Danish examples
        assert not (home / "cockpit.db").exists()  # nothing went into a local file
        listed = cockpit(home, "patients", "--json")
        assert listed.returncode == 0, listed.stderr
        assert len(json.loads(listed.stdout)) == 2
    finally:
        gone = cockpit(home, "database", "disconnect")
        assert gone.returncode == 0, gone.stderr
    assert not settings.exists()
    assert keys.database_password(url) is None


def test_the_connection_is_encrypted_and_the_certificate_checked(
    server_store: Store, postgres: PostgresServer, database: str, keys: KeyStore, tmp_path: Path
) -> None:
    with server_store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").scalar_one()

    # Another CA than the server's: nothing is sent, and the message says what to do.
    other_ca = tmp_path / "other-ca.crt"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(tmp_path / "k"), "-out", str(other_ca), "-days", "1", "-subj", "/CN=other"],
        check=True, capture_output=True,
    )  # fmt: skip
    other_home = tmp_path / "other"
    settings = parse_server_url(postgres.url(database), other_ca)
    write_server_settings(other_home, settings)
    with pytest.raises(StoreServerError, match="certificate could not be verified"):
        open_store(other_home, keys)


def test_tls_is_required_off_this_machine() -> None:
    remote = parse_server_url("postgresql://cockpit@db.klinik.local/cockpit")
    assert tls_arguments(remote) == {"sslmode": "verify-full", "sslrootcert": "system"}
    for weak in ("disable", "allow", "prefer", "require", "verify-ca"):
        with pytest.raises(ServerSettingsError, match="without a verified server"):
            parse_server_url(f"postgresql://cockpit@db.klinik.local/cockpit?sslmode={weak}")
    with pytest.raises(ServerSettingsError, match="Leave the password out"):
        parse_server_url("postgresql://cockpit:secret@db.klinik.local/cockpit")
    with pytest.raises(ServerSettingsError, match="must be PostgreSQL"):
        parse_server_url("mysql://cockpit@db.klinik.local/cockpit")
    assert tls_arguments(parse_server_url("postgresql://cockpit@127.0.0.1/cockpit")) == {"sslmode": "prefer"}


def test_an_unreachable_server_is_a_clear_error(home: Path, keys: KeyStore) -> None:
    import socket  # noqa: PLC0415

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = parse_server_url(f"postgresql://cockpit@127.0.0.1:{port}/cockpit")
    write_server_settings(home, settings)
    keys.set_database_password(settings.url, "whatever")
    try:
        with pytest.raises(StoreServerError, match="cannot be reached"):
            open_store(home, keys)
    finally:
        keys.delete_database_password(settings.url)


def test_a_missing_password_says_how_to_enter_it(
    postgres: PostgresServer, database: str, home: Path, keys: KeyStore
) -> None:
    write_server_settings(home, parse_server_url(postgres.url(database), postgres.ca))
    with pytest.raises(StoreServerError, match="cockpit database connect"):
        open_store(home, keys)


def test_two_workstations_take_turns_writing_and_the_audit_chain_stays_whole(
    server_store: Store, home: Path, keys: KeyStore
) -> None:
    other = open_store(home, keys)  # a second workstation on the same database
    try:
        # The writer lock is the whole database's: the second writer waits until the first commits.
        order: list[str] = []
        with immediate_connection(server_store) as conn:
            conn.execute(text("SELECT 1"))
            waiter = threading.Thread(target=lambda: _write(other, order))
            waiter.start()
            waiter.join(0.5)
            assert waiter.is_alive()  # still waiting for the lock
            order.append("first")
        waiter.join(10)
        assert order == ["first", "second"]

        # Audited look-ups from both at once: one chain, no gaps, no forks.
        def look(store: Store) -> None:
            for _ in range(40):
                AuditLog(store).record(NURSE, AuditAction.LIST_SHOW, list_ref="indicator:DM", patient_count=1)

        threads = [threading.Thread(target=look, args=(s,)) for s in (server_store, other, server_store)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        with server_store.engine.connect() as conn:
            report = verify_chain(conn)
        assert report.intact, report.message()
        assert report.entries == 120
    finally:
        other.close()


def _write(store: Store, order: list[str]) -> None:
    with immediate_connection(store):
        order.append("second")


def test_the_audit_log_is_append_only_on_the_server(server_store: Store) -> None:
    AuditLog(server_store).record(NURSE, AuditAction.LIST_SHOW, list_ref="indicator:DM", patient_count=1)
    for statement in ("UPDATE audit_log SET \"user\" = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
        with pytest.raises(Exception, match="append-only"), server_store.engine.begin() as conn:
            conn.exec_driver_sql(statement)
    with server_store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM audit_log").scalar_one() == 1


def test_file_operations_of_the_embedded_store_are_refused_with_the_way_to_do_it(
    server_store: Store, home: Path, keys: KeyStore, tmp_path: Path
) -> None:
    with pytest.raises(CockpitError, match="PostgreSQL's own tools"):
        backup_store(server_store, tmp_path / "backup.db", "a long enough passphrase")
    with pytest.raises(CockpitError, match="PostgreSQL's own tools"):
        rekey_store(home, keys)


def test_a_database_from_a_newer_version_is_refused_untouched(
    server_store: Store, home: Path, keys: KeyStore
) -> None:
    with server_store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    server_store.close()
    with pytest.raises(CockpitError, match="newer Patient Cockpit"):
        open_store(home, keys)
    with server_store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == "9999"


def test_a_bulk_import_leaves_the_server_with_fresh_statistics(server_store: Store) -> None:
    def analysed() -> bool:
        with server_store.engine.connect() as conn:
            found = conn.exec_driver_sql(
                "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'observations'"
            ).scalar_one()
        return found is not None

    summary = import_path(server_store, DK_EXAMPLES)
    assert summary.inserted < BULK_WRITE_ROWS
    assert not analysed()  # a few rows: left to autovacuum
    summary = import_path(server_store, SYNTHEA)
    assert summary.inserted == 23_137  # as on the embedded store (tests/importing)
    assert analysed()
