"""``python -m bench --postgres …``: the same benchmarks on the practice server's store (PostgreSQL).

A throwaway server (tools/pg-server, Debian's postgresql package, started as the tests start it) runs once
per run; the demo practice is imported into a database on it, reached over TLS with the password in the
keyring the bench runs with, exactly as a workstation after `cockpit database connect`. The server runs on
this machine, so the figures leave out the network a practice would have (a LAN adds ~0.2 ms per
statement).
"""

import atexit
from pathlib import Path

from cockpit.security.keys import KeyStore
from tests.postgres import PostgresServer, launch_postgres

_servers: list[PostgresServer] = []


def connect_home(home: Path, keys: KeyStore) -> None:
    """A new database on the bench's server, and ``home`` connected to it."""
    if not _servers:
        _servers.append(launch_postgres())
        atexit.register(_servers[0].stop)
    server = _servers[0]
    server.connect_home(home, keys, server.create_database())
