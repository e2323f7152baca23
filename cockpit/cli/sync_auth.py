"""CLI commands ``cockpit sync-auth set-token|set-key|show|clear``: the sync's credentials in the OS keyring.

A secret never comes from the command line (it would land in the shell history and the process list): the
token is read from stdin or asked for without echo, the private key from a file. ``show`` says what is
configured and never prints a secret. Registered on cockpit.cli's parser by ``add_commands``; until then
``python -m cockpit.sync.auth_commands ACTION …`` runs the same commands.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

# Only the standard library here: cockpit.cli builds its parser on every start, so the handlers import
# the keyring, httpx and cryptography when they run.

Subparsers = argparse._SubParsersAction  # argparse names no public type for it


def add_commands(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "sync-auth", help="the sync's credentials in the OS keyring (token or client key)"
    )
    actions = p.add_subparsers(dest="sync_auth_action", metavar="ACTION", required=True)

    q = actions.add_parser(
        "set-token", help="save a bearer token, read from stdin or asked for (never given as an argument)"
    )
    q.set_defaults(func=cmd_set_token)

    q = actions.add_parser(
        "set-key", help="save a SMART Backend Services client: its private key and details"
    )
    q.add_argument("file", type=Path, metavar="FILE.pem", help="the client's private key (RSA or EC P-384)")
    q.add_argument("--client-id", required=True, help="the client id the server registered")
    q.add_argument("--token-url", required=True, help="the server's token endpoint (https://…)")
    q.add_argument(
        "--key-id", default=None, help="the key's kid in the client's JWKS, if the server needs it"
    )
    q.add_argument("--scope", default="system/*.read", help="scopes to ask for (default: system/*.read)")
    q.set_defaults(func=cmd_set_key)

    q = actions.add_parser("show", help="what is configured (never the secrets themselves)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_show)

    q = actions.add_parser("clear", help="remove the sync's token and client key from the OS keyring")
    q.set_defaults(func=cmd_clear)


def cmd_set_token(args: argparse.Namespace) -> int:
    del args
    from cockpit.sync.secrets import SyncSecrets  # noqa: PLC0415

    secrets = SyncSecrets()
    secrets.check_available()  # before asking for the token, not after
    token = getpass.getpass("Sync token (not shown): ") if sys.stdin.isatty() else sys.stdin.readline()
    secrets.set_token(token)
    print("The sync token is saved in the OS keyring.")
    return 0


def cmd_set_key(args: argparse.Namespace) -> int:
    import httpx  # noqa: PLC0415

    from cockpit.errors import InputError  # noqa: PLC0415
    from cockpit.sync.secrets import (  # noqa: PLC0415
        SmartClient,
        SyncSecrets,
        public_key_fingerprint,
        signing_algorithm,
    )
    from cockpit.sync.tls import require_secure_url  # noqa: PLC0415

    if not args.client_id.strip():
        raise InputError("The client id is empty: give the id the server registered for this practice.")
    try:
        require_secure_url(httpx.URL(args.token_url))
    except httpx.InvalidURL:
        raise InputError(
            "The token URL is not a URL: give the server's token endpoint (https://…)."
        ) from None
    try:
        pem = args.file.read_bytes()
    except OSError as exc:
        raise InputError(f"{args.file}: cannot be read ({type(exc).__name__}).") from None
    algorithm = signing_algorithm(pem)
    secrets = SyncSecrets()
    secrets.set_smart_client(
        SmartClient(
            client_id=args.client_id.strip(),
            token_url=args.token_url,
            private_key_pem=pem,
            key_id=args.key_id,
            scope=args.scope,
        )
    )
    print(
        f"The client key ({algorithm}, public key {public_key_fingerprint(pem)}) for client "
        f"{args.client_id.strip()} is saved in the OS keyring. The server must hold the matching public key. "
        f"Patient Cockpit does not need {args.file} any more."
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from cockpit.sync.secrets import SyncSecrets, public_key_fingerprint, signing_algorithm  # noqa: PLC0415

    secrets = SyncSecrets()
    client = secrets.smart_client()
    details: dict[str, str | None] | None = None
    if client is not None:
        details = {
            "client_id": client.client_id,
            "token_url": client.token_url,
            "scope": client.scope,
            "key_id": client.key_id,
            "algorithm": signing_algorithm(client.private_key_pem),
            "public_key": public_key_fingerprint(client.private_key_pem),
        }
    has_token = secrets.token() is not None
    if args.json:
        print(json.dumps({"bearer_token": has_token, "smart_client": details}, indent=2))
        return 0
    print(f"bearer token: {'saved' if has_token else 'not saved'}")
    if details is None:
        print("SMART client: not saved")
        return 0
    print(f"SMART client: {details['client_id']}")
    for name in ("token_url", "scope", "key_id", "algorithm", "public_key"):
        if details[name] is not None:
            print(f"  {name.replace('_', ' ')}: {details[name]}")
    return 0


def cmd_clear(args: argparse.Namespace) -> int:
    del args
    from cockpit.sync.secrets import SyncSecrets  # noqa: PLC0415

    SyncSecrets().clear()
    print("The sync token and client key are removed from the OS keyring.")
    return 0
