"""Data out in one way: the ledger entry first, then the private file; no entry, no file."""

from pathlib import Path

import pytest

from cockpit.errors import CockpitError
from cockpit.privacy.data_out import record_then_write


def test_the_entry_is_recorded_before_the_file_is_written(tmp_path: Path) -> None:
    path = tmp_path / "opkald.csv"
    seen: list[tuple[str, str, int, str, bool]] = []

    def record(kind: str, destination: str, count: int, what: str) -> int:
        seen.append((kind, destination, count, what, path.exists()))
        return 1

    assert record_then_write(record, "csv", "worklist:3", 2, path, b"cpr,name\r\n") == 2
    assert seen == [("csv", "opkald.csv", 2, "worklist:3", False)]  # recorded while no file existed
    assert path.read_bytes() == b"cpr,name\r\n"
    assert path.stat().st_mode & 0o777 == 0o600


def test_nothing_is_written_when_recording_fails(tmp_path: Path) -> None:
    path = tmp_path / "opkald.pdf"

    def record(*_entry: object) -> int:
        raise CockpitError("The audit log cannot be written.")

    with pytest.raises(CockpitError):
        record_then_write(record, "pdf", "worklist:3", 1, path, b"%PDF")
    assert list(tmp_path.iterdir()) == []
