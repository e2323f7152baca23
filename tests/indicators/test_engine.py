"""The engine on a real encrypted store filled through the FHIR importer: hand-written Danish resources
(SKS under the D-hierarchy URI, NPU under labterm.dk, ATC in MedicationStatement and MedicationRequest),
with hand-checked hits and evidence."""

from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import text

from cockpit.fhir.importer import import_path
from cockpit.indicators.engine import evaluate
from cockpit.indicators.registry import PackRegistry
from cockpit.indicators.service import IndicatorService
from cockpit.store import Store
from tests.indicators.fhir_fixtures import AS_OF, admission, fill, patient


@pytest.fixture
def filled(store: Store, tmp_path: Path) -> Store:
    return fill(store, tmp_path)


def ids_by_name(store: Store) -> dict[str, int]:
    with store.session() as session:
        return {name: pid for pid, name in session.execute(text("SELECT id, given FROM patients"))}


def run(store: Store, indicator_id: str, **kwargs: Any) -> dict[str, list[str]]:
    result = evaluate(store, PackRegistry.load(None).indicator(indicator_id), AS_OF, **kwargs)
    return {hit.name.split()[0]: hit.evidence for hit in result.hits}


def test_hba1c_high_in_mmol_mol_and_converted_from_percent(filled: Store) -> None:
    assert run(filled, "DM-HBA1C-HIGH") == {
        "Else": ["Seneste HbA1c 81 mmol/mol den 01-03-2025"],
        "Mia": ["Seneste HbA1c 77 mmol/mol den 05-05-2025 (målt som 9,2 %)"],
    }


def test_a_practice_threshold_changes_the_hits(filled: Store) -> None:
    assert set(run(filled, "DM-HBA1C-HIGH", thresholds={"limit": 80})) == {"Else"}


def test_nsaid_with_anticoagulant_shows_both_drugs(filled: Store) -> None:
    assert run(filled, "SAFE-NSAID-OAC") == {
        "Else": [
            "NSAID: Ibuprofen (M01AE01) fra 01-05-2025",
            "Oral antikoagulans: Apixaban (B01AF02) fra 01-01-2023",
        ]
    }


def test_a_stopped_prescription_without_end_is_not_a_statin(filled: Store) -> None:
    assert run(filled, "IHD-STATIN") == {
        "Hans": [
            "Iskæmisk hjertesygdom: Angina pectoris (K74) siden 01-04-2015",
            "Ingen aktiv statin den 30-06-2025 (seneste: Simvastatin (C10AA01) fra 01-01-2020, stoppet)",
        ]
    }


def test_admissions_are_counted_by_their_utc_start(filled: Store) -> None:
    assert run(filled, "UTIL-ADM-12M") == {
        "Else": ["2 akutte indlæggelser inden for 12 måneder: 01-09-2024, 01-06-2025"]
    }


def test_one_patients_attention_panel(filled: Store) -> None:
    ids = ids_by_name(filled)
    service = IndicatorService(filled)
    found = {(a.indicator.id, a.hit.name) for a in service.attention(ids["Else"], AS_OF)}
    assert found == {
        ("DM-HBA1C-HIGH", "Else Lauridsen"),
        ("DM-UACR-24M", "Else Lauridsen"),
        ("DM-BP-12M", "Else Lauridsen"),
        ("DM-LIPID", "Else Lauridsen"),
        ("SAFE-NSAID-OAC", "Else Lauridsen"),
        ("SAFE-NSAID-65-PPI", "Else Lauridsen"),
        ("UTIL-ADM-12M", "Else Lauridsen"),
    }
    assert service.attention(ids["Hans"], AS_OF)[0].hit.cpr == "0101401234"


def _contact(rid: str, act_code: str, start: str, end: str, priority: str | None = None) -> dict[str, Any]:
    resource = {**admission(rid, "karl", start), "class": {"code": act_code}}
    resource["period"] = {"start": start, "end": end}
    del resource["type"]  # the class alone decides (v3 ActCode)
    if priority is not None:
        system = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"
        resource["priority"] = {"coding": [{"system": system, "code": priority}]}
    return resource


def test_acute_stays_from_fhir_priority_and_periods(store: Store, tmp_path: Path) -> None:
    """Planned (EL) is left out; an emergency visit and the admission it led to, then a transfer to a
    non-acute ward the next day (NONAC), are one stay; an ACUTE admission 5 days later is a second stay and
    a readmission."""
    resources = [
        patient("karl", "0505501234", "Karl", "Kristensen", "1950-05-05"),
        _contact("k1", "IMP", "2024-10-01T08:00:00Z", "2024-10-04T10:00:00Z", "EL"),
        _contact("k2", "EMER", "2025-02-01T18:00:00Z", "2025-02-01T22:00:00Z", "EM"),
        _contact("k3", "IMP", "2025-02-01T22:30:00Z", "2025-02-03T10:00:00Z", "EM"),
        _contact("k4", "NONAC", "2025-02-04T12:00:00Z", "2025-02-10T10:00:00Z"),
        _contact("k5", "ACUTE", "2025-02-15T09:00:00Z", "2025-02-17T10:00:00Z"),
    ]
    source = tmp_path / "karl.ndjson"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in resources))
    assert import_path(store, source).quarantined == 0

    assert run(store, "UTIL-ADM-12M") == {
        "Karl": ["2 akutte indlæggelser inden for 12 måneder: 01-02-2025, 15-02-2025"]
    }
    readmission = "15-02-2025 (5 dage efter udskrivelse 10-02-2025)"
    assert run(store, "UTIL-READMIT-30D") == {
        "Karl": [f"Akutte genindlæggelser inden for 12 måneder (1): {readmission}"]
    }
    assert run(store, "UTIL-ED-12M") == {}  # 2 acute stays, not 3
