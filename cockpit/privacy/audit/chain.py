"""The audit chain: the hash formula (once), appending an entry, and walking the chain to verify it.

Each entry's ``hash`` is SHA-256 over the previous entry's hash and a canonical encoding (JSON array) of the
entry's own fields, its id included, so an edited, inserted, reordered or deleted entry breaks the chain;
the one-row ``audit_head`` (last id, last hash, count), updated with every append, catches entries cut off
the end. The tables are ``cockpit.models.audit``.

``append_entry`` is the one way to append, inside the caller's transaction; ``cockpit.privacy.audit.append``
fills it in from the signed-in actor. Verifying reads rows with the driver's own cursor in id order: at a
million entries the per-row cost of SQLAlchemy's result rows would dominate the hashing.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

import orjson
from sqlalchemy import Connection

from cockpit.models.audit import AuditAction

GENESIS: Final = bytes(32)  # the "previous hash" of the first entry

# The hashed fields, in their fixed order (the id first). Changing this invalidates every existing chain.
HASHED_COLUMNS: Final = (
    "id",
    "at",
    "user",
    "role",
    "workstation",
    "action",
    "patient_id",
    "patient_fhir_id",
    "list_ref",
    "patient_count",
    "purpose",
    "destination",
)

# Plain SQL, prepared once by the driver: building SQLAlchemy statements per entry cost more than the write.
_READ_HEAD: Final = "SELECT last_id, last_hash, count FROM audit_head WHERE id = 1"
_INSERT_ENTRY: Final = (
    "INSERT INTO audit_log ("
    + ", ".join(f'"{column}"' for column in (*HASHED_COLUMNS, "prev_hash", "hash"))
    + ") VALUES ("
    + ", ".join("?" * (len(HASHED_COLUMNS) + 2))
    + ")"
)
_INSERT_HEAD: Final = "INSERT INTO audit_head (id, last_id, last_hash, count) VALUES (1, ?, ?, 1)"
_UPDATE_HEAD: Final = "UPDATE audit_head SET last_id = ?, last_hash = ?, count = ? WHERE id = 1"


@dataclass(frozen=True, slots=True)
class _AppendSql:
    read_head: str
    insert_entry: str
    insert_head: str
    update_head: str


# SQLite's driver takes "?", psycopg "%s". On PostgreSQL the head row is also locked (FOR UPDATE): the
# writer lock already serialises appends, and this keeps the chain whole even if a caller forgot it.
_SQL_FOR: Final = {
    "qmark": _AppendSql(_READ_HEAD, _INSERT_ENTRY, _INSERT_HEAD, _UPDATE_HEAD),
    "pyformat": _AppendSql(
        _READ_HEAD + " FOR UPDATE",
        _INSERT_ENTRY.replace("?", "%s"),
        _INSERT_HEAD.replace("?", "%s"),
        _UPDATE_HEAD.replace("?", "%s"),
    ),
}


def entry_hash(prev_hash: bytes, fields: tuple[object, ...]) -> bytes:
    """SHA-256(prev_hash || canonical JSON array of ``fields`` in HASHED_COLUMNS order)."""
    return hashlib.sha256(prev_hash + orjson.dumps(fields)).digest()


def utc_timestamp(moment: datetime | None = None) -> str:
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append_entry(
    conn: Connection,
    *,
    user: str,
    role: str | None,
    workstation: str,
    action: AuditAction,
    patient_id: int | None = None,
    patient_fhir_id: str | None = None,
    list_ref: str | None = None,
    patient_count: int | None = None,
    purpose: str | None = None,
    destination: str | None = None,
    at: datetime | None = None,
) -> int:
    """Append one entry inside the caller's (write) transaction and return its id.

    Nothing is committed here: the entry commits or rolls back with the action it records. The caller's
    transaction should have begun IMMEDIATE (cockpit.store.transactions) so that the head read here cannot
    be overtaken by another writer."""
    sql = _SQL_FOR[conn.dialect.paramstyle]
    head = conn.exec_driver_sql(sql.read_head).first()
    last_id, prev_hash, count = head if head is not None else (0, GENESIS, 0)
    new_id = last_id + 1
    fields = (
        new_id,
        utc_timestamp(at),
        user,
        role,
        workstation,
        str(action),
        patient_id,
        patient_fhir_id,
        list_ref,
        patient_count,
        purpose,
        destination,
    )
    digest = entry_hash(prev_hash, fields)
    conn.exec_driver_sql(sql.insert_entry, (*fields, prev_hash, digest))
    if head is None:
        conn.exec_driver_sql(sql.insert_head, (new_id, digest))
    else:
        conn.exec_driver_sql(sql.update_head, (new_id, digest, count + 1))
    return new_id


# --- verifying ----------------------------------------------------------------------------------------

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
    hash_of = entry_hash  # a local name: looked up once, not per row
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
                digest = hash_of(prev, row[:n_hashed])
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
