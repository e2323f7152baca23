"""Writing identifiable data out of the encrypted store, once the data-out ledger has recorded it: the
file is private to the user (0600) from its first byte and appears whole or not at all."""

import os
from pathlib import Path

from cockpit.errors import CockpitError


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, mode 0600. CockpitError (what to do) when it cannot."""
    temporary = path.with_name(f".{path.name}.partial")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise CockpitError(
            f"The list could not be written to {path.parent} ({error.strerror}). "
            "Choose another folder, or free some space."
        ) from None
