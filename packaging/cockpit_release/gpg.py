"""The OpenPGP release key: the builder's own (``COCKPIT_SIGNING_KEY``) or a throwaway for one build."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cockpit_release.run import ReleaseError, run, tool

THROWAWAY_UID = "Patient Cockpit THROWAWAY build key (not a release key) <release@example.invalid>"


@dataclass(frozen=True)
class SigningKey:
    fingerprint: str
    gnupghome: str | None  # None: the builder's default keyring
    throwaway: bool

    @property
    def keyid(self) -> str:
        return self.fingerprint[-16:]

    def env(self) -> dict[str, str]:
        return {"GNUPGHOME": self.gnupghome} if self.gnupghome else {}

    def gpg(self, *args: str | Path, input: bytes | None = None) -> bytes:
        return run([tool("gpg", "gnupg"), "--batch", "--yes", *args], env=self.env(), input=input)


def signing_key(workdir: Path) -> SigningKey:
    """The key named by COCKPIT_SIGNING_KEY (in GNUPGHOME or ~/.gnupg), else a new throwaway key kept
    under ``workdir`` for this build only."""
    if name := os.environ.get("COCKPIT_SIGNING_KEY"):
        home = os.environ.get("GNUPGHOME")
        missing = ReleaseError(
            f"COCKPIT_SIGNING_KEY={name!r} names no secret key in the builder's keyring "
            f"({home or '~/.gnupg'})"
        )
        try:
            listing = run([tool("gpg", "gnupg"), "--batch", "--with-colons", "--list-secret-keys", name])
        except ReleaseError:
            raise missing from None
        fprs = [line.split(":")[9] for line in listing.decode().splitlines() if line.startswith("fpr:")]
        if not fprs:
            raise missing
        return SigningKey(fingerprint=fprs[0], gnupghome=home, throwaway=False)
    home = tempfile.mkdtemp(prefix="gnupg-", dir=workdir)
    key = SigningKey(fingerprint="", gnupghome=home, throwaway=True)
    key.gpg(
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--quick-generate-key",
        THROWAWAY_UID,
        "ed25519",
        "sign",
        "30d",
    )
    colons = key.gpg("--with-colons", "--list-secret-keys").decode()
    fpr = next(line.split(":")[9] for line in colons.splitlines() if line.startswith("fpr:"))
    banner = "!" * 78
    print(
        f"{banner}\n!! COCKPIT_SIGNING_KEY is not set: these artefacts are signed with a THROWAWAY key\n"
        f"!! {fpr}, made for this build only. Its public key is in dist/release-key.asc.\n"
        f"!! Do not ship them: set COCKPIT_SIGNING_KEY to the release key for a real release.\n{banner}",
        file=sys.stderr,
    )
    return SigningKey(fingerprint=fpr, gnupghome=home, throwaway=True)


def forget(key: SigningKey) -> None:
    """Stop the gpg-agent a throwaway key started (its home is deleted with the build's temp dir)."""
    if key.throwaway and key.gnupghome:
        run([tool("gpgconf", "gnupg"), "--homedir", key.gnupghome, "--kill", "all"])


def detach_sign(key: SigningKey, file: Path) -> Path:
    signature = file.with_name(file.name + ".asc")
    key.gpg("--local-user", key.fingerprint, "--armor", "--detach-sign", "--output", signature, file)
    return signature


def export_public(key: SigningKey, dest: Path) -> Path:
    dest.write_bytes(key.gpg("--armor", "--export", key.fingerprint))
    return dest
