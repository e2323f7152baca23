"""Fixtures for the release pipeline: a small dummy bundle packaged and signed by the real
packaging/build (throwaway keys), and a second, unrelated signer for "signed by another key"."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
TOOLS = ("gpg", "gpgv", "dpkg-deb", "debsigs", "debsig-verify", "osslsigncode", "wixl", "openssl")


def require_tools(*names: str) -> None:
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} (make sysdeps installs them)")


def run_tool(
    script: str, *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, PACKAGING / script, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def dummy_bundle(folder: Path, version: str) -> Path:
    """A stand-in for the frozen onedir: a 'cockpit' program that prints its version, and some data."""
    folder.mkdir(parents=True)
    (folder / "cockpit").write_text(f"#!/bin/sh\necho 'Patient Cockpit {version}'\n")
    (folder / "cockpit").chmod(0o755)
    (folder / "_internal").mkdir()
    (folder / "_internal" / "data.bin").write_bytes(bytes(range(256)) * 64)
    return folder


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ as `make package` leaves it, built around the dummy bundle with throwaway keys."""
    require_tools(*TOOLS)
    base = tmp_path_factory.mktemp("release")
    bundle = dummy_bundle(base / "bundle", "0.1.0")
    out = base / "dist"
    env = {**_clean_env(), "SOURCE_DATE_EPOCH": "1700000000"}
    result = run_tool("build", "--onedir", bundle, "--out", out, "--version", "0.1.0", env=env)
    assert result.returncode == 0, result.stderr
    assert "THROWAWAY" in result.stderr  # said loudly
    return out


def _clean_env() -> dict[str, str]:
    import os  # noqa: PLC0415

    return {
        k: v
        for k, v in os.environ.items()
        if k not in {"COCKPIT_SIGNING_KEY", "COCKPIT_AUTHENTICODE_CERT", "COCKPIT_AUTHENTICODE_KEY"}
    }


@dataclass(frozen=True)
class OtherSigner:
    """An unrelated OpenPGP key and code-signing certificate: the 'signed by another key' case."""

    gnupghome: Path
    fingerprint: str
    cert: Path
    key: Path

    def gpg(self, *args: str | Path) -> None:
        subprocess.run(
            ["gpg", "--homedir", self.gnupghome, "--batch", "--yes", *args], check=True, capture_output=True
        )


@pytest.fixture(scope="session")
def other_signer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OtherSigner]:
    require_tools(*TOOLS)
    base = tmp_path_factory.mktemp("other")
    home = base / "gnupg"
    home.mkdir(mode=0o700)
    subprocess.run(
        [
            "gpg",
            "--homedir",
            home,
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--quick-generate-key",
            "Someone Else <else@example.invalid>",
            "ed25519",
            "sign",
            "1d",
        ],
        check=True,
        capture_output=True,
    )
    listing = subprocess.run(
        ["gpg", "--homedir", home, "--with-colons", "--list-secret-keys"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    fpr = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))
    cert, key = base / "other.pem", base / "other.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-sha256",
            "-days",
            "1",
            "-nodes",
            "-keyout",
            key,
            "-out",
            cert,
            "-subj",
            "/CN=Someone Else/O=Not Patient Cockpit",
            "-addext",
            "extendedKeyUsage=codeSigning",
        ],
        check=True,
        capture_output=True,
    )
    yield OtherSigner(home, fpr, cert, key)
    subprocess.run(["gpgconf", "--homedir", home, "--kill", "all"], check=False)
