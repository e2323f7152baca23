"""Secure updates end to end: packaging/publish-update keeps a real TUF repository, served over HTTP on
127.0.0.1; cockpit.updates checks, verifies and installs from it. Every refusal leaves the installed
version current and working (its program still runs)."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from cockpit.cli import arguments as commands
from cockpit.updates.client import AvailableUpdate, Updater
from cockpit.updates.errors import UpdateError, UpdateRefusedError
from cockpit.updates.settings import is_self_updating, load_settings
from tests.packaging.conftest import dummy_bundle, run_tool


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Site:
    repo: Path
    keys: Path
    work: Path
    url: str
    server: ThreadingHTTPServer

    def publish(self, version: str) -> None:
        bundle = dummy_bundle(self.work / f"bundle-{version}", version)
        result = run_tool(
            "publish-update",
            "add",
            "--repo",
            self.repo,
            "--keys",
            self.keys,
            "--bundle",
            bundle,
            "--version",
            version,
        )
        assert result.returncode == 0, result.stderr

    def serve(self, folder: Path) -> None:
        """Serve another folder from now on (a replaced or forged repository)."""
        self.server.RequestHandlerClass = partial(QuietHandler, directory=str(folder))


def init_repository(repo: Path, keys: Path) -> None:
    result = run_tool("publish-update", "init", "--repo", repo, "--keys", keys)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    repo, keys = tmp_path / "repo", tmp_path / "keys"
    init_repository(repo, keys)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(repo)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(repo, keys, tmp_path, f"http://127.0.0.1:{server.server_address[1]}", server)
    server.shutdown()
    server.server_close()


def install_root(site: Site, version: str = "0.1.0") -> Path:
    """An installation as the self-updating .tar.gz unpacks: versions/V, current -> it, the trusted root."""
    root = site.work / "installed"
    dummy_bundle(root / "versions" / version, version)
    (root / "current").symlink_to(Path("versions") / version)
    shutil.copyfile(site.repo / "metadata" / "root.json", root / "update-root.json")
    return root


def updater(site: Site, root: Path) -> Updater:
    return Updater(load_settings(install_root=root, repository_url=site.url))


def running_version(root: Path) -> str:
    """What the installed program says when started through the 'current' link."""
    return subprocess.run([root / "current" / "cockpit"], capture_output=True, text=True, check=True).stdout


def versions_on_disk(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "versions").iterdir())


# --- the good path ---------------------------------------------------------------------------------------


def test_a_newer_signed_version_is_found_and_installed_only_after_consent(site: Site) -> None:
    root = install_root(site)
    site.publish("0.2.0")
    client = updater(site, root)
    update = client.check()
    assert update is not None
    assert (update.current_version, update.version) == ("0.1.0", "0.2.0")

    assert client.install(update, confirm=lambda _u: False) is False
    assert running_version(root) == "Patient Cockpit 0.1.0\n"
    assert versions_on_disk(root) == ["0.1.0"]

    assert client.install(update, confirm=lambda u: u.version == "0.2.0") is True
    assert running_version(root) == "Patient Cockpit 0.2.0\n"
    assert client.layout.version("previous") == "0.1.0"
    assert versions_on_disk(root) == ["0.1.0", "0.2.0"]
    assert client.check() is None  # up to date now


def test_rollback_returns_to_the_kept_previous_version(site: Site) -> None:
    root = install_root(site)
    site.publish("0.2.0")
    client = updater(site, root)
    update = client.check()
    assert update is not None
    client.install(update, confirm=lambda _u: True)
    assert client.rollback() == "0.1.0"
    assert running_version(root) == "Patient Cockpit 0.1.0\n"
    assert client.layout.version("previous") == "0.2.0"  # and forward again is possible


def test_only_current_and_previous_are_kept(site: Site) -> None:
    root = install_root(site)
    client = updater(site, root)
    for version in ("0.2.0", "0.3.0"):
        site.publish(version)
        update = client.check()
        assert update is not None
        assert update.version == version
        client.install(update, confirm=lambda _u: True)
    assert versions_on_disk(root) == ["0.2.0", "0.3.0"]
    assert running_version(root) == "Patient Cockpit 0.3.0\n"


# --- refusals --------------------------------------------------------------------------------------------


def assert_untouched(root: Path) -> None:
    assert running_version(root) == "Patient Cockpit 0.1.0\n"
    assert versions_on_disk(root) == ["0.1.0"]


def test_a_tampered_target_is_refused(site: Site) -> None:
    root = install_root(site)
    site.publish("0.2.0")
    archive = site.repo / "targets" / "patient-cockpit-0.2.0.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01  # same length, different bytes
    archive.write_bytes(bytes(data))
    client = updater(site, root)
    update = client.check()  # the metadata is fine; the file is not
    assert update is not None
    with pytest.raises(UpdateRefusedError, match="does not match the length and SHA-256"):
        client.install(update, confirm=lambda _u: True)
    assert_untouched(root)


def test_expired_metadata_is_refused_until_the_repository_is_refreshed(site: Site) -> None:
    root = install_root(site)
    site.publish("0.2.0")
    expire_timestamp(site)
    with pytest.raises(UpdateRefusedError, match="expired"):
        updater(site, root).check()
    assert_untouched(root)
    # The daily `publish-update refresh` is what keeps a repository usable.
    result = run_tool("publish-update", "refresh", "--repo", site.repo, "--keys", site.keys)
    assert result.returncode == 0, result.stderr
    update = updater(site, root).check()
    assert update is not None
    assert update.version == "0.2.0"


def test_metadata_signed_by_the_wrong_key_is_refused(site: Site) -> None:
    root = install_root(site)
    forged_repo, forged_keys = site.work / "forged", site.work / "forged-keys"
    init_repository(forged_repo, forged_keys)
    bundle = dummy_bundle(site.work / "evil", "9.9.9")
    result = run_tool(
        "publish-update",
        "add",
        "--repo",
        forged_repo,
        "--keys",
        forged_keys,
        "--bundle",
        bundle,
        "--version",
        "9.9.9",
    )
    assert result.returncode == 0, result.stderr
    site.serve(forged_repo)
    with pytest.raises(UpdateRefusedError, match="not signed by the keys this installation trusts"):
        updater(site, root).check()
    assert_untouched(root)


def test_replayed_older_metadata_is_refused(site: Site) -> None:
    """A rollback attack: after the client has seen 0.2.0's metadata, the server replays the older
    metadata (which would hide the fix in 0.2.0)."""
    root = install_root(site)
    old = site.work / "old-repo"
    shutil.copytree(site.repo, old)
    site.publish("0.2.0")
    client = updater(site, root)
    assert client.check() is not None
    site.serve(old)
    with pytest.raises(UpdateRefusedError, match="older metadata than this installation has already seen"):
        client.check()
    assert_untouched(root)


def test_an_older_version_is_never_offered(site: Site) -> None:
    site.publish("0.1.0")
    root = install_root(site, version="0.2.0")
    assert updater(site, root).check() is None
    assert running_version(root) == "Patient Cockpit 0.2.0\n"


def test_an_older_version_cannot_be_installed_as_an_update(site: Site) -> None:
    site.publish("0.1.0")
    root = install_root(site, version="0.2.0")
    stale = AvailableUpdate(current_version="0.2.0", version="0.1.0", size=1)
    with pytest.raises(UpdateRefusedError, match=r"not newer than the installed 0\.2\.0"):
        updater(site, root).install(stale, confirm=lambda _u: True)
    assert running_version(root) == "Patient Cockpit 0.2.0\n"
    assert versions_on_disk(root) == ["0.2.0"]


def test_an_unreachable_repository_is_an_error_not_a_refusal(site: Site) -> None:
    root = install_root(site)
    site.server.shutdown()
    site.server.server_close()
    with pytest.raises(UpdateError, match="cannot be reached") as raised:
        updater(site, root).check()
    assert not isinstance(raised.value, UpdateRefusedError)
    assert_untouched(root)


# --- settings and the CLI --------------------------------------------------------------------------------


def test_plain_http_is_allowed_only_to_this_machine(tmp_path: Path) -> None:
    with pytest.raises(UpdateError, match="https://"):
        load_settings(install_root=tmp_path, repository_url="http://updates.example.dk/cockpit")
    settings = load_settings(install_root=tmp_path, repository_url="https://updates.example.dk/cockpit/")
    assert settings.metadata_url == "https://updates.example.dk/cockpit/metadata/"
    assert settings.targets_url == "https://updates.example.dk/cockpit/targets/"


def test_only_an_install_root_updates_itself(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("COCKPIT_UPDATE_ROOT", raising=False)
    assert not is_self_updating()  # not frozen: a development checkout
    with pytest.raises(UpdateError, match="cannot update itself"):
        load_settings()
    monkeypatch.setenv("COCKPIT_UPDATE_ROOT", str(tmp_path))
    assert is_self_updating()


def test_the_repository_comes_from_update_json_in_the_install_root(tmp_path: Path) -> None:
    with pytest.raises(UpdateError, match="no update repository is configured"):
        load_settings(install_root=tmp_path)
    (tmp_path / "update.json").write_text('{"repository_url": "https://updates.example.dk/c"}')
    assert load_settings(install_root=tmp_path).repository_url == "https://updates.example.dk/c"


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    commands.add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_update_commands_check_install_and_roll_back(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    root = install_root(site)
    where = ("--root", str(root), "--url", site.url)
    assert run_cli("update", "check", *where) == 1
    assert "up to date" in capsys.readouterr().out
    site.publish("0.2.0")
    assert run_cli("update", "check", *where) == 0
    assert "Version 0.2.0 is available (installed: 0.1.0" in capsys.readouterr().out
    assert run_cli("update", "install", *where) == 1  # no terminal to ask, no --yes: not installed
    assert running_version(root) == "Patient Cockpit 0.1.0\n"
    assert run_cli("update", "install", "--yes", *where) == 0
    assert running_version(root) == "Patient Cockpit 0.2.0\n"
    assert run_cli("update", "rollback", *where) == 0
    assert "Rolled back: 0.1.0" in capsys.readouterr().out
    assert running_version(root) == "Patient Cockpit 0.1.0\n"


def expire_timestamp(site: Site) -> None:
    """Re-sign the timestamp metadata with an expiry date in the past (a stale repository)."""
    from tufup.repo import Repository  # type: ignore[import-untyped]  # noqa: PLC0415

    repo = Repository(app_name="patient-cockpit", repo_dir=site.repo, keys_dir=site.keys)
    repo._load_keys_and_roles(create_keys=False)
    repo.refresh_expiration_date("timestamp", days=-1)
    with contextlib.chdir(site.repo.parent):  # tufup writes its config file into the working directory
        repo.publish_changes(private_key_dirs=[site.keys])
