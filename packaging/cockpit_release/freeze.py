"""Freeze the app with PyInstaller (onedir), smoke-test the result, and record what went into it."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from cockpit_release.run import ReleaseError, run

PROJECT = Path(__file__).resolve().parents[2]
SPEC = PROJECT / "packaging" / "cockpit.spec"
START_BUDGET_S = 3.0


def freeze(work: Path, epoch: int) -> Path:
    """The onedir bundle (work/pyinstaller/dist/patient-cockpit)."""
    dist, build = work / "pyinstaller" / "dist", work / "pyinstaller" / "work"
    shutil.rmtree(work / "pyinstaller", ignore_errors=True)
    # A fixed hash seed and SOURCE_DATE_EPOCH make PyInstaller's own output as stable as it can be.
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            dist,
            "--workpath",
            build,
            SPEC,
        ],
        env={"SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": "0"},
        cwd=PROJECT,
    )
    app = dist / "patient-cockpit"
    if not (app / "cockpit").is_file():
        raise ReleaseError(f"PyInstaller made no {app / 'cockpit'}")
    return app


def smoke_test(app: Path, work: Path) -> tuple[float, float]:
    """Start the frozen app twice on a demo practice in a private keyring, offscreen: the first start
    generates the practice; the second is a normal start. Returns both 'interactive after' times."""
    home = work / "smoke" / "home"
    shutil.rmtree(home.parent, ignore_errors=True)
    home.parent.mkdir(parents=True)
    cockpit = app / "cockpit"
    script = f'"{cockpit}" --demo --smoke-test && "{cockpit}" --demo --smoke-test'
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COCKPIT_HOME": str(home)}
    result = subprocess.run(
        [PROJECT / "tools" / "with-keyring", "--private", "sh", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    times = [float(t) for t in re.findall(r"interactive after ([\d.]+) s", result.stderr)]
    if result.returncode != 0 or len(times) != 2:
        raise ReleaseError(f"the frozen app's smoke test failed (exit {result.returncode}):\n{result.stderr}")
    shutil.rmtree(home.parent, ignore_errors=True)
    return times[0], times[1]


def record_dependencies(dest: Path) -> list[Path]:
    """requirements.lock (name==version of every distribution in the build environment) and
    dependency-hashes.txt (SHA-256 of each distribution's RECORD, which itself lists the hash of every
    installed file: a change to any installed byte changes the line)."""
    lock, hashes = [], []
    for dist in sorted(importlib.metadata.distributions(), key=lambda d: d.metadata["Name"].lower()):
        name, version = dist.metadata["Name"], dist.version
        lock.append(f"{name}=={version}")
        record = dist.read_text("RECORD")
        digest = hashlib.sha256(record.encode()).hexdigest() if record else "no-RECORD"
        hashes.append(f"{name}=={version} sha256-of-RECORD:{digest}")
    python = sys.version.split()[0]
    header = f"# Python {python} on {sys.platform}: the environment the bundle was frozen in\n"
    (dest / "requirements.lock").write_text(header + "\n".join(lock) + "\n")
    (dest / "dependency-hashes.txt").write_text(header + "\n".join(hashes) + "\n")
    return [dest / "requirements.lock", dest / "dependency-hashes.txt"]


def timed(start: float) -> float:
    return round(time.monotonic() - start, 1)
