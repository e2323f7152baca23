"""Drugs named by reference to a Medication resource, and coded drugs without a display: kept, resolved and
named, whatever the order they come in (one file, a directory, a Bundle, several imports), on both stores.

Expectations are written by hand from the resources below: statement s1 names Medication med-atorva
(atorvastatin 40 mg, ATC C10AA05 with the sender's display "Atorvastatin Krka"); s2 names med-ibu (ibuprofen,
ATC M01AE01 without any display, so the catalogue's "Ibuprofen"); s3 is a request coded ATC B01AF02 without a
display ("Apixaban" from the catalogue)."""

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from cockpit.fhir import importer
from cockpit.fhir.importer import ImportSummary, import_path
from cockpit.store import Store
from cockpit.store.medication_products import name_source_counts, unresolved_count
from tests.importing.test_import import PATIENT, write_ndjson

ATC = "http://www.whocc.no/atc"


def medication(
    med_id: str, code: str, display: str | None = None, strength_mg: float | None = None
) -> dict[str, Any]:
    coding: dict[str, Any] = {"system": ATC, "code": code}
    if display is not None:
        coding["display"] = display
    resource: dict[str, Any] = {"resourceType": "Medication", "id": med_id, "code": {"coding": [coding]}}
    if strength_mg is not None:
        resource["ingredient"] = [{"strength": {"numerator": {"value": strength_mg, "unit": "mg"}}}]
    return resource


def statement(stmt_id: str, reference: str, **fields: Any) -> dict[str, Any]:
    return {
        "resourceType": "MedicationStatement",
        "id": stmt_id,
        "status": "active",
        "subject": {"reference": "Patient/p1"},
        "medicationReference": {"reference": reference},
        "effectivePeriod": {"start": "2024-01-01"},
        **fields,
    }


def coded_request(req_id: str, code: str) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": req_id,
        "status": "active",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": {"coding": [{"system": ATC, "code": code}]},
        "authoredOn": "2024-02-01",
    }


ATORVASTATIN = medication("med-atorva", "C10AA05", "Atorvastatin Krka", 40)
IBUPROFEN = medication("med-ibu", "M01AE01")
STATEMENTS = [statement("s1", "Medication/med-atorva"), statement("s2", "Medication/med-ibu")]
REQUEST = coded_request("s3", "B01AF02")
# (fhir_id, code_system, code, drug_name, strength, medication_ref), by fhir_id
RESOLVED = [
    ("s1", ATC, "C10AA05", "Atorvastatin Krka", "40 mg", "med-atorva"),
    ("s2", ATC, "M01AE01", "Ibuprofen", None, "med-ibu"),
    ("s3", ATC, "B01AF02", "Apixaban", None, None),
]


def drugs(store: Store) -> list[tuple[Any, ...]]:
    with store.session() as session:
        rows = session.execute(
            text(
                "SELECT fhir_id, code_system, code, drug_name, strength, medication_ref "
                "FROM medications ORDER BY fhir_id"
            )
        ).all()
    return [tuple(row) for row in rows]


def scalar(store: Store, sql: str) -> Any:
    with store.session() as session:
        return session.execute(text(sql)).scalar_one()


def unresolved(store: Store) -> int:
    with store.engine.connect() as conn:
        return unresolved_count(conn)


@pytest.mark.parametrize("medications_first", [True, False], ids=["medications-first", "statements-first"])
def test_a_directory_with_medications_before_or_after_the_statements(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, medications_first: bool
) -> None:
    monkeypatch.setattr(importer, "BATCH", 1)  # every resource is written on its own, in the order read
    folder = tmp_path / "export"
    folder.mkdir()
    write_ndjson(folder / "Patient.ndjson", [PATIENT])
    # the reader takes a directory's files in name order: "A-..." before "MedicationStatement", "Z-..." after
    write_ndjson(
        folder / ("A-Medication.ndjson" if medications_first else "Z-Medication.ndjson"),
        [ATORVASTATIN, IBUPROFEN],
    )
    write_ndjson(folder / "MedicationStatement.ndjson", [*STATEMENTS, REQUEST])

    summary = import_path(store, folder)

    assert summary.quarantined == 0
    assert summary.kept_by_type == {
        "Patient": 1,
        "Medication": 2,
        "MedicationStatement": 2,
        "MedicationRequest": 1,
    }
    assert drugs(store) == RESOLVED
    # named from the catalogue: Medication med-ibu and request s3 (med-atorva had its own display)
    assert (summary.named_from_catalogue, summary.unresolved_medication_refs) == (2, 0)
    with store.engine.connect() as conn:  # s1 from med-atorva's display; s2 (from med-ibu) and s3: catalogue
        assert name_source_counts(conn) == {"sent": 1, "catalogue": 2}
    assert scalar(store, "SELECT count(*) FROM medication_products") == 2
    assert scalar(store, "SELECT count(*) FROM quarantined_resources") == 0


