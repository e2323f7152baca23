"""Units as clinic systems send them ("mmol/l", "mL/min/1.73m2", "mm Hg") are compared like the value set's
own spelling, in the engine's SQL on both stores; a unit that cannot be converted is never guessed at."""

from pathlib import Path

import orjson

from cockpit.fhir.importer import import_path
from cockpit.indicators.engine import evaluate
from cockpit.indicators.registry import PackRegistry
from cockpit.store import Store
from tests.indicators.fhir_fixtures import AS_OF, ICPC2, condition, observation, patient, statement

NPU_OID = "urn:oid:1.2.208.176.2.1"
LOINC = "http://loinc.org"


def _fill(store: Store, folder: Path, resources: list[dict[str, object]]) -> None:
    source = folder / "units.ndjson"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in resources))
    assert import_path(store, source).quarantined == 0


def _hits(store: Store, indicator_id: str) -> dict[str, list[str]]:
    result = evaluate(store, PackRegistry.load(None).indicator(indicator_id), AS_OF)
    return {hit.name.split()[0]: hit.evidence for hit in result.hits}


def test_egfr_in_danish_spellings_is_compared(store: Store, tmp_path: Path) -> None:
    resources: list[dict[str, object]] = []
    # (given name, eGFR value, unit as the laboratory wrote it); the limit is < 45.
    for number, (given, value, unit) in enumerate(
        [
            ("Anna", 38.0, "mL/min/1.73m2"),  # US-style spelling: low, a hit
            ("Bent", 40.0, "ml/min/1,73 m²"),  # Danish spelling: low, a hit
            ("Carl", 52.0, "mL/min/1.73m2"),  # not low
            ("Dora", 30.0, "mg/dL"),  # not an eGFR unit: never guessed at, so no hit
        ],
        start=1,
    ):
        pid = f"p{number}"
        resources += [
            patient(pid, f"01015012{number:02d}", given, "Hansen", "1950-01-15"),
            statement(f"m{number}", pid, "M01AE01", "Ibuprofen", "2025-05-01"),
            observation(f"o{number}", pid, (NPU_OID, "DNK35302"), value, unit=unit, when="2025-04-01"),
        ]
    _fill(store, tmp_path, resources)
    hits = _hits(store, "SAFE-NSAID-EGFR")
    assert sorted(hits) == ["Anna", "Bent"]
    assert hits["Bent"][-1] == "Seneste eGFR 40 mL/min/1,73 m² den 01-04-2025"


def test_systolic_pressure_written_mm_hg(store: Store, tmp_path: Path) -> None:
    resources: list[dict[str, object]] = [
        patient("p1", "0101601201", "Erik", "Jensen", "1960-01-15"),
        condition("c1", "p1", ICPC2, "K86", "Hypertension"),
        observation("o1", "p1", (LOINC, "8480-6"), 150.0, unit="mm Hg", when="2025-03-03"),
    ]
    _fill(store, tmp_path, resources)
    assert (
        _hits(store, "HT-BP-ABOVE-TARGET")["Erik"][-1]
        == "Seneste systolisk blodtryk 150 mmHg den 03-03-2025 (mål < 135: hypertension under 80 år)"
    )
