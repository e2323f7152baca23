"""``import_path`` on real FHIR files into a real encrypted store."""

import gzip
import itertools
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import text

from cockpit.errors import MalformedInputError
from cockpit.fhir.importer import ImportProgress, import_path
from cockpit.store import Store
from tests.conftest import DK_EXAMPLES, SYNTHEA

TABLES = (
    "patients",
    "conditions",
    "medications",
    "observations",
    "encounters",
    "home_care_services",
    "import_runs",
    "quarantined_resources",
)


def snapshot(store: Store) -> dict[str, Any]:
    """Every row of every table: 'the store is exactly as before' is checked against this."""
    with store.session() as session:
        return {t: session.execute(text(f"SELECT * FROM {t} ORDER BY id")).all() for t in TABLES}


def count(store: Store, table: str) -> int:
    with store.session() as session:
        return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def write_ndjson(path: Path, resources: list[dict[str, Any]]) -> None:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in resources))


PATIENT = {
    "resourceType": "Patient",
    "id": "p1",
    "gender": "female",
    "birthDate": "1950-02-03",
    "name": [{"family": "Testesen", "given": ["Tove"]}],
    "identifier": [{"system": "urn:oid:1.2.208.176.1.2", "value": "0302504321"}],
}


def observation(obs_id: str, value: float, patient: str = "p1") -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": obs_id,
        "status": "final",
        "code": {
            "coding": [{"system": "http://npu-terminology.org", "code": "NPU27300", "display": "HbA1c"}]
        },
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": "2024-05-01T08:00:00Z",
        "valueQuantity": {
            "value": value,
            "unit": "mmol/mol",
            "system": "http://unitsofmeasure.org",
            "code": "mmol/mol",
        },
    }


def test_synthea_imports_whole_and_reports_what_it_skipped(store: Store) -> None:
    seen: list[ImportProgress] = []
    summary = import_path(store, SYNTHEA, seen.append)
    assert summary.read == 38_472
    assert summary.quarantined == 0
    assert count(store, "patients") == 100
    assert count(store, "conditions") == 639
    assert count(store, "medications") == 2386
    assert count(store, "encounters") == 3697
    # Claims and the like are not clinical data for the cockpit: counted, skipped.
    assert summary.skipped_by_type["Claim"] == 6083
    assert summary.skipped_by_type["ExplanationOfBenefit"] == 3697
    assert seen and seen[-1].fraction == 1.0
    assert all(a.bytes_done <= b.bytes_done for a, b in itertools.pairwise(seen))


def test_reimporting_the_same_data_changes_nothing(store: Store) -> None:
    first = import_path(store, SYNTHEA)
    before = snapshot(store)
    again = import_path(store, SYNTHEA)
    assert (again.inserted, again.updated) == (0, 0)
    assert again.unchanged == first.inserted
    after = snapshot(store)
    assert {t: after[t] for t in TABLES if t != "import_runs"} == {
        t: before[t] for t in TABLES if t != "import_runs"
    }