def test_one_file_with_the_medication_after_its_statement(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "all.ndjson"
    write_ndjson(source, [PATIENT, *STATEMENTS, REQUEST, IBUPROFEN, ATORVASTATIN])
    import_path(store, source)
    assert drugs(store) == RESOLVED


def test_a_medication_in_a_later_import_resolves_and_an_update_re_resolves(
    store: Store, tmp_path: Path
) -> None:
    first = tmp_path / "first.ndjson"
    write_ndjson(
        first,
        [
            PATIENT,
            statement(
                "s1",
                "Medication/med-atorva",
                medicationReference={"reference": "Medication/med-atorva", "display": "Atorvastatin 40 mg"},
            ),
        ],
    )
    summary = import_path(store, first)
    assert (summary.quarantined, summary.unresolved_medication_refs) == (0, 1)
    assert drugs(store) == [("s1", None, None, "Ukendt lægemiddel (Atorvastatin 40 mg)", None, "med-atorva")]
    assert unresolved(store) == 1
    with store.engine.connect() as conn:
        assert name_source_counts(conn) == {"unresolved": 1}

    later = tmp_path / "later.ndjson"
    write_ndjson(later, [ATORVASTATIN])
    summary = import_path(store, later)
    assert (summary.inserted, summary.unresolved_medication_refs) == (1, 0)
    assert drugs(store) == [("s1", ATC, "C10AA05", "Atorvastatin Krka", "40 mg", "med-atorva")]
    assert unresolved(store) == 0

    # the sender corrects the Medication: simvastatin 20 mg, no display (named from the catalogue)
    write_ndjson(later, [medication("med-atorva", "C10AA01", None, 20)])
    summary = import_path(store, later)
    assert (summary.updated, summary.named_from_catalogue) == (1, 1)
    assert drugs(store) == [("s1", ATC, "C10AA01", "Simvastatin", "20 mg", "med-atorva")]

    # the statement itself delivered again, changed: it is re-mapped and resolved from the stored Medication
    write_ndjson(first, [PATIENT, statement("s1", "Medication/med-atorva", status="completed")])
    summary = import_path(store, first)
    assert (summary.updated, summary.unchanged) == (1, 1)
    assert drugs(store) == [("s1", ATC, "C10AA01", "Simvastatin", "20 mg", "med-atorva")]


def test_a_reference_by_full_url_resolves(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "data.ndjson"
    write_ndjson(
        source,
        [
            PATIENT,
            ATORVASTATIN,
            statement("s1", "https://fhir.example.dk/r4/Medication/med-atorva/_history/2"),
        ],
    )
    import_path(store, source)
    assert drugs(store) == [("s1", ATC, "C10AA05", "Atorvastatin Krka", "40 mg", "med-atorva")]


def test_a_transaction_bundle_with_urn_uuid_references(store: Store, tmp_path: Path) -> None:
    uuid_atorva = "urn:uuid:6f1c2b9a-0d4e-4b7a-9c3d-1e2f3a4b5c6d"
    uuid_ibu = "urn:uuid:7a2d3c0b-1e5f-4c8b-8d4e-2f3a4b5c6d7e"
    ibuprofen_without_id = {key: value for key, value in IBUPROFEN.items() if key != "id"}
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": "urn:uuid:0c0c0c0c-0000-4000-8000-000000000001", "resource": PATIENT},
            {
                "fullUrl": "urn:uuid:0c0c0c0c-0000-4000-8000-000000000002",
                "resource": statement("s1", uuid_atorva),
            },
            {
                "fullUrl": "urn:uuid:0c0c0c0c-0000-4000-8000-000000000003",
                "resource": statement("s2", uuid_ibu),
            },
            {"fullUrl": uuid_atorva, "resource": ATORVASTATIN},  # with an id of its own
            {"fullUrl": uuid_ibu, "resource": ibuprofen_without_id},  # without: its uuid is its id
        ],
    }
    source = tmp_path / "bundle.json"
    source.write_text(json.dumps(bundle))
    summary = import_path(store, source)
    assert summary.quarantined == 0
    assert drugs(store) == [
        ("s1", ATC, "C10AA05", "Atorvastatin Krka", "40 mg", "med-atorva"),
        ("s2", ATC, "M01AE01", "Ibuprofen", None, uuid_ibu.removeprefix("urn:uuid:")),
    ]


def test_a_drug_with_no_code_no_text_and_no_reference_is_quarantined_and_released_once_it_maps(
    store: Store, tmp_path: Path
) -> None:
    source = tmp_path / "data.ndjson"
    nameless = {**coded_request("r1", "C10AA05"), "medicationCodeableConcept": {"text": " "}}
    write_ndjson(source, [PATIENT, nameless])
    summary = import_path(store, source)
    assert summary.quarantined == 1
    assert summary.quarantine_examples[0][1] == (
        "MedicationRequest.medication has no code, no text and no Medication reference"
    )
    assert scalar(store, "SELECT count(*) FROM quarantined_resources") == 1

    write_ndjson(source, [PATIENT, coded_request("r1", "C10AA05")])  # the sender sends the code now
    summary = import_path(store, source)
    assert (summary.quarantined, summary.inserted, summary.released_from_quarantine) == (0, 1, 1)
    assert scalar(store, "SELECT count(*) FROM quarantined_resources") == 0
    assert drugs(store) == [("r1", ATC, "C10AA05", "Atorvastatin", None, None)]


def test_a_quarantine_of_an_earlier_mapping_is_released_on_re_import(store: Store, tmp_path: Path) -> None:
    """What stores quarantined before this mapping ("medication has no drug name") comes out on re-import."""
    source = tmp_path / "data.ndjson"
    write_ndjson(source, [PATIENT])
    import_path(store, source)
    request = coded_request("r1", "M01AE01")
    with store.engine.begin() as conn:  # as the mapping of version 2 left it
        run_id = conn.execute(text("SELECT max(id) FROM import_runs")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO quarantined_resources (import_run_id, file, line, resource_type, fhir_id, "
                "reason, resource_json) VALUES (:run, 'old.ndjson', 2, 'MedicationRequest', 'r1', "
                "'MedicationRequest.medication has no drug name', :raw)"
            ),
            {"run": run_id, "raw": json.dumps(request)},
        )
    write_ndjson(source, [PATIENT, request])
    summary: ImportSummary = import_path(store, source)
    assert (summary.released_from_quarantine, summary.named_from_catalogue) == (1, 1)
    assert scalar(store, "SELECT count(*) FROM quarantined_resources") == 0
    assert drugs(store) == [("r1", ATC, "M01AE01", "Ibuprofen", None, None)]
