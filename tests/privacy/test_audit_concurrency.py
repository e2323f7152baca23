"""Several writers on one store: the chain stays one chain, and an audited read waits for a writer instead
of failing on a stale snapshot (why audited reads begin IMMEDIATE)."""

import threading
from pathlib import Path

from cockpit.models.audit import AuditAction
from cockpit.privacy.audit import AuditLog
from cockpit.services.practice import Practice
from cockpit.store import Store
from cockpit.store.transactions import immediate_connection
from tests.privacy.audit_support import ANNA, AS_OF, BO, HANS_CPR, log_rows, patient_id, three_patients


def test_two_threads_appending_at_once_keep_one_unbroken_chain(store: Store) -> None:
    log = AuditLog(store)
    errors: list[BaseException] = []

    def append_many(actor_index: int) -> None:
        try:
            for n in range(40):
                log.record(
                    (ANNA, BO)[actor_index], AuditAction.PATIENT_OPEN, patient_id=n, patient_fhir_id=f"p{n}"
                )
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=append_many, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [r[0] for r in log_rows(store)] == list(range(1, 81))
    assert sorted(r[1] for r in log_rows(store)).count("anna") == 40
    assert log.verify().message() == "80 entries, chain intact"


def test_an_audited_look_up_waits_for_a_writer_and_then_succeeds(store: Store, tmp_path: Path) -> None:
    three_patients(store, tmp_path)
    practice = Practice(store, today=lambda: AS_OF, actor=ANNA)
    hans = patient_id(store, HANS_CPR)
    locked, release = threading.Event(), threading.Event()

    def writer() -> None:
        with immediate_connection(store) as conn:
            conn.exec_driver_sql("UPDATE patients SET gp_name = gp_name")  # holds the write lock
            locked.set()
            release.wait(5)

    thread = threading.Thread(target=writer)
    thread.start()
    assert locked.wait(5)
    threading.Timer(0.2, release.set).start()  # the writer commits while the look-up waits
    overview = practice.patient_overview(hans)
    thread.join()
    assert overview.header.patient_id == hans
    assert [(r[1], r[4], r[6]) for r in log_rows(store)] == [("anna", "patient.open", "hans")]
