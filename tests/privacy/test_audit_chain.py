"""Tamper evidence: someone with the store key edits, inserts or deletes entries directly in the database
(the append-only triggers dropped first); ``verify`` names the first entry that is not what the chain says."""

import pytest
from sqlalchemy import exc, text

from cockpit.models.audit import AuditAction
from cockpit.privacy.audit import AuditLog, ChainReport
from cockpit.privacy.audit.chain import HASHED_COLUMNS, entry_hash
from cockpit.store import Store
from tests.privacy.audit_support import ANNA, BO, tamper


@pytest.fixture
def log(store: Store) -> AuditLog:
    """Six entries: anna and bo open patients 11..16 in turn."""
    audit = AuditLog(store)
    for n in range(6):
        actor = ANNA if n % 2 == 0 else BO
        audit.record(actor, AuditAction.PATIENT_OPEN, patient_id=11 + n, patient_fhir_id=f"p{11 + n}")
    return audit


def _hash_of(store: Store, entry_id: int) -> bytes:
    with store.session() as session:
        found = session.execute(text("SELECT hash FROM audit_log WHERE id = :id"), {"id": entry_id})
        return bytes(found.scalar_one())


def test_an_untouched_chain_is_intact(log: AuditLog) -> None:
    report = log.verify()
    assert (report.intact, report.entries, report.bad_entry) == (True, 6, None)
    assert report.message() == "6 entries, chain intact"
    assert report.head_hash is not None and len(report.head_hash) == 64


def test_an_empty_log_is_intact(store: Store) -> None:
    assert AuditLog(store).verify() == ChainReport(0)


def test_the_triggers_refuse_updates_and_deletes(log: AuditLog, store: Store) -> None:
    for statement in (
        "UPDATE audit_log SET \"user\" = 'x' WHERE id = 2",
        "DELETE FROM audit_log WHERE id = 6",
    ):
        with pytest.raises(exc.IntegrityError, match="append-only"), store.engine.begin() as conn:
            conn.exec_driver_sql(statement)
    assert log.verify().intact


def test_an_edited_entry_is_named(log: AuditLog, store: Store) -> None:
    tamper(store, "UPDATE audit_log SET \"user\" = 'mallory' WHERE id = 3")
    report = log.verify()
    assert (report.intact, report.bad_entry, report.entries) == (False, 3, 2)
    assert (
        report.message()
        == "audit chain broken at entry 3: its contents do not match its hash: it was edited or forged"
    )


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(log: AuditLog, store: Store) -> None:
    # The attacker knows the algorithm: entry 3 gets a valid hash of its new contents.
    with store.session() as session:
        row = session.execute(
            text(
                "SELECT "
                + ", ".join(f'"{c}"' for c in HASHED_COLUMNS)
                + ", prev_hash FROM audit_log WHERE id = 3"
            )
        ).one()
    fields = (*row[:2], "mallory", *row[3 : len(HASHED_COLUMNS)])
    forged = entry_hash(bytes(row[-1]), tuple(fields))
    tamper(store, "UPDATE audit_log SET \"user\" = 'mallory', hash = :h WHERE id = 3", params={"h": forged})
    report = log.verify()
    assert (report.bad_entry, report.entries) == (4, 3)
    assert "link to the previous entry does not match" in (report.problem or "")


def test_a_deleted_entry_is_named(log: AuditLog, store: Store) -> None:
    tamper(store, "DELETE FROM audit_log WHERE id = 3")
    report = log.verify()
    assert report.bad_entry == 4
    assert report.problem == "entry 3 is missing: deleted"


def test_deleting_and_renumbering_breaks_the_link(log: AuditLog, store: Store) -> None:
    # Entry 3 removed and the later ones moved down a place, so the ids run without a gap.
    tamper(
        store,
        "DELETE FROM audit_log WHERE id = 3",
        "UPDATE audit_log SET id = id + 100 WHERE id > 3",
        "UPDATE audit_log SET id = id - 101 WHERE id > 100",
        "UPDATE audit_head SET last_id = 5, count = 5",
    )
    report = log.verify()
    assert report.bad_entry == 3
    assert "link to the previous entry does not match" in (report.problem or "")


def test_the_newest_entries_deleted_are_caught_by_the_head(log: AuditLog, store: Store) -> None:
    tamper(store, "DELETE FROM audit_log WHERE id >= 5")
    report = log.verify()
    assert (report.intact, report.bad_entry, report.entries) == (False, 5, 4)
    assert report.problem == "entries 5 to 6 are missing: the newest entries were deleted"


def test_an_entry_inserted_in_the_middle_is_named(log: AuditLog, store: Store) -> None:
    # Room made after entry 3, a plausible entry put there with the link to entry 3.
    tamper(
        store,
        "UPDATE audit_log SET id = id + 100 WHERE id > 3",
        "UPDATE audit_log SET id = id - 99 WHERE id > 100",
        "INSERT INTO audit_log SELECT 4, at, 'bo', 'nurse', workstation, 'patient.open', 99, 'p99', NULL, "
        "NULL, NULL, NULL, hash, hash FROM audit_log WHERE id = 3",
        "UPDATE audit_head SET last_id = 7, count = 7",
    )
    report = log.verify()
    assert report.bad_entry == 4
    assert report.problem == "its contents do not match its hash: it was edited or forged"


def test_an_entry_with_an_id_out_of_sequence_is_named(log: AuditLog, store: Store) -> None:
    tamper(
        store,
        'INSERT INTO audit_log SELECT 0, at, "user", role, workstation, action, patient_id, patient_fhir_id, '
        "list_ref, patient_count, purpose, destination, prev_hash, hash FROM audit_log WHERE id = 1",
    )
    report = log.verify()
    assert report.bad_entry == 0
    assert report.problem == "its id is out of sequence (expected 1): it was inserted"


def test_an_entry_appended_behind_the_heads_back_is_named(log: AuditLog, store: Store) -> None:
    tamper(
        store,
        'INSERT INTO audit_log SELECT 7, at, "user", role, workstation, action, patient_id, patient_fhir_id, '
        "list_ref, patient_count, purpose, destination, hash, hash FROM audit_log WHERE id = 6",
    )
    report = log.verify()
    # Its hash is wrong too; the walk reaches it before the head check.
    assert report.bad_entry == 7


def test_appending_goes_on_from_the_head_after_a_cut(log: AuditLog, store: Store) -> None:
    tamper(store, "DELETE FROM audit_log WHERE id = 6")
    log.record(ANNA, AuditAction.PATIENT_OPEN, patient_id=1, patient_fhir_id="p1")
    assert log.verify().problem == "entry 6 is missing: deleted"
    assert _hash_of(store, 7) != _hash_of(store, 5)
