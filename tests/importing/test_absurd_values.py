"""Absurd values in otherwise well-formed FHIR: each bad resource is quarantined with its reason, the rest
are imported, and both stores behave the same (PostgreSQL enforces column lengths and refuses NUL
characters; SQLite would have stored anything)."""

from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import text

from cockpit.fhir.importer import import_path
from cockpit.store import Store

PATIENT = {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1950-01-01"}
SUBJECT = {"reference": "Patient/p1"}
LOINC_HBA1C = {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]}


def observation(rid: str, **fields: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "subject": SUBJECT,
        "code": LOINC_HBA1C,
        "valueQuantity": {"value": 50, "unit": "mmol/mol"},
        "effectiveDateTime": "2025-01-01",
        **fields,
    }


ABSURD: list[dict[str, Any]] = [
    {**PATIENT, "id": "p" + "1" * 80},  # not a FHIR id: its quarantine row keeps the first 64 characters
    {**PATIENT, "id": "p2", "meta": {"versionId": "v" * 100}},
    observation("o-status", status="s" * 40),
    observation("o-interpretation", interpretation=[{"coding": [{"code": "H" * 30}]}]),
    {
        "resourceType": "Condition",
        "id": "c-status",
        "subject": SUBJECT,
        "clinicalStatus": {"coding": [{"code": "a" * 50}]},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "44054006"}]},
    },
    observation("o-nul", valueQuantity={"value": 50, "unit": "mmol\u0000mol"}),
]
UNKNOWN_TYPE = {"resourceType": "R" * 100, "id": "x"}  # not a type the cockpit keeps: skipped, as a Claim
# An unknown encounter class, however long, is mapped to a kind the cockpit knows: kept, not absurd.
ODD_CLASS = {
    "resourceType": "Encounter",
    "id": "e-class",
    "status": "finished",
    "class": {"code": "A" * 40},
    "subject": SUBJECT,
    "period": {"start": "2025-01-01"},
}
GOOD = [PATIENT, observation("o-good"), ODD_CLASS]


def test_absurd_values_are_quarantined_one_by_one_and_the_rest_imported(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "absurd"
    folder.mkdir()
    (folder / "data.ndjson").write_bytes(
        b"".join(orjson.dumps(r) + b"\n" for r in [*GOOD, *ABSURD, UNKNOWN_TYPE])
    )
    summary = import_path(store, folder)
    assert summary.inserted == len(GOOD)
    assert summary.quarantined == len(ABSURD)
    assert sum(summary.skipped_by_type.values()) == 1
    reasons = dict(summary.quarantine_examples)
    assert all(reasons.values())
    with store.session() as session:
        kept = session.execute(text("SELECT fhir_id FROM observations")).scalars().all()
        quarantined = session.execute(text("SELECT count(*) FROM quarantined_resources")).scalar_one()
    assert kept == ["o-good"]
    assert quarantined == len(ABSURD)
