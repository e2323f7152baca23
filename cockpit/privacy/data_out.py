"""Identifiable data leaving the encrypted store on purpose, in one way: the data-out ledger records it
first (what, how many patients, where to), and only then is the file written, private to the user (0600)
from its first byte and whole or not at all. If recording fails, nothing is written."""

import os
from collections.abc import Callable
from pathlib import Path

from cockpit.errors import CockpitError

# record(kind, destination, patient_count, what) -> entry id: the audit log's data-out ledger
# (``AuditService.record_data_out``, or ``AuditLog.record_data_out`` with the actor bound).
RecordDataOut = Callable[[str, str, int, str], object]


def record_then_write(  # noqa: PLR0917 (the ledger entry's fields, then the file)
    record: RecordDataOut, kind: str, what: str, patient_count: int, path: Path, data: bytes
) -> int:
    """Record the data out (``kind`` csv, pdf...; ``what`` the list; the file's name as the destination),
    then write ``data`` to ``path`` with ``write_private``. Returns ``patient_count``."""
    record(kind, path.name, patient_count, what)
    write_private(path, data)
    return patient_count


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
