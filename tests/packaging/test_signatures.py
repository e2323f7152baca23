"""packaging/verify on what packaging/build made: a good signature passes; a flipped byte, a signature
by another key and a missing signature each fail with their own reason. Real gpgv, debsigs,
debsig-verify and osslsigncode throughout."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.packaging.conftest import OtherSigner, run_tool

DEB = "patient-cockpit_*.deb"
TARBALL = "patient-cockpit-0.1.0-linux-x86_64.tar.gz"
MSI = "patient-cockpit-0.1.0-x64.msi"
EXE = "patient-cockpit-0.1.0-win64.exe"


def verify(file: Path, *extra: str | Path) -> tuple[int, str]:
    result = run_tool("verify", file, *extra)
    return result.returncode, result.stdout + result.stderr


def copy_release(dist: Path, tmp_path: Path) -> Path:
    """A private copy of dist/ to tamper with (the session's dist stays pristine)."""
    copy = tmp_path / "dist"
    shutil.copytree(dist, copy)
    return copy


def flip_byte(file: Path, offset: int) -> None:
    data = bytearray(file.read_bytes())
    data[offset] ^= 0x01
    file.write_bytes(bytes(data))


def ar_member_offset(deb: Path, name: bytes) -> int:
    """Where the contents of an ar member (e.g. data.tar.gz) start inside the .deb."""
    data = deb.read_bytes()
    pos = 8  # "!<arch>\n"
    while pos < len(data):
        header = data[pos : pos + 60]
        size = int(header[48:58])
        if header[:16].rstrip().rstrip(b"/") == name:
            return pos + 60
        pos += 60 + size + (size & 1)
    raise AssertionError(f"{name!r} not in {deb}")


def find(dist: Path, pattern: str) -> Path:
    (path,) = dist.glob(pattern)
    return path


# --- good signatures -------------------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", [DEB, TARBALL, "SHA256SUMS", MSI, EXE])
def test_every_built_artefact_verifies_against_the_key_beside_it(dist: Path, pattern: str) -> None:
    code, said = verify(find(dist, pattern))
    assert code == 0, said
    assert said.startswith("OK: ")


def test_sha256sums_lists_every_artefact_and_each_matches(dist: Path) -> None:
    names = sorted(line.split("  ")[1] for line in (dist / "SHA256SUMS").read_text().splitlines())
    assert names == sorted([find(dist, DEB).name, TARBALL, MSI, EXE])
    code, said = verify(dist / "SHA256SUMS")
    assert code == 0
    assert "4 listed file(s) beside it match" in said


def test_an_explicit_key_is_used_instead_of_the_one_beside_it(dist: Path, tmp_path: Path) -> None:
    key = tmp_path / "elsewhere.asc"
    shutil.copyfile(dist / "release-key.asc", key)
    assert verify(dist / TARBALL, "--key", key)[0] == 0


def test_the_exported_debsig_files_let_debsig_verify_accept_the_package(dist: Path) -> None:
    """What clinic IT copies to /etc/debsig/policies and /usr/share/debsig/keyrings works as it is."""
    result = subprocess.run(
        [
            "debsig-verify",
            "--policies-dir",
            dist / "debsig" / "policies",
            "--keyrings-dir",
            dist / "debsig" / "keyrings",
            find(dist, DEB),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Verified package" in result.stdout


# --- a flipped byte --------------------------------------------------------------------------------------


def test_a_flipped_byte_in_the_deb_payload_is_a_bad_signature(dist: Path, tmp_path: Path) -> None:
    deb = find(copy_release(dist, tmp_path), DEB)
    flip_byte(deb, ar_member_offset(deb, b"data.tar.gz") + 100)
    code, said = verify(deb)
    assert code == 1
    assert "BAD signature: the package was changed after signing" in said


def test_a_flipped_byte_in_the_tarball_is_a_bad_signature(dist: Path, tmp_path: Path) -> None:
    tarball = copy_release(dist, tmp_path) / TARBALL
    flip_byte(tarball, tarball.stat().st_size // 2)
    code, said = verify(tarball)
    assert code == 1
    assert "BAD signature" in said


def test_a_changed_file_listed_in_sha256sums_is_named(dist: Path, tmp_path: Path) -> None:
    copy = copy_release(dist, tmp_path)
    flip_byte(copy / MSI, 10)
    code, said = verify(copy / "SHA256SUMS")
    assert code == 1
    assert f"do not match it: {MSI}" in said


def test_a_flipped_byte_in_sha256sums_is_a_bad_signature(dist: Path, tmp_path: Path) -> None:
    sums = copy_release(dist, tmp_path) / "SHA256SUMS"
    flip_byte(sums, 3)
    code, said = verify(sums)
    assert code == 1
    assert "BAD signature" in said


@pytest.mark.parametrize("name", [MSI, EXE])
def test_a_flipped_byte_in_signed_windows_files_is_a_digest_mismatch(
    dist: Path, tmp_path: Path, name: str
) -> None:
    file = copy_release(dist, tmp_path) / name
    data = file.read_bytes()
    # In the MSI: inside the embedded cabinet (the exe); in the exe: inside the program, before the signature.
    flip_byte(file, data.find(b"MSCF") + 200 if name == MSI else 4096)
    code, said = verify(file)
    assert code == 1
    assert "BAD signature: the file was changed after signing (digest MISMATCH)" in said


# --- signed by another key -------------------------------------------------------------------------------


def test_a_deb_signed_by_another_key_is_refused(
    dist: Path, tmp_path: Path, other_signer: OtherSigner
) -> None:
    deb = find(copy_release(dist, tmp_path), DEB)
    env = {"GNUPGHOME": str(other_signer.gnupghome)}
    subprocess.run(["debsigs", "--delete=origin", deb], check=True, capture_output=True)
    subprocess.run(
        ["debsigs", "--sign=origin", "-k", other_signer.fingerprint[-16:], deb],
        check=True,
        capture_output=True,
        env={**_path_env(), **env},
    )
    code, said = verify(deb)
    assert code == 1
    assert "signed by another key" in said


@pytest.mark.parametrize("name", [TARBALL, "SHA256SUMS"])
def test_a_detached_signature_by_another_key_is_refused(
    dist: Path, tmp_path: Path, other_signer: OtherSigner, name: str
) -> None:
    file = copy_release(dist, tmp_path) / name
    other_signer.gpg("--armor", "--detach-sign", "--output", f"{file}.asc", file)
    code, said = verify(file)
    assert code == 1
    assert f"signed by another key ({other_signer.fingerprint[-16:]})" in said


@pytest.mark.parametrize("name", [MSI, EXE])
def test_windows_files_signed_with_another_certificate_are_refused(
    dist: Path, tmp_path: Path, other_signer: OtherSigner, name: str
) -> None:
    file = copy_release(dist, tmp_path) / name
    unsigned = tmp_path / f"unsigned-{name}"
    subprocess.run(
        ["osslsigncode", "remove-signature", "-in", file, "-out", unsigned], check=True, capture_output=True
    )
    file.unlink()
    subprocess.run(
        [
            "osslsigncode",
            "sign",
            "-certs",
            other_signer.cert,
            "-key",
            other_signer.key,
            "-h",
            "sha256",
            "-in",
            unsigned,
            "-out",
            file,
        ],
        check=True,
        capture_output=True,
    )
    assert verify(file, "--key", other_signer.cert)[0] == 0  # a good signature, just not ours
    code, said = verify(file)
    assert code == 1
    assert "signed by another certificate" in said


# --- missing signature -----------------------------------------------------------------------------------


def test_a_deb_without_its_origin_signature_is_refused(dist: Path, tmp_path: Path) -> None:
    deb = find(copy_release(dist, tmp_path), DEB)
    subprocess.run(["debsigs", "--delete=origin", deb], check=True, capture_output=True)
    code, said = verify(deb)
    assert code == 1
    assert "no signature" in said


@pytest.mark.parametrize("name", [TARBALL, "SHA256SUMS"])
def test_a_missing_detached_signature_is_refused(dist: Path, tmp_path: Path, name: str) -> None:
    file = copy_release(dist, tmp_path) / name
    Path(f"{file}.asc").unlink()
    code, said = verify(file)
    assert code == 1
    assert f"no signature: {name}.asc is missing" in said


@pytest.mark.parametrize("name", [MSI, EXE])
def test_unsigned_windows_files_are_refused(dist: Path, tmp_path: Path, name: str) -> None:
    file = copy_release(dist, tmp_path) / name
    unsigned = tmp_path / name
    subprocess.run(
        ["osslsigncode", "remove-signature", "-in", file, "-out", unsigned], check=True, capture_output=True
    )
    code, said = verify(unsigned, "--key", file.parent / "authenticode-cert.pem")
    assert code == 1
    assert "no signature: the file has no Authenticode signature" in said


def test_no_key_anywhere_is_a_refusal_to_check_not_a_verdict(dist: Path, tmp_path: Path) -> None:
    lonely = tmp_path / TARBALL
    shutil.copyfile(dist / TARBALL, lonely)
    shutil.copyfile(dist / f"{TARBALL}.asc", tmp_path / f"{TARBALL}.asc")
    code, said = verify(lonely)
    assert code == 2
    assert "release-key.asc does not exist" in said


def _path_env() -> dict[str, str]:
    import os  # noqa: PLC0415

    return dict(os.environ)
