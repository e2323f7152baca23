"""Walking the audit chain: the first entry that is not what the chain says, and what is wrong with it.

Rows are read with the driver's own cursor in id order: at a million entries the per-row cost of
SQLAlchemy's result rows would dominate the hashing.
"""

import hashlib
from dataclasses import dataclass
from typing import Final

import orjson
from sqlalchemy import Connection

from cockpit.models.audit import GENESIS, HASHED_COLUMNS

_BATCH: Final = 20_000
_SELECT: Final = (
    "SELECT " + ", ".join(f'"{c}"' for c in HASHED_COLUMNS) + ", prev_hash, hash FROM audit_log ORDER BY id"
)


@dataclass(frozen=True, slots=True)
class ChainReport:
    """``bad_entry`` is the id of the first entry that fails (None when intact); ``problem`` says how."""

    entries: int
    bad_entry: int | None = None
    problem: str | None = None
    head_hash: str | None = None  # hex, for noting down outside the store

    @property
    def intact(self) -> bool:
        return self.problem is None

    def message(self) -> str:
        if self.intact:
            return f"{self.entries:,} entries, chain intact"
        return f"audit chain broken at entry {self.bad_entry}: {self.problem}"


def verify_chain(conn: Connection) -> ChainReport:
    """Check every entry's id, link and hash in order, then the head. Call inside one transaction."""
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    n_hashed = len(HASHED_COLUMNS)
    sha256 = hashlib.sha256
    dumps = orjson.dumps
    expected_id, prev, count = 1, GENESIS, 0
    try:
        cursor.execute(_SELECT)
        while rows := cursor.fetchmany(_BATCH):
            for row in rows:
                entry_id = row[0]
                if entry_id != expected_id:
                    return ChainReport(count, entry_id, _sequence_problem(entry_id, expected_id))
                if row[n_hashed] != prev:
                    return ChainReport(
                        count,
                        entry_id,
                        "its link to the previous entry does not match: an entry before it was deleted, "
                        "inserted or replaced",
                    )
                digest = sha256(prev + dumps(row[:n_hashed])).digest()
                if digest != row[n_hashed + 1]:
                    return ChainReport(
                        count, entry_id, "its contents do not match its hash: it was edited or forged"
                    )
                prev = digest
                count += 1
                expected_id += 1
        cursor.execute("SELECT last_id, last_hash, count FROM audit_head")
        head = cursor.fetchone()
    finally:
        cursor.close()
    return _check_head(head, count, prev)


def _sequence_problem(found: int, expected: int) -> str:
    if found > expected:
        missing = (
            f"entry {expected} is" if found == expected + 1 else f"entries {expected} to {found - 1} are"
        )
        return f"{missing} missing: deleted"
    return f"its id is out of sequence (expected {expected}): it was inserted"


def _check_head(head: tuple[int, bytes, int] | None, count: int, last_hash: bytes) -> ChainReport:
    last_id = count  # the walk checked that ids run 1..count
    if head is None:
        if count == 0:
            return ChainReport(0)
        return ChainReport(count, last_id, "the chain's head record is missing: it was deleted")
    head_id, head_hash, head_count = head
    if head_id > last_id:
        cut = f"entry {head_id} is" if head_id == last_id + 1 else f"entries {last_id + 1} to {head_id} are"
        return ChainReport(count, last_id + 1, f"{cut} missing: the newest entries were deleted")
    if head_id < last_id:
        return ChainReport(
            count, head_id + 1, "it is newer than the chain's head: it was added outside the cockpit"
        )
    if head_hash != last_hash or head_count != count:
        return ChainReport(count, last_id, "it does not match the chain's head: it was replaced")
    return ChainReport(count, head_hash=head_hash.hex())
