"""``python -m bench --postgres …``: the same benchmarks on the practice server's store (PostgreSQL).

A throwaway server (tools/pg-server, Debian's postgresql package) is started once per run; the demo
practice is imported into a database on it, reached over TLS with the password in the keyring the bench
runs with, exactly as a workstation after `cockpit database connect`. The server runs on this machine,
so the figures leave out the network a practice would have (a LAN adds ~0.2 ms per statement).
"""

import atexit
import json
import subprocess
from pathlib import Path
from typing import Final

import psycopg

from cockpit.security.keys import KeyStore
from cockpit.store.server import parse_server_url, write_server_settings

REPO: Final = Path(__file__).resolve().parents[1]
_server: dict[str, object] = {}


def _start() -> dict[str, object]:
    if not _server:
        process = subprocess.Popen(
            [str(REPO / "tools" / "pg-server"), "serve"], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("ready "):
            raise SystemExit(f"bench: tools/pg-server did not start ({line!r})")
        atexit.register(process.terminate)
        _server.update(json.loads(line.split(" ", 1)[1]))
    return _server


def connect_home(home: Path, keys: KeyStore, database: str) -> None:
    """A new database on the bench's server, and ``home`` connected to it."""
    info = _start()
    with psycopg.connect(
        host=str(info["host"]),
        port=int(str(info["port"])),
        user=str(info["user"]),
        password=str(info["password"]),
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    settings = parse_server_url(
        f"postgresql://{info['user']}@{info['host']}:{info['port']}/{database}", Path(str(info["ca"]))
    )
    write_server_settings(home, settings)
    keys.set_database_password(settings.url, str(info["password"]))
