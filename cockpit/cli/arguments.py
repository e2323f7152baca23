"""What the ``cockpit`` command accepts: every option and subcommand, and which handler runs it.

The parser is built on every start (the window's too), so this module imports only the standard library.
A handler is named by its command group (a module in cockpit/cli/) and loaded when its command runs: the
groups load the store, httpx, the indicator engine or tufup, which a start that does not need them should
not wait for.

Over 500 lines on purpose: it is the one page that shows every command and option of the program, and it is
declarations only (no logic to split along).
"""

from __future__ import annotations

import argparse
import importlib
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from cockpit.sync.options import add_limit_options  # standard library only, like this module

Subparsers = argparse._SubParsersAction  # argparse names no public type for it
Handler = Callable[[argparse.Namespace], int]

STATUSES = ("new", "contacted", "booked", "done", "not_relevant", "declined", "moved_away", "resolved")
PRIORITIES = {"high": 1, "normal": 2, "low": 3, "1": 1, "2": 2, "3": 3}
ROLES = ("gp", "nurse", "secretary", "admin")
NEW_PASSWORD_VARIABLE = "COCKPIT_NEW_PASSWORD"
PASSPHRASE_VARIABLE = "COCKPIT_BACKUP_PASSPHRASE"
DATABASE_PASSWORD_VARIABLE = "COCKPIT_DATABASE_PASSWORD"


def handler(group: str, name: str) -> Handler:
    """The function ``name`` of cockpit/cli/``group``.py, imported when the command runs."""

    module = f"cockpit.cli.{group}"

    def run(args: argparse.Namespace) -> int:
        code: int = getattr(importlib.import_module(module), name)(args)
        return code

    run.__module__, run.__name__, run.__qualname__ = module, name, name  # what it stands for, in tracebacks
    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cockpit",
        description="Patient Cockpit: patient overview and risk lists for Danish general practice. "
        "Without a command it opens the window.",
    )
    parser.add_argument(
        "--home",
        type=Path,
        default=None,
        help="data directory (default: $COCKPIT_HOME, else the per-user data directory)",
    )
    parser.add_argument(
        "--user",
        default=os.environ.get("COCKPIT_USER"),
        help="practice user to sign in as, once users exist (password from $COCKPIT_PASSWORD or a prompt)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")
    parser.add_argument("-v", "--verbose", action="store_true", help="more logging (never patient data)")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window, load the store, then exit (0 when all went well); for installers and CI",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the demo practice (fictitious patients, generated on first start) in its own data "
        "directory",
    )
    parser.add_argument(
        "--patient", metavar="PATIENT", help="open this patient (CPR, FHIR id or internal id)"
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE.png",
        help="render the window (with --patient: their overview) to a PNG and exit",
    )
    parser.add_argument(
        "--size", type=_size, default=(1366, 768), help="window size for --screenshot (1366x768)"
    )
    parser.add_argument(
        "--lang", choices=("da", "en"), default=None, help="language of the window (default: Danish)"
    )
    parser.add_argument(
        "--lock-minutes",
        type=_lock_minutes,
        default=_lock_minutes(os.environ.get("COCKPIT_LOCK_MINUTES", "5")),
        help="lock the window after this many minutes without input (1-120; default 5, or "
        "$COCKPIT_LOCK_MINUTES)",
    )
    add_commands(parser.add_subparsers(dest="command", metavar="COMMAND"))
    return parser


def add_commands(commands: Subparsers[argparse.ArgumentParser]) -> None:
    """Every subcommand, in the order ``cockpit --help`` lists them."""
    _add_data_in(commands)
    _add_indicators(commands)
    _add_sync(commands)
    _add_sync_auth(commands)
    _add_audit(commands)
    _add_users(commands)
    _add_updates(commands)
    _add_worklists(commands)
    _add_database(commands)
    _add_patients(commands)


# --- demo, import (cockpit/cli/importing.py); patients, overview (cockpit/cli/patients.py) -------------


def _add_data_in(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("demo", help="write a fictitious Danish practice as FHIR bulk NDJSON")
    p.add_argument("--patients", type=_patient_count, default=2000, help="10 to 100,000 (default 2,000)")
    p.add_argument("--seed", type=int, default=2018, help="same seed and arguments: byte-identical output")
    p.add_argument("--out", type=Path, required=True, help="directory to write (created if missing)")
    p.add_argument("--as-of", type=iso_date, default=None, help="anchor date YYYY-MM-DD (default: today)")
    p.set_defaults(func=handler("importing", "cmd_demo"))

    p = commands.add_parser("import", help="import FHIR R4 data (NDJSON directory/file, Bundle, JSON files)")
    p.add_argument("path", type=Path)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=handler("importing", "cmd_import"))


