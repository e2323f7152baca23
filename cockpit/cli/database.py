"""CLI command ``database``: connect this workstation's data directory to the practice server's shared
PostgreSQL store (cockpit.store.server), show the connection, or go back to the embedded store.

The password never comes from the command line: ``COCKPIT_DATABASE_PASSWORD`` or a prompt; it is kept
only in the OS keyring. ``connect`` checks everything (keyring, TLS, password, schema) before it changes
anything: a failed connect leaves the data directory as it was.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

# Only the standard library here: cockpit.cli builds its parser on every start.

Subparsers = argparse._SubParsersAction  # argparse names no public type for it

PASSWORD_VARIABLE = "COCKPIT_DATABASE_PASSWORD"


def add_commands(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "database", help="use the practice server's shared database (PostgreSQL) or the embedded store"
    )
    actions = p.add_subparsers(dest="database_action", metavar="ACTION", required=True)
    q = actions.add_parser(
        "connect",
        help="use the practice server: postgresql://USER@HOST[:PORT]/DATABASE "
        f"(password: ${PASSWORD_VARIABLE} or asked; kept in the OS keyring)",
    )
    q.add_argument("url", help="e.g. postgresql://cockpit@server.klinik.local/cockpit (no password in it)")
    q.add_argument("--ca-bundle", type=Path, default=None, help="the CA certificate(s) the server's TLS uses")
    q.set_defaults(func=cmd_connect)
    q = actions.add_parser("show", help="which database this data directory uses, and whether it answers")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_show)
    q = actions.add_parser(
        "disconnect", help="stop using the practice server here (its data stays on the server)"
    )
    q.set_defaults(func=cmd_disconnect)


def cmd_connect(args: argparse.Namespace) -> int:
    from cockpit.privacy.signin import read_secret  # noqa: PLC0415
    from cockpit.security.keys import KeyStore  # noqa: PLC0415
    from cockpit.store.engine import StorePaths  # noqa: PLC0415
    from cockpit.store.errors import translate_db_errors  # noqa: PLC0415
    from cockpit.store.migrate import upgrade_schema  # noqa: PLC0415
    from cockpit.store.server import (  # noqa: PLC0415
        make_server_engine,
        parse_server_url,
        read_server_settings,
        write_server_settings,
    )

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
    from cockpit.errors import CockpitError  # noqa: PLC0415
    from cockpit.security.keys import KeyStore  # noqa: PLC0415
    from cockpit.store import open_store  # noqa: PLC0415
    from cockpit.store.migrate import current_revision  # noqa: PLC0415
    from cockpit.store.server import read_server_settings, tls_arguments  # noqa: PLC0415

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
        store = open_store(args.home, KeyStore(), create=False)
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
    from cockpit.security.keys import KeyStore  # noqa: PLC0415
    from cockpit.store.server import remove_server_settings  # noqa: PLC0415

    settings = remove_server_settings(args.home)
    if settings is None:
        print("This data directory does not use a practice server.")
        return 0
    KeyStore().delete_database_password(settings.url)
    print(f"This workstation no longer uses {settings.url}; the data there is unchanged.")
    return 0