def test_a_changed_resource_replaces_its_rows(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "data.ndjson"
    write_ndjson(source, [PATIENT, observation("o1", 48.0)])
    import_path(store, source)
    write_ndjson(source, [PATIENT, observation("o1", 71.0)])
    summary = import_path(store, source)
    assert (summary.updated, summary.unchanged) == (1, 1)
    with store.session() as session:
        assert session.execute(text("SELECT value_num FROM observations")).scalars().all() == [71.0]


def test_an_encounter_keeps_its_priority(store: Store, tmp_path: Path) -> None:
    def encounter(encounter_id: str, start: str, priority: str | None) -> dict[str, Any]:
        resource: dict[str, Any] = {
            "resourceType": "Encounter",
            "id": encounter_id,
            "status": "finished",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
            "subject": {"reference": "Patient/p1"},
            "period": {"start": start, "end": "2025-03-05T10:00:00Z"},
        }
        if priority is not None:
            coding = {"system": "http://terminology.hl7.org/CodeSystem/v3-ActPriority", "code": priority}
            resource["priority"] = {"coding": [coding]}
        return resource

    source = tmp_path / "data.ndjson"
    write_ndjson(
        source,
        [
            PATIENT,
            encounter("e1", "2025-03-01T10:00:00Z", "EM"),
            encounter("e2", "2025-03-02T10:00:00Z", "EL"),
            encounter("e3", "2025-03-03T10:00:00Z", None),
        ],
    )
    assert import_path(store, source).quarantined == 0
    with store.session() as session:
        query = "SELECT fhir_id, encounter_class, priority FROM encounters ORDER BY fhir_id"
        rows = session.execute(text(query))
        assert [tuple(row) for row in rows] == [
            ("e1", "inpatient", "EM"),
            ("e2", "inpatient", "EL"),
            ("e3", "inpatient", None),
        ]


def test_references_may_point_to_an_earlier_import_or_later_in_the_same_file(
    store: Store, tmp_path: Path
) -> None:
    early = tmp_path / "early.ndjson"
    write_ndjson(early, [observation("o0", 50.0), PATIENT])  # the observation comes first
    assert import_path(store, early).quarantined == 0
    later = tmp_path / "later.ndjson"
    write_ndjson(later, [observation("o2", 52.0)])  # its patient came with the earlier import
    assert import_path(store, later).quarantined == 0
    assert count(store, "observations") == 2


def test_a_truncated_ndjson_file_aborts_the_import_and_leaves_the_store_as_it_was(
    store: Store, tmp_path: Path
) -> None:
    import_path(store, DK_EXAMPLES)
    before = snapshot(store)
    cut = tmp_path / "cut"
    shutil.copytree(SYNTHEA, cut)
    lines = gzip.decompress((cut / "Observation.ndjson.gz").read_bytes()).splitlines(keepends=True)
    partial = b"".join(lines[:5000]) + lines[5000][: len(lines[5000]) // 2]  # an interrupted download
    (cut / "Observation.ndjson.gz").write_bytes(gzip.compress(partial))
    with pytest.raises(MalformedInputError) as error:
        import_path(store, cut)
    assert error.value.file.endswith("Observation.ndjson.gz")
    assert error.value.line == 5001
    assert "Observation.ndjson.gz:5001" in str(error.value)
    assert snapshot(store) == before


def test_a_resource_of_the_wrong_shape_is_quarantined_and_named(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "mixed.ndjson"
    wrong = observation("o9", 5.0)
    wrong["subject"] = "Patient/p1"  # a string where a Reference belongs
    absurd = observation("o10", float("1e12"))
    orphan = observation("o11", 50.0, patient="nobody")
    write_ndjson(source, [PATIENT, observation("o1", 48.0), wrong, absurd, orphan])
    summary = import_path(store, source)
    assert summary.quarantined == 3
    assert count(store, "observations") == 1
    where = [w for w, _ in summary.quarantine_examples]
    assert where == ["mixed.ndjson:3", "mixed.ndjson:4", "mixed.ndjson:5"]
    reasons = " | ".join(r for _, r in summary.quarantine_examples)
    assert "subject" in reasons and "missing reference" in reasons
    with store.session() as session:
        rows = session.execute(text("SELECT file, line, fhir_id FROM quarantined_resources ORDER BY line"))
        assert rows.all() == [
            ("mixed.ndjson", 3, "o9"),
            ("mixed.ndjson", 4, "o10"),
            ("mixed.ndjson", 5, "o11"),
        ]


@pytest.mark.sqlcipher_only  # the file itself; the server's disk encryption is its IT's (docs)
def test_no_name_or_cpr_is_readable_in_the_database_or_its_wal(store: Store, tmp_path: Path) -> None:
    import_path(store, DK_EXAMPLES)
    import_path(store, SYNTHEA)
    # A small import last: it stays in the WAL (the big ones were folded into the database).
    source = tmp_path / "late.ndjson"
    write_ndjson(source, [PATIENT, observation("o1", 48.0)])
    import_path(store, source)
    with store.session() as session:
        session.execute(text("UPDATE patients SET municipality = 'Testrup' WHERE fhir_id = 'p1'"))
        names = session.execute(text("SELECT family, cpr, municipality FROM patients")).all()
    # Four random bytes match a four-letter name somewhere in ~15 MB of ciphertext about once in 300 tries
    # (Synthea has a dozen such names: ~5 % of runs failed for nothing); six letters, once in 10^7.
    markers = {n for row in names for n in row if n and len(n) >= 6}
    assert {"1112640001", "Meyerhofen", "Testesen", "0302504321", "Testrup"} <= markers
    assert len(markers) > 100
    wal = store.paths.db.with_name(store.paths.db.name + "-wal")
    assert wal.stat().st_size > 0, "the WAL is checked while it holds data"
    for f in [store.paths.db, wal]:
        content = f.read_bytes()
        for marker in markers:
            assert marker.encode() not in content, f"{marker!r} readable in {f.name}"
