"""``cockpit sync`` as a real process, the saved settings, and the status the window shows."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cockpit.errors import SyncError
from cockpit.sync.engine import sync_server
from cockpit.sync.progress import SyncCancelledError
from cockpit.sync.settings import SyncSettings, load_settings, save_settings, settings_path
from cockpit.sync.status import sync_status
from tests.conftest import REPO


def _cockpit(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COCKPIT_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "cockpit", "sync", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cockpit_sync_saves_the_server_and_reports_counts_only(
    fhir_server: str, tmp_path: Path, make_store: Any
) -> None:
    home = tmp_path / "cli"
    first = _cockpit(home, "--server", fhir_server, "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert (summary["method"], summary["full"], summary["inserted"]) == ("export", True, 23_137)
    assert load_settings(home).server_url == fhir_server
    again = _cockpit(home)  # the saved server, incremental
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"Synced (incremental, history) from {fhir_server}: 0 received")
    assert again.stderr == ""  # no progress line when stderr is not a terminal
    status = sync_status(make_store("cli"), fhir_server)
    assert status.last_success is not None and status.last_error is None and not status.resumable


def test_cockpit_sync_without_a_server_says_how_to_set_one(tmp_path: Path) -> None:
    done = _cockpit(tmp_path / "none")
    assert done.returncode == 9
    assert done.stderr.strip() == (
        "cockpit: No sync server is set: run 'cockpit sync --server URL' once to set it."
    )


def test_an_unusable_server_url_is_refused_and_nothing_is_saved(tmp_path: Path) -> None:
    home = tmp_path / "bad"
    done = _cockpit(home, "--server", "http://example.org/fhir")  # plain http off the loopback
    assert done.returncode == 9
    assert len(done.stderr.strip().splitlines()) == 1
    assert not settings_path(home).exists()


def test_settings_round_trip_and_bad_values_are_explained(tmp_path: Path) -> None:
    settings = SyncSettings(server_url="https://fhir.example/r4", auth_kind="smart", schedule_minutes=15)
    save_settings(tmp_path, settings)
    assert load_settings(tmp_path) == settings
    assert settings_path(tmp_path).stat().st_mode & 0o077 == 0
    with pytest.raises(SyncError, match="method"):
        save_settings(tmp_path, settings.with_changes(method="fast"))
    settings_path(tmp_path).write_text("{not json")
    with pytest.raises(SyncError, match="cannot be read"):
        load_settings(tmp_path)


def test_status_shows_a_failed_run_and_a_pending_resumable_one(fhir_server: str, make_store: Any) -> None:
    import threading  # noqa: PLC0415

    store = make_store()
    cancel = threading.Event()

    def stop_when_downloading(progress: Any) -> None:
        if progress.phase == "downloading":
            cancel.set()

    with pytest.raises(SyncCancelledError):
        sync_server(
            store, SyncSettings(server_url=fhir_server), progress=stop_when_downloading, cancel=cancel
        )
    status = sync_status(store, fhir_server)
    assert status.resumable and status.last_success is None and status.last_error is None


def test_the_command_line_saves_every_sync_setting_without_syncing(tmp_path: Path, make_store: Any) -> None:
    home = tmp_path / "settings"
    make_store("settings")  # the keyed store the command signs in to
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    saved = _cockpit(
        home, "--server", "https://fhir.example.invalid/fhir/", "--auth", "smart", "--client-id", "cockpit-1",
        "--token-url", "https://auth.example.invalid/token", "--ca-bundle", str(ca), "--every", "15",
        "--save-only",
    )  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout == f"Sync settings saved in {home / 'sync.json'}.\n"
    settings = load_settings(home)
    assert (settings.server_url, settings.auth_kind, settings.client_id, settings.schedule_minutes) == (
        "https://fhir.example.invalid/fhir",
        "smart",
        "cockpit-1",
        15,
    )
    assert settings.token_url == "https://auth.example.invalid/token"
    assert settings.ca_bundle == str(ca.resolve())
    # A folder replaces the server; --every 0 means "only on request".
    drop = tmp_path / "drop"
    drop.mkdir()
    assert _cockpit(home, "--folder", str(drop), "--every", "0", "--save-only").returncode == 0
    settings = load_settings(home)
    assert (settings.server_url, settings.folder, settings.schedule_minutes) == (None, str(drop), None)
    missing = _cockpit(home, "--ca-bundle", str(tmp_path / "nope.pem"), "--save-only")
    assert missing.returncode == 9 and "is not a file" in missing.stderr