def _add_patients(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("patients", help="list patients")
    p.add_argument("--search", default="", help="name, CPR (dash optional) or birth date")
    p.add_argument("--limit", type=int, default=None, help="at most this many")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=handler("patients", "cmd_patients"))

    p = commands.add_parser("overview", help="everything about one patient")
    p.add_argument("patient", help="CPR number, FHIR id or internal id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=handler("patients", "cmd_overview"))


# --- indicators, risk, packs (cockpit/cli/indicators.py) ------------------------------------------------


def _add_indicators(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("indicators", help="the practice's indicators, with population and hits")
    p.add_argument("--all", action="store_true", help="also the indicators the practice has not chosen")
    p.add_argument("--as-of", type=iso_date, default=None, help="date YYYY-MM-DD (default: today)")
    p.add_argument("--no-counts", action="store_true", help="list only, without evaluating (no store)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=handler("indicators", "cmd_indicators"))

    p = commands.add_parser("risk", help="the patients one indicator finds, each with the evidence")
    p.add_argument("indicator", help="indicator id, e.g. DM-HBA1C-12M")
    p.add_argument("--as-of", type=iso_date, default=None, help="date YYYY-MM-DD (default: today)")
    output = p.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true")
    output.add_argument("--csv", action="store_true")
    p.set_defaults(func=handler("indicators", "cmd_risk"))

    p = commands.add_parser("packs", help="indicator packs: list, import from the cluster, choose")
    actions = p.add_subparsers(dest="packs_action", metavar="ACTION", required=True)
    q = actions.add_parser("list", help="installed packs")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=handler("indicators", "cmd_packs_list"))
    q = actions.add_parser("import", help="check a pack file, show what changes, install it")
    q.add_argument("file", type=Path)
    q.add_argument("--yes", action="store_true", help="install without asking")
    q.add_argument("--sha256", default=None, help="the checksum the cluster gave you; refuse any other")
    q.set_defaults(func=handler("indicators", "cmd_packs_import"))
    for action, active in (("enable", True), ("disable", False)):
        q = actions.add_parser(action, help=f"{action} packs or indicators (the cluster's choice)")
        q.add_argument("ids", nargs="+", metavar="ID", help="pack id (e.g. diabetes) or indicator id")
        q.set_defaults(func=handler("indicators", "cmd_packs_choose"), active=active)
    q = actions.add_parser("threshold", help="set a threshold where the pack allows it")
    q.add_argument("indicator")
    q.add_argument("name", help="parameter name (see 'packs list --json')")
    q.add_argument("value", nargs="?", type=float, help="the new value")
    q.add_argument("--reset", action="store_true", help="back to the pack's default")
    q.set_defaults(func=handler("indicators", "cmd_packs_threshold"))
    q = actions.add_parser("checksum", help="for pack authors: compute (and --write) a pack's checksum")
    q.add_argument("file", type=Path)
    q.add_argument("--write", action="store_true", help="set the checksum line in the file")
    q.set_defaults(func=handler("indicators", "cmd_packs_checksum"))


# --- sync and sync-auth (cockpit/cli/sync.py, cockpit/cli/sync_auth.py) --------------------------------


def _add_sync(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("sync", help="bring the store up to date from the practice's FHIR server")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--server", default=None, metavar="URL", help="FHIR base URL (saved for next time)")
    source.add_argument(
        "--folder", type=Path, default=None, help="a folder of NDJSON files instead (saved for next time)"
    )
    p.add_argument("--full", action="store_true", help="fetch everything and remove what the server lacks")
    p.add_argument(
        "--method",
        choices=("auto", "export", "search", "everything"),
        default=None,
        help="how to fetch a full sync (saved; default auto: bulk export where the server has it)",
    )
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    saved = p.add_argument_group("settings (saved in sync.json for the next runs and the window)")
    saved.add_argument(
        "--auth", choices=("none", "bearer", "smart"), help="credentials (stored with cockpit sync-auth)"
    )
    saved.add_argument("--client-id", help="SMART Backend Services client id")
    saved.add_argument("--token-url", metavar="URL", help="SMART token endpoint")
    saved.add_argument("--scope", help="SMART scope (default system/*.read)")
    saved.add_argument("--ca-bundle", type=Path, help="extra CA certificates (PEM) to trust for the server")
    saved.add_argument(
        "--export-level", choices=("system", "patient", "group"), help="bulk export level (default system)"
    )
    saved.add_argument("--group", metavar="ID", help="the Group to export (with --export-level group)")
    saved.add_argument(
        "--every", type=int, metavar="MINUTES", help="the window syncs every MINUTES (0: only on request)"
    )
    saved.add_argument("--save-only", action="store_true", help="save the settings without syncing")
    add_limit_options(p)
    p.set_defaults(func=handler("sync", "cmd_sync"))


def _add_sync_auth(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "sync-auth", help="the sync's credentials in the OS keyring (token or client key)"
    )
    actions = p.add_subparsers(dest="sync_auth_action", metavar="ACTION", required=True)

    q = actions.add_parser(
        "set-token", help="save a bearer token, read from stdin or asked for (never given as an argument)"
    )
    q.set_defaults(func=handler("sync_auth", "cmd_set_token"))

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
    q.set_defaults(func=handler("sync_auth", "cmd_set_key"))

    q = actions.add_parser("show", help="what is configured (never the secrets themselves)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=handler("sync_auth", "cmd_show"))

    q = actions.add_parser("clear", help="remove the sync's token and client key from the OS keyring")
    q.set_defaults(func=handler("sync_auth", "cmd_clear"))


# --- audit, users, backup, restore, rekey, database (cockpit/cli/audit.py, users.py, database.py) ------


def _add_audit(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "audit",
        help="the audit log: who looked at which patient, what left the store; 'audit verify' checks it",
        description="Entries oldest first, filtered by every option given. Reading the log is itself "
        "recorded. 'cockpit audit verify' walks the hash chain and names the first entry that was edited, "
        "inserted or deleted (exit code 1), else prints 'N entries, chain intact'.",
    )
    p.add_argument("action", nargs="?", choices=("verify",), help="verify: check the chain, show nothing")
    p.add_argument("--patient", metavar="PATIENT", help="who looked at this patient (CPR, FHIR id or id)")
    p.add_argument(
        "--user",
        dest="audit_user",
        metavar="NAME",
        help="what this practice user did (to sign in yourself: cockpit --user ADMIN audit ...)",
    )
    p.add_argument("--since", type=iso_date, default=None, help="from this day (YYYY-MM-DD, local time)")
    p.add_argument("--until", type=iso_date, default=None, help="up to and including this day")
    p.add_argument("--data-out", action="store_true", help="only data that left the store (the ledger)")
    p.add_argument("--purpose", default=None, help="why you read the log (recorded with the read)")
    output = p.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true")
    output.add_argument("--csv", action="store_true", help="for the data controller")
    p.set_defaults(func=handler("audit", "cmd_audit"))


def _add_users(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("users", help="practice users: add, list, change password or role, disable")
    actions = p.add_subparsers(dest="users_action", metavar="ACTION", required=True)
    q = actions.add_parser(
        "add", help="add a user (the first one must be --role admin; it ends single-user mode)"
    )
    q.add_argument("name", help="sign-in name (2-32 letters, digits, '.', '-', '_'; case-insensitive)")
    q.add_argument("--role", choices=ROLES, required=True)
    q.add_argument("--full-name", default="", help="the name shown in the window and the audit log")
    q.set_defaults(func=handler("users", "cmd_users_add"))
    q = actions.add_parser("list", help="the users, their roles and whether they are locked or disabled")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=handler("users", "cmd_users_list"))
    q = actions.add_parser("passwd", help=f"set a user's password (from ${NEW_PASSWORD_VARIABLE} or asked)")
    q.add_argument("name")
    q.set_defaults(func=handler("users", "cmd_users_passwd"))
    q = actions.add_parser("role", help="change a user's role")
    q.add_argument("name")
    q.add_argument("role", choices=ROLES)
    q.set_defaults(func=handler("users", "cmd_users_role"))
    for action, help_text in (
        ("disable", "stop a user from signing in (users are kept: the audit log names them)"),
        ("enable", "let a disabled user sign in again"),
        ("unlock", "end a lock-out after failed sign-ins"),
    ):
        q = actions.add_parser(action, help=help_text)
        q.add_argument("name")
        q.set_defaults(func=handler("users", "cmd_users_change"), change=action)

    p = commands.add_parser(
        "backup", help=f"write an encrypted backup of the store (passphrase: ${PASSPHRASE_VARIABLE} or asked)"
    )
    p.add_argument("--out", type=Path, required=True, help="the backup file to write")
    p.set_defaults(func=handler("users", "cmd_backup"))

    p = commands.add_parser("restore", help="restore a backup into the data directory, under a new key")
    p.add_argument("file", type=Path, help="a backup written by `cockpit backup`")
    p.add_argument(
        "--replace", action="store_true", help="move the present store aside (to replaced-TIME/) first"
    )
    p.set_defaults(func=handler("users", "cmd_restore"))

    p = commands.add_parser(
        "rekey", help="re-encrypt the store under a new random key (close the window first)"
    )
    p.set_defaults(func=handler("users", "cmd_rekey"))


def _add_database(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "database", help="use the practice server's shared database (PostgreSQL) or the embedded store"
    )
    actions = p.add_subparsers(dest="database_action", metavar="ACTION", required=True)
    q = actions.add_parser(
        "connect",
        help="use the practice server: postgresql://USER@HOST[:PORT]/DATABASE "
        f"(password: ${DATABASE_PASSWORD_VARIABLE} or asked; kept in the OS keyring)",
    )
    q.add_argument("url", help="e.g. postgresql://cockpit@server.klinik.local/cockpit (no password in it)")
    q.add_argument("--ca-bundle", type=Path, default=None, help="the CA certificate(s) the server's TLS uses")
    q.set_defaults(func=handler("database", "cmd_connect"))
    q = actions.add_parser("show", help="which database this data directory uses, and whether it answers")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=handler("database", "cmd_show"))
    q = actions.add_parser(
        "disconnect", help="stop using the practice server here (its data stays on the server)"
    )
    q.set_defaults(func=handler("database", "cmd_disconnect"))


# --- update (cockpit/cli/updates.py) ---------------------------------------------------------------------


def _add_updates(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("update", help="check for, install or roll back a signed update")
    actions = p.add_subparsers(dest="update_action", metavar="ACTION", required=True)
    for name, text in (
        ("check", "is a newer signed version available? (exit 0: yes, 1: no)"),
        ("install", "download, verify and, after you agree, install the newest version"),
        ("rollback", "go back to the version installed before the last update"),
    ):
        q = actions.add_parser(name, help=text)
        q.add_argument("--root", type=Path, default=None, help="install root (default: this installation)")
        q.add_argument("--url", default=None, help="update repository (default: the configured one)")
        if name == "install":
            q.add_argument("--yes", action="store_true", help="install without asking (silent deployment)")
        q.set_defaults(func=handler("updates", f"cmd_{name}"))


# --- worklist (cockpit/cli/worklists.py) ------------------------------------------------------------------


def _add_worklists(commands: Subparsers[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("worklist", help="follow-up worklists: create, work through, close the loop")
    actions = p.add_subparsers(dest="worklist_action", metavar="ACTION", required=True)

    q = actions.add_parser("create", help="a list of the hits of one or more indicators")
    q.add_argument("--indicator", action="append", required=True, metavar="ID", help="repeat for more")
    q.add_argument("--name", default=None)
    q.add_argument("--follow", action="store_true", help="add new hits on each re-evaluation")
    q.add_argument("--as-of", type=iso_date, default=None, help="date YYYY-MM-DD (default: today)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=handler("worklists", "cmd_create"))

    q = actions.add_parser("list", help="the lists, with open, overdue, done, auto-resolved, median days")
    q.add_argument("--as-of", type=iso_date, default=None, help="what counts as overdue (default: today)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=handler("worklists", "cmd_list"))
    _add_worklist_items(actions)
    _add_worklist_lists(actions)


def _add_worklist_items(actions: Subparsers[argparse.ArgumentParser]) -> None:
    q = actions.add_parser("items", help="a list's items (patients named; recorded in the audit log)")
    q.add_argument("list", type=record_id, metavar="LIST")
    q.add_argument("--mine", action="store_true", help="assigned to me or to my role")
    q.add_argument("--overdue", action="store_true", help="open and past the due date")
    q.add_argument("--status", action="append", choices=STATUSES, default=None, help="repeat for more")
    q.add_argument("--open", action="store_true", help="only new, contacted and booked")
    q.add_argument("--indicator", default=None, metavar="ID")
    q.add_argument("--as-of", type=iso_date, default=None, help="what counts as overdue (default: today)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=handler("worklists", "cmd_items"))

    q = actions.add_parser("set", help="change items: status, assignee, due date, priority, a note")
    q.add_argument("items", type=record_id, nargs="+", metavar="ITEM", help="one item, or several (bulk)")
    q.add_argument("--status", choices=STATUSES[:-1], default=None)
    q.add_argument("--reason", default=None, help="reason code for not_relevant, declined, moved_away")
    q.add_argument("--assignee", default=None, help="a user name, a role (nurse or role:nurse), '' to clear")
    due = q.add_mutually_exclusive_group()
    due.add_argument("--due", type=iso_date, default=None, help="date YYYY-MM-DD")
    due.add_argument("--no-due", action="store_true", help="remove the due date")
    q.add_argument("--priority", type=_priority, default=None, help="high, normal or low")
    q.add_argument("--note", default=None)
    q.add_argument(
        "--version",
        type=record_id,
        default=None,
        help="the version you saw (one item): refused if it changed",
    )
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=handler("worklists", "cmd_set"))

    q = actions.add_parser("history", help="who changed what on an item, and when")
    q.add_argument("item", type=record_id, metavar="ITEM")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=handler("worklists", "cmd_history"))


def _add_worklist_lists(actions: Subparsers[argparse.ArgumentParser]) -> None:
    q = actions.add_parser("plan", help="the list's implementation plan")
    q.add_argument("list", type=record_id, metavar="LIST")
    q.add_argument("--what", required=True, help="what the practice will change")
    q.add_argument("--how", required=True)
    q.add_argument("--who", required=True)
    q.add_argument("--by", type=iso_date, required=True, help="deadline YYYY-MM-DD")
    q.add_argument("--target", default=None, help="the target figure, e.g. '90 %% with HbA1c'")
    q.add_argument("--review", type=iso_date, default=None, help="review date YYYY-MM-DD")
    q.set_defaults(func=handler("worklists", "cmd_plan"))

    q = actions.add_parser("reevaluate", help="close the loop: resolve items the data shows done, add hits")
    q.add_argument("--as-of", type=iso_date, default=None, help="date YYYY-MM-DD (default: today)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=handler("worklists", "cmd_reevaluate"))

    q = actions.add_parser("export", help="a call list as CSV (recorded in the data-out ledger)")
    q.add_argument("list", type=record_id, metavar="LIST")
    q.add_argument("--csv", type=Path, required=True, metavar="FILE")
    q.add_argument("--all", action="store_true", help="closed items too (default: the open ones)")
    q.add_argument("--mine", action="store_true")
    q.add_argument("--overdue", action="store_true")
    q.add_argument("--as-of", type=iso_date, default=None)
    q.set_defaults(func=handler("worklists", "cmd_export"))


# --- values ----------------------------------------------------------------------------------------------


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("give the date as YYYY-MM-DD") from None


def record_id(text: str) -> int:
    """A list or item number as the store keeps them (32-bit on both stores: PostgreSQL refuses to
    compare an INTEGER column with anything larger, so an absurd number is an input error here)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < 2**31:
        raise argparse.ArgumentTypeError(f"{text} is not a list or item number")
    return value


def _priority(text: str) -> int:
    value = PRIORITIES.get(text.strip().lower())
    if value is None:
        raise argparse.ArgumentTypeError("the priority is high, normal or low")
    return value


def _patient_count(text: str) -> int:
    value = int(text)
    if not 10 <= value <= 100_000:
        raise argparse.ArgumentTypeError("the demo practice has 10 to 100,000 patients")
    return value


def _lock_minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("give the lock time in minutes, e.g. 5") from None
    if not 1 <= value <= 120:
        raise argparse.ArgumentTypeError("the lock time must be between 1 and 120 minutes")
    return value


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError("give the size as WIDTHxHEIGHT, e.g. 1366x768") from None
    if not (320 <= width <= 8000 and 240 <= height <= 8000):
        raise argparse.ArgumentTypeError("the size must be between 320x240 and 8000x8000")
    return width, height
