"""The engine on a real encrypted store filled through the FHIR importer: hand-written Danish resources
(SKS under the D-hierarchy URI, NPU under labterm.dk, ATC in MedicationStatement and MedicationRequest),
with hand-checked hits and evidence."""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from cockpit.indicators.engine import evaluate
from cockpit.indicators.registry import PackRegistry
from cockpit.indicators.service import IndicatorService
from cockpit.store import Store
from tests.indicators.fhir_fixtures import AS_OF, fill


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
        "Else": ["2 indlæggelser inden for 12 måneder: 01-09-2024, 01-06-2025"]
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
