"""Full sync from a real FHIR server (sekmet with the 100-patient Synthea set): the store ends up with the
same content as ``cockpit import`` of the same files, whichever way the data was fetched."""

from typing import Any

from sqlalchemy import text

from cockpit.sync.engine import sync_server
from cockpit.sync.progress import SyncProgress
from cockpit.sync.settings import SyncSettings
from tests.sync.content import counts, staged_rows, store_content

# Hand-checked against the files: zcat Patient.ndjson.gz | wc -l -> 100, Condition -> 639; the import of
# the set keeps 23,137 of its 38,472 resources (its summary line).
PATIENTS = 100
CONDITIONS = 639
KEPT = 23_137


def test_full_sync_by_bulk_export_equals_import_of_the_same_files(
    fhir_server: str, make_store: Any, imported_content: dict[str, Any]
) -> None:
    store = make_store()
    reports: list[SyncProgress] = []
    result = sync_server(store, SyncSettings(server_url=fhir_server), progress=reports.append)
    phases = [p.phase for p in reports]
    assert (result.method, result.full, result.resumed) == ("export", True, False)
    assert (result.downloaded, result.inserted, result.updated, result.deleted) == (KEPT, KEPT, 0, 0)
    assert len(result.changed_patient_ids) == PATIENTS
    assert result.watermark is not None and result.watermark.endswith("Z")
    assert phases[0] == "connecting" and "exporting" in phases and phases[-1] == "applying"
    downloading = [p for p in reports if p.phase == "downloading"]
    assert downloading[-1].units_total == 5  # the export's files of kept types (Synthea has five of seven)
    applying = [p.fraction if p.fraction is not None else -1.0 for p in reports if p.phase == "applying"]
    assert all(0 <= f <= 1 for f in applying)
    assert applying == sorted(applying)  # (applied while downloading: the first may be well under way)
    content = store_content(store)
    assert counts(content)["patients"] == PATIENTS
    assert counts(content)["conditions"] == CONDITIONS
    assert content == imported_content
    assert staged_rows(store, "sync_chunks") == 0  # staging is cleared once applied
    assert staged_rows(store, "sync_runs") == 0


def test_full_sync_by_paged_search_equals_import(
    fhir_server: str, make_store: Any, imported_content: dict[str, Any]
) -> None:
    store = make_store()
    result = sync_server(store, SyncSettings(server_url=fhir_server, method="search"))
    assert (result.method, result.downloaded, result.inserted) == ("search", KEPT, KEPT)
    assert store_content(store) == imported_content


def test_full_sync_by_patient_everything_equals_import(
    fhir_server: str, make_store: Any, imported_content: dict[str, Any]
) -> None:
    store = make_store()
    result = sync_server(store, SyncSettings(server_url=fhir_server, method="everything"))
    assert result.method == "everything"
    assert store_content(store) == imported_content


def test_a_second_sync_without_changes_transfers_and_changes_nothing(
    fhir_server: str, make_store: Any
) -> None:
    store = make_store()
    first = sync_server(store, SyncSettings(server_url=fhir_server))
    before = store_content(store)
    runs = "SELECT count(*) FROM import_runs"
    with store.engine.connect() as conn:
        imports_before = conn.execute(text(runs)).scalar()
    progress: list[SyncProgress] = []
    again = sync_server(store, SyncSettings(server_url=fhir_server), progress=progress.append)
    with store.engine.connect() as conn:  # a quiet sync leaves no trace in the import log
        assert conn.execute(text(runs)).scalar() == imports_before == 1
    assert (again.method, again.full) == ("history", False)
    assert (again.downloaded, again.inserted, again.updated, again.deleted) == (0, 0, 0, 0)
    assert again.changed_patient_ids == frozenset()
    assert again.watermark is not None and first.watermark is not None
    assert again.watermark > first.watermark
    assert store_content(store) == before


def test_forcing_a_full_sync_re_reads_everything_and_changes_nothing(
    fhir_server: str, make_store: Any
) -> None:
    store = make_store()
    sync_server(store, SyncSettings(server_url=fhir_server))
    before = store_content(store)
    again = sync_server(store, SyncSettings(server_url=fhir_server), full=True)
    assert (again.full, again.downloaded, again.unchanged, again.inserted, again.updated) == (
        True,
        KEPT,
        KEPT,
        0,
        0,
    )
    assert again.deleted == 0
    assert store_content(store) == before
