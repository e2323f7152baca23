"""``make package``: freeze, smoke-test, package, sign; everything lands in dist/.

    packaging/build [--out dist] [--onedir DIR] [--version V] [--windows-exe EXE] [--tuf-root ROOT.json]

--onedir packages an existing bundle instead of freezing (the tests use a small dummy one); --windows-exe
wraps a real Windows build in the MSI instead of the stand-in exe. Keys come from outside
(COCKPIT_SIGNING_KEY, COCKPIT_AUTHENTICODE_CERT/_KEY); without them throwaway keys sign this build only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from cockpit_release import authenticode, debsig, freeze, gpg, licences
from cockpit_release.archives import build_deb, reproducible_tar_gz
from cockpit_release.run import ReleaseError, run, tool

PROJECT = freeze.PROJECT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="packaging/build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=PROJECT / "dist")
    parser.add_argument("--onedir", type=Path, default=None, help="package this bundle, do not freeze")
    parser.add_argument("--version", default=None, help="default: pyproject.toml's")
    parser.add_argument("--windows-exe", type=Path, default=None, help="a Windows build to put in the MSI")
    parser.add_argument(
        "--tuf-root",
        type=Path,
        default=Path(os.environ["COCKPIT_TUF_ROOT"]) if os.environ.get("COCKPIT_TUF_ROOT") else None,
        help="the update repository's root.json, shipped as update-root.json (default: $COCKPIT_TUF_ROOT)",
    )
    args = parser.parse_args(argv)
    try:
        build(args)
    except ReleaseError as error:
        print(f"packaging/build: {error}", file=sys.stderr)
        return 1
    return 0


def build(args: argparse.Namespace) -> None:
    started = time.monotonic()
    out: Path = args.out.resolve()
    _fresh_out(out)
    version = args.version or _project_version()
    epoch = _source_date_epoch()
    info: dict[str, object] = {"version": version, "source_date_epoch": epoch, "commit": _commit()}
    if changed := _uncommitted():
        # PyInstaller freezes the working tree, not the commit: say so, a release needs a clean tree.
        print(
            f"!! {len(changed)} uncommitted change(s) under cockpit/ go into this build; build a release "
            "from a clean checkout",
            file=sys.stderr,
        )
    info["uncommitted_changes"] = len(changed)
    with tempfile.TemporaryDirectory(prefix="cockpit-build-") as tmp:
        work = Path(tmp)
        if args.onedir is None:
            app = freeze.freeze(work, epoch)
            info["freeze_seconds"] = freeze.timed(started)
            first, warm = freeze.smoke_test(app, work)
            info["smoke_test"] = {"first_start_with_demo_generation_s": first, "start_s": warm}
        else:  # a copy: the licence texts go into the bundle, the given folder stays as it is
            app = work / "onedir" / "patient-cockpit"
            shutil.copytree(args.onedir.resolve(), app, symlinks=True)
        info["third_party_components"] = licences.collect_into(app)
        freeze.record_dependencies(out)
        artefacts = _linux(app, out, version, epoch, work, tuf_root=args.tuf_root)
        artefacts += _windows(out, version, work, args.windows_exe, info)
        key = gpg.signing_key(work)
        try:
            _sign(key, artefacts, out)
        finally:
            gpg.forget(key)
        info["openpgp_key"] = {"fingerprint": key.fingerprint, "throwaway": key.throwaway}
        info["sizes_bytes"] = {a.name: a.stat().st_size for a in artefacts}
        info["bundle_bytes"] = sum(
            p.stat().st_size for p in app.rglob("*") if p.is_file() and not p.is_symlink()
        )
        info["build_seconds"] = freeze.timed(started)
        (out / "build-info.json").write_text(json.dumps(info, indent=2, sort_keys=True) + "\n")
    _report(out, info)


def _linux(
    app: Path, out: Path, version: str, epoch: int, work: Path, *, tuf_root: Path | None
) -> list[Path]:
    """The .deb (apt installs, updated by IT) and the self-updating .tar.gz (an install root)."""
    deb = build_deb(app, out, version, epoch, work)
    root = work / "install-root"
    shutil.copytree(app, root / "versions" / version, symlinks=True)
    (root / "current").symlink_to(Path("versions") / version)
    (root / "cockpit").symlink_to(Path("current") / "cockpit")
    if tuf_root is not None:
        shutil.copyfile(tuf_root, root / "update-root.json")
    if url := os.environ.get("COCKPIT_UPDATE_URL"):
        (root / "update.json").write_text(json.dumps({"repository_url": url}) + "\n")
    tarball = reproducible_tar_gz(
        root, out / f"patient-cockpit-{version}-linux-x86_64.tar.gz", "patient-cockpit", epoch
    )
    return [deb, tarball]


def _windows(out: Path, version: str, work: Path, exe: Path | None, info: dict[str, object]) -> list[Path]:
    cert = authenticode.code_signing_cert(work)
    info["authenticode"] = {"throwaway": cert.throwaway, "stand_in_exe": exe is None}
    shutil.copyfile(cert.cert, out / "authenticode-cert.pem")
    signed_exe = authenticode.authenticode_sign(
        cert, exe or authenticode.stand_in_exe(), out / f"patient-cockpit-{version}-win64.exe"
    )
    unsigned_msi = authenticode.build_msi(signed_exe, work / "unsigned.msi", version, work)
    msi = authenticode.authenticode_sign(cert, unsigned_msi, out / f"patient-cockpit-{version}-x64.msi")
    return [signed_exe, msi]


def _sign(key: gpg.SigningKey, artefacts: list[Path], out: Path) -> None:
    """debsigs on the .deb, detached signatures on the .tar.gz and on SHA256SUMS (which lists all)."""
    debsig.sign_deb(key, next(a for a in artefacts if a.suffix == ".deb"))
    gpg.detach_sign(key, next(a for a in artefacts if a.name.endswith(".tar.gz")))
    gpg.detach_sign(key, _sha256sums(out, artefacts))
    gpg.export_public(key, out / "release-key.asc")
    debsig.export_debsig_files(key, out / "debsig")


def _sha256sums(out: Path, artefacts: list[Path]) -> Path:
    lines = [f"{hashlib.sha256(a.read_bytes()).hexdigest()}  {a.name}" for a in sorted(artefacts)]
    sums = out / "SHA256SUMS"
    sums.write_text("\n".join(lines) + "\n")
    return sums


def _fresh_out(out: Path) -> None:
    """Empty the output folder, but only if it is one of ours (or empty)."""
    if out.exists() and any(out.iterdir()):
        if not (out / "build-info.json").exists() and not (out / "requirements.lock").exists():
            raise ReleaseError(f"{out} is not empty and not a previous build's output; choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def _project_version() -> str:
    with (PROJECT / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def _source_date_epoch() -> int:
    if env := os.environ.get("SOURCE_DATE_EPOCH"):
        return int(env)
    try:
        return int(run([tool("git"), "log", "-1", "--format=%ct"], cwd=PROJECT).decode().strip())
    except ReleaseError:
        return 0


def _commit() -> str:
    try:
        return run([tool("git"), "rev-parse", "HEAD"], cwd=PROJECT).decode().strip()
    except ReleaseError:
        return "unknown"


def _uncommitted() -> list[str]:
    try:
        status = run([tool("git"), "status", "--porcelain", "--", "cockpit", "pyproject.toml"], cwd=PROJECT)
    except ReleaseError:
        return []
    return status.decode().splitlines()


def _report(out: Path, info: dict[str, object]) -> None:
    sizes = info["sizes_bytes"]
    assert isinstance(sizes, dict)
    print(f"\nPatient Cockpit {info['version']} in {out}:")
    for name, size in sorted(sizes.items()):
        print(f"  {name:<48} {size / 1e6:8.1f} MB")
    bundle_mb = int(str(info["bundle_bytes"])) / 1e6
    print(f"  {'frozen bundle (unpacked)':<48} {bundle_mb:8.1f} MB")
    if smoke := info.get("smoke_test"):
        assert isinstance(smoke, dict)
        budget = "within" if smoke["start_s"] <= freeze.START_BUDGET_S else "OVER"
        first = smoke["first_start_with_demo_generation_s"]
        print(f"  smoke test: interactive after {smoke['start_s']:.2f} s ({budget} the 3 s budget)")
        print(f"  first start, which generates the demo practice: {first:.2f} s")
        print(f"  freeze (PyInstaller) {info['freeze_seconds']} s")
    print(f"  build time {info['build_seconds']} s")
