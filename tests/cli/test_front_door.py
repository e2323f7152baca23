"""The command line's structure (issue 17): one module opens the store, the parser built on every start
loads nothing heavy, and every command it offers names a handler that exists."""

import argparse
import ast
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from cockpit.cli import build_parser
from tests.conftest import REPO

COCKPIT = REPO / "cockpit"


def test_the_store_is_opened_in_one_module_outside_the_store_package() -> None:
    openers = set()
    for path in COCKPIT.rglob("*.py"):
        if path.is_relative_to(COCKPIT / "store"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and any(a.name == "open_store" for a in node.names):
                openers.add(path.relative_to(REPO).as_posix())
    assert openers == {"cockpit/services/bootstrap.py"}


def test_building_the_parser_loads_no_store_network_window_or_update_library() -> None:
    probe = (
        "import sys; from cockpit.cli import build_parser; build_parser(); "
        "heavy = {'sqlalchemy', 'sqlcipher3', 'alembic', 'httpx', 'keyring', 'PySide6', 'tufup', 'yaml'}; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def _commands(parser: argparse.ArgumentParser, path: str = "cockpit") -> Iterator[tuple[str, object]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, f"{path} {name}")
            return
    yield path, parser.get_default("func")


def test_every_command_names_a_handler_in_its_group_module() -> None:
    commands = dict(_commands(build_parser()))
    assert (
        len(commands) == 42
    )  # 11 on their own, packs 6, sync-auth 4, users 7, update 3, worklist 8, database 3
    assert "cockpit worklist export" in commands and "cockpit sync-auth set-key" in commands
    for path, func in commands.items():
        assert callable(func), path
        module = importlib.import_module(getattr(func, "__module__", ""))
        assert Path(str(module.__file__)).parent == COCKPIT / "cli", path
        assert callable(getattr(module, getattr(func, "__name__", ""))), path
