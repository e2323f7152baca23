"""What the cockpit records: each look-up and list through the services adds exactly the expected entries,
in the same transaction as the action (no entry for a failed action, no action without its entry)."""

from pathlib import Path

import psycopg
import pytest
from sqlalchemy import exc, text
from sqlcipher3 import dbapi2

from cockpit.errors import InputError, PatientNotFoundError, PermissionDeniedError
from cockpit.services.practice import Practice
from cockpit.store import Store
from tests.privacy.audit_support import (
    ADMIN,
    ANNA,
    AS_OF,
    BO,
    ELSE_CPR,
    HANS_CPR,
    MIA_CPR,
    log_rows,
    patient_id,
    refuse_audit_inserts,
    three_patients,
)

# However cockpit.store.errors passes it on, the refused insert surfaces as a database error.
STORE_REFUSED = (exc.DBAPIError, dbapi2.DatabaseError, psycopg.Error)


@pytest.fixture
def practice(store: Store, tmp_path: Path) -> Practice:
    three_patients(store, tmp_path)
    return Practice(store, today=lambda: AS_OF, actor=ANNA)


def test_opening_an_overview_records_who_opened_which_patient(practice: Practice, store: Store) -> None:
    hans = patient_id(store, HANS_CPR)
    practice.patient_overview(hans)
    assert log_rows(store) == [
        (1, "anna", "gp", "konsultation-1", "patient.open", hans, "hans", None, None, None, None)
    ]


def test_a_sign_in_changes_whom_the_next_look_up_is_recorded_for(practice: Practice, store: Store) -> None:
    mia = patient_id(store, MIA_CPR)
    practice.patient_overview(mia)
    practice.actor = BO
    practice.record(mia)
    assert [(r[1], r[4], r[6]) for r in log_rows(store)] == [
        ("anna", "patient.open", "mia"),
        ("bo", "patient.open", "mia"),
    ]


def test_an_unknown_patient_leaves_no_entry(practice: Practice, store: Store) -> None:
    with pytest.raises(PatientNotFoundError):
        practice.patient_overview(999_999)
    with pytest.raises(PatientNotFoundError):
        practice.record(999_999)
    assert log_rows(store) == []


def test_an_entry_that_cannot_be_written_fails_the_look_up(practice: Practice, store: Store) -> None:
    refuse_audit_inserts(store)
    with pytest.raises(STORE_REFUSED, match="refused"):
        practice.patient_overview(patient_id(store, HANS_CPR))
    assert log_rows(store) == []


def test_showing_the_risk_lists_records_each_list_with_its_count(practice: Practice, store: Store) -> None:
    snapshot = practice.risk_lists()
    entries = {r[7]: r for r in log_rows(store)}
    assert len(entries) == len(snapshot.lists) == len(log_rows(store))
    assert {r[4] for r in entries.values()} == {"list.show"}
    assert {r[1] for r in entries.values()} == {"anna"}
    # Hand-checked on the three patients (tests/indicators/test_commands.py): Else and Mia have a high
    # HbA1c, Hans has ischaemic heart disease without a statin.
    assert entries["DM-HBA1C-HIGH"][8] == 2
    assert entries["IHD-STATIN"][8] == 1
    assert all(r[5] is None and r[6] is None for r in entries.values())


def test_a_failing_audit_write_rolls_back_the_whole_risk_evaluation(practice: Practice, store: Store) -> None:
    refuse_audit_inserts(store, from_id=3)
    with pytest.raises(STORE_REFUSED, match="refused"):
        practice.risk_lists()
    assert log_rows(store) == []  # entries 1 and 2 went with the failed transaction
    assert practice.attention.snapshot is None


