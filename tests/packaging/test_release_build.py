"""What packaging/build puts into dist/: reproducible archives, the self-updating install root, the
.deb's layout, keys from outside when given, and a freeze spec that carries all the package data."""

from __future__ import annotations

import io
import json
import re
import subprocess
import tarfile
import tomllib
from pathlib import Path

import pytest

from tests.packaging.conftest import REPO, TOOLS, OtherSigner, dummy_bundle, require_tools, run_tool
from tests.packaging.test_signatures import TARBALL, find, verify

EPOCH = 1700000000  # the session's dist fixture is built with SOURCE_DATE_EPOCH=1700000000


def ar_members(deb: Path) -> dict[str, bytes]:
    data, members, pos = deb.read_bytes(), {}, 8
    while pos < len(data):
        header = data[pos : pos + 60]
        size = int(header[48:58])
        members[header[:16].decode().strip().rstrip("/")] = data[pos + 60 : pos + 60 + size]
        pos += 60 + size + (size & 1)
    return members


def test_a_second_build_of_the_same_input_gives_the_same_bytes(dist: Path, tmp_path: Path) -> None:
    """The .tar.gz is byte-identical; the .deb differs only in its signature member (signing time)."""
    bundle = dummy_bundle(tmp_path / "bundle", "0.1.0")
    env = {"SOURCE_DATE_EPOCH": str(EPOCH), "PATH": "/usr/bin:/bin"}
    result = run_tool("build", "--onedir", bundle, "--out", tmp_path / "again", "--version", "0.1.0", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "again" / TARBALL).read_bytes() == (dist / TARBALL).read_bytes()
    first, second = ar_members(find(dist, "*.deb")), ar_members(find(tmp_path / "again", "*.deb"))
    assert list(first) == ["debian-binary", "control.tar.gz", "data.tar.gz", "_gpgorigin"]
    assert {k: v for k, v in first.items() if k != "_gpgorigin"} == {
        k: v for k, v in second.items() if k != "_gpgorigin"
    }


def test_the_tarball_is_sorted_with_one_mtime_and_root_ownership(dist: Path) -> None:
    with tarfile.open(dist / TARBALL) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names)
    assert {m.mtime for m in members} == {EPOCH}
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "root", "root")}


def test_the_tarball_unpacks_to_an_install_root_that_runs_the_current_version(
    dist: Path, tmp_path: Path
) -> None:
    with tarfile.open(dist / TARBALL) as tar:
        tar.extractall(tmp_path, filter="data")
    root = tmp_path / "patient-cockpit"
    assert (root / "current").readlink() == Path("versions/0.1.0")
    said = subprocess.run([root / "cockpit"], capture_output=True, text=True, check=True).stdout
    assert said == "Patient Cockpit 0.1.0\n"


def test_the_deb_installs_into_opt_with_a_command_and_a_menu_entry(dist: Path) -> None:
    deb = find(dist, "*.deb")
    listing = subprocess.run(["dpkg-deb", "--contents", deb], capture_output=True, text=True, check=True)
    assert "./opt/patient-cockpit/cockpit" in listing.stdout
    assert "./usr/bin/cockpit -> /opt/patient-cockpit/cockpit" in listing.stdout
    assert "./usr/share/applications/patient-cockpit.desktop" in listing.stdout
    assert re.search(r"-rwxr-xr-x root/root .* ./opt/patient-cockpit/cockpit\n", listing.stdout)
    fields = subprocess.run(
        ["dpkg-deb", "--field", deb, "Package", "Version"], capture_output=True, text=True, check=True
    ).stdout
    assert fields == "Package: patient-cockpit\nVersion: 0.1.0\n"


def test_dist_records_the_build_and_its_dependencies(dist: Path) -> None:
    info = json.loads((dist / "build-info.json").read_text())
    assert info["source_date_epoch"] == EPOCH
    assert info["openpgp_key"]["throwaway"] is True
    assert info["authenticode"] == {"throwaway": True, "stand_in_exe": True}
    lock = (dist / "requirements.lock").read_text()
    assert re.search(r"^tufup==0\.10\.0$", lock, re.M)
    hashes = (dist / "dependency-hashes.txt").read_text()
    assert re.search(r"^tufup==0\.10\.0 sha256-of-RECORD:[0-9a-f]{64}$", hashes, re.M)


