"""``packaging/publish-update``: keep the TUF update repository the installed cockpits check.

    publish-update init    --repo DIR --keys DIR          new keys (if none there) and the root metadata
    publish-update add     --repo DIR --keys DIR --bundle ONEDIR|RELEASE.tar.gz --version V
    publish-update refresh --repo DIR --keys DIR          re-sign timestamp/snapshot before they expire

--keys (or COCKPIT_TUF_KEYS) is where the role keys live: on the release machine or removable media,
never in the repository. ``init`` creates keys only when the directory holds none (the throwaway case);
give it the release keys to reuse them. Serve DIR (metadata/ and targets/) over https; ship
DIR/metadata/root.json with the app as update-root.json. Timestamp metadata expires after a day, so
``refresh`` must run daily (cron) or the cockpits refuse the repository as stale.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

APP_NAME = "patient-cockpit"
# Days each role's metadata is valid: root is signed rarely (offline key), timestamp daily.
EXPIRATION_DAYS = {"root": 365, "targets": 30, "snapshot": 30, "timestamp": 1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="publish-update", description=__doc__.split("\n\n")[0])
    actions = parser.add_subparsers(dest="action", required=True)
    for name in ("init", "add", "refresh"):
        p = actions.add_parser(name)
        p.add_argument("--repo", type=Path, required=True, help="the repository folder (served over https)")
        p.add_argument("--keys", type=Path, default=_env_path("COCKPIT_TUF_KEYS"), help="the role keys")
        if name == "add":
            p.add_argument(
                "--bundle", type=Path, required=True, help="the frozen onedir bundle, or the release .tar.gz"
            )
            p.add_argument("--version", required=True)
    args = parser.parse_args(argv)
    if args.keys is None:
        parser.error("give --keys or set COCKPIT_TUF_KEYS")
    args.repo.mkdir(parents=True, exist_ok=True)
    # tufup keeps its .tufup-repo-config in the working directory: beside the repository, not wherever
    # the tool happens to be started (a test run would leave it in the source tree).
    with contextlib.chdir(args.repo.resolve().parent):
        return _act(args)


def _act(args: argparse.Namespace) -> int:
    repo = _repository(args.repo, args.keys)
    if args.action == "init":
        repo.initialize()
        print(f"TUF repository ready in {args.repo}; ship {args.repo / 'metadata' / 'root.json'}")
    elif args.action == "add":
        _add(repo, args.bundle, args.version, args.keys)
    else:
        repo._load_keys_and_roles(create_keys=False)
        for role in ("snapshot", "timestamp"):
            repo.refresh_expiration_date(role)
        repo.publish_changes(private_key_dirs=[args.keys])
        print("timestamp and snapshot re-signed")
    return 0


def _add(repo: Any, bundle: Path, version: str, keys: Path) -> None:
    archive = repo.targets_dir / f"{APP_NAME}-{version}.tar.gz"
    if archive.exists():
        sys.exit(f"publish-update: {version} is already published ({archive}); versions never change")
    if bundle.is_file():  # the release .tar.gz from make package: its versions/V is the bundle
        with tempfile.TemporaryDirectory() as tmp, tarfile.open(bundle) as tar:
            tar.extractall(tmp, filter="data")
            _add(repo, Path(tmp) / APP_NAME / "versions" / version, version, keys)
        return
    if not any((bundle / exe).is_file() for exe in ("cockpit", "cockpit.exe")):
        sys.exit(f"publish-update: {bundle} has no cockpit program: not a frozen bundle")
    repo._load_keys_and_roles(create_keys=False)  # tufup's from_config() does the same
    repo.add_bundle(new_bundle_dir=bundle, new_version=version, skip_patch=True)
    repo.publish_changes(private_key_dirs=[keys])
    print(f"published {APP_NAME} {version}")


def _repository(repo_dir: Path, keys_dir: Path) -> Any:
    from tufup.repo import Repository  # type: ignore[import-untyped]  # noqa: PLC0415

    return Repository(
        app_name=APP_NAME,
        repo_dir=repo_dir.resolve(),
        keys_dir=keys_dir.resolve(),
        expiration_days=dict(EXPIRATION_DAYS),
    )


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None
