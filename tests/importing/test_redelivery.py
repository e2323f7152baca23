"""The same resource delivered twice, and changed resources of two types sharing a table: the importer looks
nothing up in a table that was empty when the import began, so what it wrote itself must still count."""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from cockpit.fhir import importer
from cockpit.fhir.importer import import_path
from cockpit.store import Store
from tests.importing.test_import import PATIENT, observation, write_ndjson


def _medication(resource_type: str, med_id: str, status: str) -> dict[str, Any]:
    return {
        "resourceType": resource_type,
        "id": med_id,
        "status": status,
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": {
            "coding": [{"system": "http://www.whocc.no/atc", "code": "A10BA02", "display": "Metformin"}]
        },
        "effectiveDateTime" if resource_type == "MedicationStatement" else "authoredOn": "2024-01-02",
    }


def _rows(store: Store, sql: str) -> list[Any]:
    with store.session() as session:
        return list(session.execute(text(sql)).all())


@pytest.mark.parametrize("second_value", [48.0, 71.0], ids=["unchanged", "changed"])
def test_a_resource_delivered_again_in_a_later_batch_of_a_first_import_keeps_one_row(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second_value: float
) -> None:
    monkeypatch.setattr(importer, "BATCH", 2)  # o1 and its second delivery land in different batches
    source = tmp_path / "data.ndjson"
    others = [observation(f"x{n}", 50.0 + n) for n in range(3)]
    write_ndjson(source, [PATIENT, observation("o1", 48.0), *others, observation("o1", second_value)])
    summary = import_path(store, source)
    changed = second_value != 48.0
    assert (summary.inserted, summary.updated, summary.unchanged) == (5, int(changed), int(not changed))
    assert _rows(store, "SELECT value_num FROM observations WHERE fhir_id = 'o1'") == [(second_value,)]
    assert _rows(store, "SELECT count(*) FROM observations") == [(4,)]


def test_changed_resources_of_two_types_in_one_batch_replace_their_own_rows(
    store: Store, tmp_path: Path
) -> None:
    source = tmp_path / "data.ndjson"
    write_ndjson(
        source,
        [
            PATIENT,
            _medication("MedicationStatement", "m1", "active"),
            _medication("MedicationRequest", "m2", "active"),
        ],
    )
    import_path(store, source)
    write_ndjson(
        source,
        [
            PATIENT,
            _medication("MedicationStatement", "m1", "completed"),
            _medication("MedicationRequest", "m2", "completed"),
        ],
    )
    summary = import_path(store, source)
    assert (summary.updated, summary.unchanged) == (2, 1)
    assert _rows(store, "SELECT fhir_type, fhir_id, status FROM medications ORDER BY fhir_id") == [
        ("MedicationStatement", "m1", "completed"),
        ("MedicationRequest", "m2", "completed"),
    ]