def test_a_search_records_the_number_shown_never_the_text(practice: Practice, store: Store) -> None:
    assert [p.name for p in practice.search("lauridsen")] == ["Else Lauridsen"]
    assert len(practice.search("")) == 3
    assert practice.search("nobody") == []
    assert [(r[4], r[7], r[8]) for r in log_rows(store)] == [
        ("patient.search", None, 1),
        ("list.show", "patients", 3),
        ("patient.search", None, 0),
    ]
    with store.session() as session:
        dump = "\n".join(session.execute(text("SELECT * FROM audit_log")).all().__repr__().split())
    assert "lauridsen" not in dump.lower() and "nobody" not in dump


def test_data_out_is_recorded_and_listed_in_the_ledger(practice: Practice, store: Store) -> None:
    practice.patient_overview(patient_id(store, ELSE_CPR))
    entry = practice.audit.record_data_out("csv", "/home/anna/dm.csv", 2, "DM-HBA1C-HIGH", purpose="klynge")
    practice.audit.record_data_out("print", "HP LaserJet (kontor)", 1, "patient-overview")
    practice.actor = ADMIN
    ledger = practice.audit.data_out()
    assert [
        (e.id, e.user, e.action, e.list_ref, e.patient_count, e.destination, e.purpose) for e in ledger
    ] == [
        (entry, "anna", "export.csv", "DM-HBA1C-HIGH", 2, "/home/anna/dm.csv", "klynge"),
        (3, "anna", "print", "patient-overview", 1, "HP LaserJet (kontor)", None),
    ]


def test_an_unknown_kind_of_data_out_is_refused_and_leaves_the_log_as_it_was(
    practice: Practice, store: Store
) -> None:
    with pytest.raises(InputError, match="use one of: csv, json, pdf, print, copy, report"):
        practice.audit.record_data_out("fax", "0045 1234", 3, "DM-HBA1C-HIGH")
    assert log_rows(store) == []


def test_who_looked_at_me(practice: Practice, store: Store) -> None:
    hans, mia = patient_id(store, HANS_CPR), patient_id(store, MIA_CPR)
    practice.patient_overview(hans)
    practice.actor = BO
    practice.patient_overview(mia)
    practice.record(hans)
    practice.actor = ADMIN
    seen = practice.audit.for_patient(HANS_CPR, purpose="aktindsigt")
    assert [(e.id, e.user, e.role, e.workstation, e.action) for e in seen] == [
        (1, "anna", "gp", "konsultation-1", "patient.open"),
        (3, "bo", "nurse", "konsultation-2", "patient.open"),
    ]
    # The read itself is recorded, with the patient it was about and why.
    assert log_rows(store)[-1] == (
        4,
        "admin",
        "admin",
        "kontor",
        "audit.read",
        hans,
        "hans",
        "audit:patient",
        None,
        "aktindsigt",
        None,
    )
    # By FHIR id, by user, by period (all of it happened today).
    assert [e.id for e in practice.audit.for_patient("mia")] == [2]
    assert [e.id for e in practice.audit.for_user("bo")] == [2, 3]
    today = practice.audit.between(None, None)[0].at.astimezone().date()
    assert [e.id for e in practice.audit.between(today, today)][:4] == [1, 2, 3, 4]
    assert practice.audit.between(None, today.replace(year=today.year - 1)) == []


def test_the_log_finds_a_patient_again_after_their_row_is_gone(practice: Practice, store: Store) -> None:
    practice.patient_overview(patient_id(store, MIA_CPR))
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM patients WHERE fhir_id = 'mia'")
    practice.actor = ADMIN
    assert [(e.user, e.patient_fhir_id) for e in practice.audit.for_patient("mia")] == [("anna", "mia")]
    with pytest.raises(PatientNotFoundError):
        practice.audit.for_patient(MIA_CPR)  # the CPR number is nowhere now


def test_reading_the_log_needs_the_permission_and_a_refusal_is_not_a_read(
    practice: Practice, store: Store
) -> None:
    practice.patient_overview(patient_id(store, HANS_CPR))
    with pytest.raises(PermissionDeniedError, match="administrator"):
        practice.audit.for_patient(HANS_CPR)
    assert [r[4] for r in log_rows(store)] == ["patient.open"]
