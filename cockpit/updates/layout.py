"""The installed versions side by side, and the two pointers (``current``, ``previous``) between them.

A pointer is a relative symlink replaced atomically (``os.replace``), so a crash mid-switch leaves either
the old or the new version running, never a half-installed one. Only the current and the previous
version are kept.
"""

from __future__ import annotations

import os
import shutil
import tarfile
from pathlib import Path

from cockpit.updates.errors import UpdateError

CURRENT = "current"
PREVIOUS = "previous"


class InstallLayout:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.versions = root / "versions"

    def version(self, pointer: str = CURRENT) -> str | None:
        """The version a pointer names, or None when there is none."""
        link = self.root / pointer
        if not link.is_symlink():
            return None
        return Path(os.readlink(link)).name

    def app_dir(self, version: str) -> Path:
        return self.versions / version

    def unpack(self, archive: Path, version: str) -> Path:
        """Unpack a verified archive into ``versions/<version>`` (beside, then renamed into place)."""
        target = self.app_dir(version)
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        try:
            with tarfile.open(archive, "r:*") as tar:
                tar.extractall(partial, filter="data")  # no absolute paths, links out or device files
        except (tarfile.TarError, OSError) as error:
            shutil.rmtree(partial, ignore_errors=True)
            raise UpdateError(
                f"the update could not be unpacked into {self.versions} ({type(error).__name__}); "
                "the installed version is unchanged"
            ) from error
        if target.exists():
            shutil.rmtree(target)
        partial.rename(target)
        return target

    def switch_to(self, version: str) -> None:
        """Make ``version`` current and the version that was current the previous one."""
        if not self.app_dir(version).is_dir():
            raise UpdateError(f"version {version} is not installed in {self.versions}")
        old = self.version(CURRENT)
        if old == version:
            return
        if old is not None:
            self._point(PREVIOUS, old)
        self._point(CURRENT, version)
        self._prune(keep={version, old})

    def rollback(self) -> str:
        """Swap current and previous; returns the version now current."""
        previous = self.version(PREVIOUS)
        if previous is None or not self.app_dir(previous).is_dir():
            raise UpdateError("there is no previous version to roll back to")
        current = self.version(CURRENT)
        self._point(CURRENT, previous)
        if current is not None:
            self._point(PREVIOUS, current)
        return previous

    def _point(self, pointer: str, version: str) -> None:
        link = self.root / pointer
        temporary = link.with_name(f".{pointer}.new")
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(Path("versions") / version, target_is_directory=True)
        os.replace(temporary, link)

    def _prune(self, keep: set[str | None]) -> None:
        for entry in self.versions.iterdir():
            if entry.is_dir() and entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
