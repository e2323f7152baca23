"""CLI commands ``cockpit sync-auth set-token|set-key|show|clear``: the sync's credentials in the OS keyring.

A secret never comes from the command line (it would land in the shell history and the process list): the
token is read from stdin or asked for without echo, the private key from a file. ``show`` says what is
configured and never prints a secret.
"""

import argparse
import getpass
import json
import sys

import httpx

from cockpit.errors import InputError
from cockpit.sync.secrets import SmartClient, SyncSecrets, public_key_fingerprint, signing_algorithm
from cockpit.sync.tls import require_secure_url


def cmd_set_token(args: argparse.Namespace) -> int:
    del args
    secrets = SyncSecrets()
    secrets.check_available()  # before asking for the token, not after
    token = getpass.getpass("Sync token (not shown): ") if sys.stdin.isatty() else sys.stdin.readline()
    secrets.set_token(token)
    print("The sync token is saved in the OS keyring.")
    return 0


def cmd_set_key(args: argparse.Namespace) -> int:
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
    SyncSecrets().clear()
    print("The sync token and client key are removed from the OS keyring.")
    return 0
