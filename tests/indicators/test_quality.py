"""Data quality per indicator on a real store, with figures counted by hand from the resources below."""

from datetime import date
from pathlib import Path
from typing import Any

import orjson

from cockpit.fhir.importer import import_path
from cockpit.indicators.quality import DataQuality, assess, describe
from cockpit.indicators.registry import PackRegistry
from cockpit.store import Store
from tests.indicators.fhir_fixtures import ICPC2, condition, observation, patient, statement

AS_OF = date(2025, 6, 30)
LOINC = "http://loinc.org"
LOCAL = "urn:oid:1.2.208.999.1"  # a clinic system's own code for blood pressure


def _local_bp(rid: str, pid: str, value: float) -> dict[str, Any]:
    resource = observation(rid, pid, (LOCAL, "BT-SYS"), value, unit="mmHg", when="2025-03-03")
    resource["code"]["coding"][0]["display"] = "Blodtryk systolisk"
    return resource


def _fill(store: Store, folder: Path, resources: list[dict[str, Any]]) -> int:
    source = folder / "quality.ndjson"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in resources))
    return import_path(store, source).quarantined


def _assess(store: Store, indicator_id: str) -> DataQuality:
    registry = PackRegistry.load(None)
    with store.engine.connect() as conn:
        return assess(conn, registry.indicator(indicator_id), AS_OF, known=registry.value_sets())


def hypertensives() -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = []
    for number, given in enumerate(["Anna", "Bent", "Carl", "Dora"], start=1):
        resources += [
            patient(f"p{number}", f"01016012{number:02d}", given, "Hansen", "1960-01-15"),
            condition(f"c{number}", f"p{number}", ICPC2, "K86", "Hypertension"),
        ]
    resources += [
        observation("o1", "p1", (LOINC, "8480-6"), 150.0, unit="mm[Hg]", when="2025-03-03"),
        observation("o1b", "p1", (LOINC, "8480-6"), 20.0, unit="kPa", when="2025-04-04"),
        _local_bp("o2", "p2", 140.0),
        _local_bp("o3", "p3", 135.0),
    ]
    return resources


def test_blood_pressure_in_a_local_code_makes_the_list_unreliable(store: Store, tmp_path: Path) -> None:
    assert _fill(store, tmp_path, hypertensives()) == 0
    quality = _assess(store, "HT-BP-12M")
    assert quality.population == 4
    (coverage,) = quality.observations
    # Only Anna has a systolic pressure in a recognised code; Bent and Carl have the local code, Dora none.
    assert (coverage.population, coverage.with_data) == (4, 1)
    assert coverage.low
    assert [(seen.code, seen.display, seen.count) for seen in coverage.codes_seen] == [
        ("BT-SYS", "Blodtryk systolisk", 2)
    ]
    (warning,) = quality.warnings
    assert describe(warning, "da") == (
        "Ingen systolisk blodtryk i en kendt kode for 75 % af populationen;"
        " koder set: BT-SYS (Blodtryk systolisk)"
    )
    assert describe(warning, "en").startswith("No systolic blood pressure in a recognised code for 75 %")
    assert quality.as_json()["observations"][0]["share_with_data"] == 0.25


def test_a_value_in_a_unit_that_cannot_be_compared_is_counted(store: Store, tmp_path: Path) -> None:
    _fill(store, tmp_path, hypertensives())
    quality = _assess(store, "HT-BP-ABOVE-TARGET")
    units = [w for w in quality.warnings if w.kind == "units"]
    assert [w.figures["count"] for w in units] == [1]
    assert (
        describe(units[0], "da")
        == "1 værdi for systolisk blodtryk i en enhed, der ikke kan sammenlignes (kPa)"
    )


def test_drugs_without_atc_and_quarantined_statements(store: Store, tmp_path: Path) -> None:
    rxnorm = statement("m2", "p1", "855332", "Warfarin Sodium 5 MG", "2024-01-01")
    rxnorm["medicationCodeableConcept"]["coding"][0]["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm"
    nothing = {
        "resourceType": "MedicationStatement",
        "id": "m3",
        "status": "active",
        "subject": {"reference": "Patient/p1"},
        "effectivePeriod": {"start": "2024-01-01"},
    }
    resources = [
        patient("p1", "0101601201", "Erik", "Jensen", "1960-01-15"),
        statement("m1", "p1", "M01AE01", "Ibuprofen", "2025-05-01"),
        rxnorm,
        nothing,
    ]
    assert _fill(store, tmp_path, resources) == 1
    quality = _assess(store, "SAFE-NSAID-OAC")
    assert quality.population == 1
    assert quality.medications_without_atc == 1  # the warfarin in RxNorm; the ibuprofen has its ATC code
    assert quality.quarantined == 1
    assert [w.kind for w in quality.warnings] == ["medications_without_atc", "quarantined"]
    assert describe(quality.warnings[0], "en") == "1 current medication without an ATC code"


def test_a_well_coded_practice_has_no_warnings(store: Store, tmp_path: Path) -> None:
    resources = [
        *hypertensives()[:4],
        observation("o1", "p1", (LOINC, "8480-6"), 150.0, unit="mm[Hg]", when="2025-03-03"),
        observation("o2", "p2", (LOINC, "8480-6"), 130.0, unit="mmHg", when="2025-03-03"),
    ]
    _fill(store, tmp_path, resources)
    quality = _assess(store, "HT-BP-12M")
    assert quality.observations[0].with_data == 2
    assert quality.warnings == ()