def test_a_build_uses_the_builders_own_keys_when_named(tmp_path: Path, other_signer: OtherSigner) -> None:
    require_tools(*TOOLS)
    bundle = dummy_bundle(tmp_path / "bundle", "0.1.0")
    env = {
        "PATH": "/usr/bin:/bin",
        "GNUPGHOME": str(other_signer.gnupghome),
        "COCKPIT_SIGNING_KEY": other_signer.fingerprint,
        "COCKPIT_AUTHENTICODE_CERT": str(other_signer.cert),
        "COCKPIT_AUTHENTICODE_KEY": str(other_signer.key),
    }
    out = tmp_path / "dist"
    result = run_tool("build", "--onedir", bundle, "--out", out, "--version", "0.1.0", env=env)
    assert result.returncode == 0, result.stderr
    assert "THROWAWAY" not in result.stderr
    info = json.loads((out / "build-info.json").read_text())
    assert info["openpgp_key"] == {"fingerprint": other_signer.fingerprint, "throwaway": False}
    assert (out / "authenticode-cert.pem").read_bytes() == other_signer.cert.read_bytes()
    for name in (TARBALL, "SHA256SUMS", "patient-cockpit-0.1.0-x64.msi"):
        code, said = verify(out / name)
        assert code == 0, said
    assert other_signer.fingerprint in verify(find(out, "*.deb"))[1]


def test_a_build_refuses_a_signing_key_the_keyring_does_not_hold(tmp_path: Path) -> None:
    require_tools(*TOOLS)
    bundle = dummy_bundle(tmp_path / "bundle", "0.1.0")
    home = tmp_path / "empty-gnupg"
    home.mkdir(mode=0o700)
    env = {"PATH": "/usr/bin:/bin", "GNUPGHOME": str(home), "COCKPIT_SIGNING_KEY": "nobody@example.invalid"}
    result = run_tool("build", "--onedir", bundle, "--out", tmp_path / "dist", env=env)
    assert result.returncode == 1
    assert "COCKPIT_SIGNING_KEY='nobody@example.invalid' names no secret key" in result.stderr
    assert not (tmp_path / "dist" / "SHA256SUMS").exists()


def test_the_freeze_spec_carries_all_the_package_data_pyproject_declares() -> None:
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    spec = (REPO / "packaging" / "cockpit.spec").read_text()
    globs = re.search(r"DATA_GLOBS = \[.*?\n\]", spec, re.S)
    assert globs is not None
    for pattern in declared["cockpit"]:
        assert f'"{pattern}"' in globs.group(0), f"cockpit.spec misses package data {pattern}"
    assert '"store/migrations/versions/*.py"' in globs.group(0)  # Alembic reads these as files


@pytest.mark.parametrize("member", ["./cockpit", "./_internal/data.bin"])
def test_tufup_archives_hold_the_bundle_at_the_top(tmp_path: Path, member: str) -> None:
    """The update archive unpacks into versions/V directly: the program must be at its top."""
    bundle = dummy_bundle(tmp_path / "bundle", "0.2.0")
    repo, keys = tmp_path / "repo", tmp_path / "keys"
    assert run_tool("publish-update", "init", "--repo", repo, "--keys", keys).returncode == 0
    result = run_tool(
        "publish-update", "add", "--repo", repo, "--keys", keys, "--bundle", bundle, "--version", "0.2.0"
    )
    assert result.returncode == 0, result.stderr
    archive = repo / "targets" / "patient-cockpit-0.2.0.tar.gz"
    with tarfile.open(fileobj=io.BytesIO(archive.read_bytes())) as tar:
        assert member in tar.getnames()


def test_the_release_tarball_itself_can_be_published_as_an_update(dist: Path, tmp_path: Path) -> None:
    repo, keys = tmp_path / "repo", tmp_path / "keys"
    assert run_tool("publish-update", "init", "--repo", repo, "--keys", keys).returncode == 0
    result = run_tool(
        "publish-update",
        "add",
        "--repo",
        repo,
        "--keys",
        keys,
        "--bundle",
        dist / TARBALL,
        "--version",
        "0.1.0",
    )
    assert result.returncode == 0, result.stderr
    with tarfile.open(repo / "targets" / "patient-cockpit-0.1.0.tar.gz") as tar:
        assert "./cockpit" in tar.getnames()
