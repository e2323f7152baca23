"""debsigs origin signature on the .deb, and the policy files debsig-verify needs to check it."""

from __future__ import annotations

from pathlib import Path

from cockpit_release.gpg import SigningKey
from cockpit_release.run import run, tool
from cockpit_release.verify import write_debsig_policy


def sign_deb(key: SigningKey, deb: Path) -> None:
    run([tool("debsigs"), "--sign=origin", "-k", key.keyid, deb], env=key.env())


def export_debsig_files(key: SigningKey, dest: Path) -> Path:
    """dest/policies/<KEYID>/patient-cockpit.pol and dest/keyrings/<KEYID>/debsig.gpg: copy them to
    /etc/debsig/policies and /usr/share/debsig/keyrings on the machines that install the .deb."""
    keyring = key.gpg("--export", key.fingerprint)
    write_debsig_policy(dest / "policies", dest / "keyrings", key.keyid, keyring)
    return dest
