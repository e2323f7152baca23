"""Check a release artefact's signature and say exactly what is wrong with a bad one.

    packaging/verify FILE [--key PUBLIC_KEY]

FILE.deb: the debsigs origin signature, with debsig-verify and a policy made for the key.
FILE.msi / FILE.exe: the Authenticode signature, with osslsigncode, trusting only the given certificate.
Anything else (.tar.gz, SHA256SUMS, ...): the detached OpenPGP signature FILE.asc, with gpgv; for
SHA256SUMS also the checksum of every listed file that lies beside it.
Without --key: release-key.asc (OpenPGP) or authenticode-cert.pem (Authenticode) in FILE's folder.
Exit 0: good; 1: the artefact fails (the reason is printed); 2: the check itself could not run.
Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

OPENPGP_KEY = "release-key.asc"
AUTHENTICODE_CERT = "authenticode-cert.pem"
POLICY_NS = "https://www.debian.org/debsig/1.0/"


class CannotCheck(Exception):
    """The check could not run (a missing tool or key): not a verdict on the artefact."""


@dataclass(frozen=True)
class Verdict:
    ok: bool
    detail: str


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="verify", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--key", type=Path, default=None, help="public key (.asc/.gpg) or certificate (.pem)")
    args = parser.parse_args(argv)
    try:
        verdict = verify(args.file, args.key)
    except CannotCheck as error:
        print(f"CANNOT CHECK {args.file}: {error}", file=sys.stderr)
        return 2
    print(f"{'OK' if verdict.ok else 'FAILED'}: {args.file.name}: {verdict.detail}")
    return 0 if verdict.ok else 1


def verify(file: Path, key: Path | None = None) -> Verdict:
    if not file.is_file():
        raise CannotCheck(f"{file} does not exist")
    suffix = file.suffix.lower()
    if suffix in {".msi", ".exe"}:
        return verify_authenticode(file, _key(file, key, AUTHENTICODE_CERT))
    if suffix == ".deb":
        return verify_deb(file, _key(file, key, OPENPGP_KEY))
    verdict = verify_detached(file, _key(file, key, OPENPGP_KEY))
    if verdict.ok and file.name.startswith("SHA256SUMS"):
        return _check_sums(file, verdict)
    return verdict


def _key(file: Path, given: Path | None, default_name: str) -> Path:
    key = given or file.parent / default_name
    if not key.is_file():
        raise CannotCheck(f"no key to check against: {key} does not exist (give one with --key)")
    return key


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CannotCheck(f"{name} is not installed (Debian: apt-get install {name})")
    return path


# --- OpenPGP detached signatures -------------------------------------------------------------------------


def verify_detached(file: Path, key: Path) -> Verdict:
    signature = file.with_name(file.name + ".asc")
    if not signature.is_file():
        return Verdict(False, f"no signature: {signature.name} is missing beside it")
    with tempfile.TemporaryDirectory() as home:
        keyring = _keyring(key, Path(home))
        result = subprocess.run(
            [
                _tool("gpgv"),
                "--homedir",
                home,
                "--status-fd",
                "1",
                "--keyring",
                str(keyring),
                str(signature),
                str(file),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    status = result.stdout
    expected = ", ".join(_fingerprints(key))
    if result.returncode == 0 and (good := re.search(r"^\[GNUPG:\] VALIDSIG (\w+)", status, re.M)):
        return Verdict(True, f"good signature by {good.group(1)}")
    if re.search(r"^\[GNUPG:\] BADSIG", status, re.M):
        return Verdict(False, "BAD signature: the file or its signature was changed after signing")
    if missing := re.search(r"^\[GNUPG:\] NO_PUBKEY (\w+)", status, re.M):
        return Verdict(False, f"signed by another key ({missing.group(1)}), not by the expected {expected}")
    if re.search(r"^\[GNUPG:\] (NODATA|BADARMOR)", status, re.M):
        return Verdict(False, f"{signature.name} is not an OpenPGP signature (damaged or replaced)")
    if re.search(r"^\[GNUPG:\] (EXPKEYSIG|REVKEYSIG)", status, re.M):
        return Verdict(False, "signed by an expired or revoked key")
    return Verdict(False, f"signature not accepted by gpgv (exit {result.returncode})")


def _keyring(key: Path, home: Path) -> Path:
    """gpgv wants a binary keyring: dearmor an .asc key (a binary key is used as it is)."""
    data = key.read_bytes()
    keyring = home / "trusted.gpg"
    if b"-----BEGIN PGP PUBLIC KEY BLOCK-----" in data:
        result = subprocess.run(
            [_tool("gpg"), "--homedir", str(home), "--batch", "--dearmor"],
            input=data,
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            raise CannotCheck(f"{key} is not a readable OpenPGP public key")
        data = result.stdout
    keyring.write_bytes(data)
    return keyring


def _fingerprints(key: Path) -> list[str]:
    """Fingerprints of the primary key and its subkeys, in that order."""
    return [fpr for kind, fpr in _key_listing(key) if kind in {"pub", "sub"}]


def _key_listing(key: Path) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as home:
        result = subprocess.run(
            [_tool("gpg"), "--homedir", home, "--batch", "--with-colons", "--show-keys", str(key)],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise CannotCheck(f"{key} is not a readable OpenPGP public key")
    listing: list[tuple[str, str]] = []
    kind = ""
    for line in result.stdout.splitlines():
        fields = line.split(":")
        if fields[0] in {"pub", "sub"}:
            kind = fields[0]
        elif fields[0] == "fpr" and kind:
            listing.append((kind, fields[9]))
            kind = ""
    return listing


def _check_sums(sums: Path, signed: Verdict) -> Verdict:
    checked, problems = 0, []
    for line in sums.read_text("utf-8").splitlines():
        digest, _, name = line.partition("  ")
        target = sums.parent / name.lstrip("*")
        if not target.is_file():
            continue  # a file you did not download is not a fault of the list
        checked += 1
        if hashlib.sha256(target.read_bytes()).hexdigest() != digest.strip():
            problems.append(name)
    if problems:
        return Verdict(False, f"{signed.detail}, but these files do not match it: {', '.join(problems)}")
    return Verdict(True, f"{signed.detail}; {checked} listed file(s) beside it match")


# --- debsigs ---------------------------------------------------------------------------------------------

_DEBSIG_EXIT = {
    10: "no signature: the package has no debsigs origin signature (_gpgorigin)",
    11: "signed by another key: the signer is not the expected key (unknown origin)",
    12: "signed by another key: no policy for the signer, which is not the expected key",
    13: "BAD signature: the package was changed after signing",
    14: "debsig-verify failed internally (is the file a .deb at all?)",
}


def verify_deb(deb: Path, key: Path) -> Verdict:
    """debsig-verify against a policy made for this key alone (as /etc/debsig would hold it)."""
    with tempfile.TemporaryDirectory() as tmp:
        policies, keyrings = Path(tmp, "policies"), Path(tmp, "keyrings")
        keyring_bytes = _keyring(key, Path(tmp)).read_bytes()
        for fpr in _fingerprints(key):
            write_debsig_policy(policies, keyrings, fpr[-16:], keyring_bytes)
        result = subprocess.run(
            [
                _tool("debsig-verify"),
                "--policies-dir",
                str(policies),
                "--keyrings-dir",
                str(keyrings),
                str(deb),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode == 0:
        return Verdict(True, f"good debsigs origin signature by {_fingerprints(key)[0]}")
    said = " ".join((result.stdout + result.stderr).split())
    reason = _DEBSIG_EXIT.get(result.returncode, f"debsig-verify refused it (exit {result.returncode})")
    return Verdict(False, f"{reason} [debsig-verify: {said}]")


def write_debsig_policy(policies: Path, keyrings: Path, keyid: str, keyring: bytes) -> None:
    """The files debsig-verify needs for one signing key: a keyring and a policy requiring its origin
    signature (the same layout as /usr/share/debsig/keyrings and /etc/debsig/policies)."""
    (keyrings / keyid).mkdir(parents=True, exist_ok=True)
    (keyrings / keyid / "debsig.gpg").write_bytes(keyring)
    (policies / keyid).mkdir(parents=True, exist_ok=True)
    (policies / keyid / "patient-cockpit.pol").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE Policy SYSTEM "https://www.debian.org/debsig/1.0/policy.dtd">\n'
        f'<Policy xmlns="{POLICY_NS}">\n'
        f'  <Origin Name="patient-cockpit" id="{keyid}" Description="Patient Cockpit releases"/>\n'
        f'  <Selection><Required Type="origin" File="debsig.gpg" id="{keyid}"/></Selection>\n'
        f'  <Verification MinOptional="0"><Required Type="origin" File="debsig.gpg" id="{keyid}"/>'
        f"</Verification>\n</Policy>\n",
        "utf-8",
    )


# --- Authenticode ----------------------------------------------------------------------------------------


def verify_authenticode(file: Path, cert: Path) -> Verdict:
    """osslsigncode, trusting only ``cert`` (the release's code-signing certificate or its CA)."""
    result = subprocess.run(
        [_tool("osslsigncode"), "verify", "-CAfile", str(cert), "-in", str(file)],
        capture_output=True,
        text=True,
        check=False,
    )
    said = result.stdout + result.stderr
    if result.returncode == 0 and "Signature verification: ok" in said:
        subject = re.search(r"Subject: (.+)", said)
        return Verdict(True, f"good Authenticode signature ({subject.group(1) if subject else 'signer'})")
    if re.search(r"No signature found|file has no signature|Unable to extract existing signature", said):
        return Verdict(False, "no signature: the file has no Authenticode signature")
    if "MISMATCH" in said:
        return Verdict(False, "BAD signature: the file was changed after signing (digest MISMATCH)")
    if re.search(r"Signature verification: failed|certificate verify|unable to get", said):
        return Verdict(False, "signed by another certificate: the signer does not chain to the given one")
    lines = [line for line in said.splitlines() if line.strip()]
    return Verdict(False, f"not a valid signed file ({lines[-1] if lines else 'osslsigncode failed'})")


if __name__ == "__main__":
    sys.exit(main())
