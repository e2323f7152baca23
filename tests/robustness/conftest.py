"""Fixtures for the robustness tests: two fictitious practices, a store to copy, a small disk."""

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cockpit.demo.generator import generate_practice
from cockpit.fhir.importer import import_path
from cockpit.privacy.identity import Role, os_actor
from cockpit.privacy.users import UserDirectory
from cockpit.security.keys import KeyStore
from cockpit.store import Store, open_store

ADMIN_PW = "correct horse battery"
GP_PW = "stethoscope-42"
GP = {"COCKPIT_USER": "gitte", "COCKPIT_PASSWORD": GP_PW}
AS_OF = date(2026, 11, 1)


def cockpit(home: Path, *args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}
    return subprocess.run(
        [sys.executable, "-m", "cockpit", "--home", str(home), *map(str, args)],
        capture_output=True,
        text=True,
        env={**clean, "QT_QPA_PLATFORM": "offscreen", **env},
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def fingerprint(store: Store) -> tuple[int, ...]:
    """What an import changes, as counts: a half import would show as a mixture."""
    with store.engine.connect() as conn:
        return tuple(
            conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            for table in ("patients", "observations", "conditions", "encounters", "import_runs")
        )


def integrity(store: Store) -> str:
    with store.engine.connect() as conn:
        return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar_one())


def forget(home: Path, keys: KeyStore) -> None:
    meta = home / "store.json"
    if meta.exists():
        keys.delete(json.loads(meta.read_text())["store_id"])


@pytest.fixture(scope="session")
def practice_a(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("practice-a")
    generate_practice(out, patients=200, seed=11, as_of=AS_OF)
    return out


@pytest.fixture(scope="session")
def practice_b(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("practice-b")
    generate_practice(out, patients=200, seed=12, as_of=AS_OF)
    return out


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory, practice_a: Path) -> Iterator[Path]:
    """A data directory with practice A imported and two users (ada, admin; gitte, GP). Copies of it
    share its keyring entry, so each test can start from the same store cheaply."""
    keys = KeyStore()
    home = tmp_path_factory.mktemp("template") / "home"
    store = open_store(home, keys)
    try:
        import_path(store, practice_a)
        users = UserDirectory(store)
        users.add(os_actor(), "ada", "Ada Admin", Role.ADMIN, ADMIN_PW)
        users.add(users.authenticate("ada", ADMIN_PW), "gitte", "Gitte Juul", Role.GP, GP_PW)
    finally:
        store.close()
    yield home
    forget(home, keys)


def copy_of(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    return target


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 3 MB file system (tmpfs), so that a full disk is a real ENOSPC. Needs root (CI runs as
    root); elsewhere the test is skipped, saying why."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
