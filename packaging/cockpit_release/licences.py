"""The third-party licence texts that go into every package: ``licenses/`` beside the frozen program
(so in /opt/patient-cockpit on a .deb install and in versions/V/ of the .tar.gz install root), written by
``cockpit.thirdparty.collect`` from the build environment's distribution metadata."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from cockpit_release.run import ReleaseError

PROJECT = Path(__file__).resolve().parents[2]


def collect_into(app: Path) -> int:
    """Write ``app/licenses``; returns how many components it names. Fails the build when a bundled
    distribution has no licence text."""
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))  # the tree being packaged, not whatever cockpit is installed
    from cockpit.thirdparty import MissingLicenceError, collect  # noqa: PLC0415

    dest = app / "licenses"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    try:
        return len(collect(dest))
    except MissingLicenceError as error:
        raise ReleaseError(str(error)) from None
