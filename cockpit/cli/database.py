"""CLI command ``database``: connect this workstation's data directory to the practice server's shared
PostgreSQL store (cockpit.store.server), show the connection, or go back to the embedded store.

The password never comes from the command line: ``COCKPIT_DATABASE_PASSWORD`` or a prompt; it is kept
only in the OS keyring. ``connect`` checks everything (keyring, TLS, password, schema) before it changes
anything: a failed connect leaves the data directory as it was.
"""

import argparse
import json

from cockpit.cli.arguments import DATABASE_PASSWORD_VARIABLE as PASSWORD_VARIABLE
from cockpit.errors import CockpitError
from cockpit.privacy.signin import read_secret
from cockpit.security.keys import KeyStore
from cockpit.services.bootstrap import open_practice_store
from cockpit.store.errors import translate_db_errors
from cockpit.store.migrate import current_revision, upgrade_schema
from cockpit.store.paths import StorePaths
from cockpit.store.server import (
    make_server_engine,
    parse_server_url,
    read_server_settings,
    remove_server_settings,
    tls_arguments,
    write_server_settings,
)


def cmd_connect(args: argparse.Namespace) -> int:
    settings = parse_server_url(args.url, args.ca_bundle)
    keys = KeyStore()
    keys.check_available()
    password = read_secret(PASSWORD_VARIABLE, f"Password for {settings.url}: ")
    previous = read_server_settings(args.home)
    earlier_password = keys.database_password(settings.url)
    keys.set_database_password(settings.url, password)
    try:
        engine = make_server_engine(settings, keys)
        try:
            with translate_db_errors():
                upgrade_schema(engine, StorePaths(args.home))  # reaches it, checks TLS, creates the tables
        finally:
            engine.dispose()
    except BaseException:
        if earlier_password is None:
            keys.delete_database_password(settings.url)
        else:
            keys.set_database_password(settings.url, earlier_password)
        raise
    if previous is not None and previous.url == settings.url:
        settings = type(settings)(settings.url, previous.store_id, settings.ca_bundle)
    write_server_settings(args.home, settings)
    tls = "TLS verified" if settings.ca_bundle or not settings.is_local else "on this machine"
    print(f"This workstation now uses the practice server {settings.url} ({tls}).")
    if (args.home / "cockpit.db").exists():
        print(
            "The embedded store in this data directory stays as it is and is not used while connected; "
            "`cockpit database disconnect` goes back to it."
        )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    settings = read_server_settings(args.home)
    info: dict[str, object]
    if settings is None:
        info = {"kind": "embedded", "path": str(args.home / "cockpit.db")}
    else:
        info = {
            "kind": "server",
            "url": settings.url,
            "tls": tls_arguments(settings)["sslmode"],
            "ca_bundle": str(settings.ca_bundle) if settings.ca_bundle else None,
        }
    try:
        store = open_practice_store(args.home, create=False)
    except CockpitError as error:
        info.update(reachable=False, problem=str(error))
    else:
        try:
            with store.engine.connect() as conn:
                info.update(reachable=True, schema=current_revision(conn))
        finally:
            store.close()
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        for key, value in info.items():
            print(f"{key}: {value}")
    return 0 if info.get("reachable") else 1


def cmd_disconnect(args: argparse.Namespace) -> int:
    settings = remove_server_settings(args.home)
    if settings is None:
        print("This data directory does not use a practice server.")
        return 0
    KeyStore().delete_database_password(settings.url)
    print(f"This workstation no longer uses {settings.url}; the data there is unchanged.")
    return 0
