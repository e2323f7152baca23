"""Running the external tools of a release: loud about failures, quiet otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path


class ReleaseError(Exception):
    """A release step failed; the message says which and why."""


def tool(name: str, package: str | None = None) -> str:
    path = shutil.which(name)
    if path is None:
        raise ReleaseError(f"{name} is not installed (Debian: apt-get install {package or name})")
    return path


def run(
    args: Sequence[str | Path],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    input: bytes | None = None,
) -> bytes:
    """Run a tool; on failure raise ReleaseError with its own words."""
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run(
        [str(a) for a in args], env=full_env, cwd=cwd, input=input, capture_output=True, check=False
    )
    if result.returncode != 0:
        said = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
        raise ReleaseError(f"{Path(str(args[0])).name} failed (exit {result.returncode}): {said[-2000:]}")
    return result.stdout
