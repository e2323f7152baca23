"""Blood pressure as Danish clinic systems and home measurement send it: a panel Observation whose
components carry the systolic and diastolic values (LOINC 85354-9 with 8480-6 / 8462-4, or the DNK codes
DNK05472 / DNK05473), MedCom home readings (MCS88019), and ICPC-2 extensions (K86.01). The importer stores
one row per component with the component's code (cockpit/fhir/mapping.py), so the indicators and the
overview count the systolic component as a systolic reading. Expectations hand-checked against the
reference definition HT-BP-12M (issue 16) and the NBV targets of HT-BP-ABOVE-TARGET."""

from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import text

from cockpit.fhir.importer import import_path
from cockpit.indicators.engine import evaluate
from cockpit.indicators.registry import PackRegistry
from cockpit.services.overview.labcatalogue import key_test_for
from cockpit.store import Store
from tests.indicators.fhir_fixtures import ICPC2, condition, patient

AS_OF = date(2025, 6, 30)
LOINC = "http://loinc.org"
NPU_OID = "urn:oid:1.2.208.176.2.1"
MEDCOM = "urn:oid:1.2.208.184.100.8"
UCUM = "http://unitsofmeasure.org"


def quantity(value: float) -> dict[str, Any]:
    return {"value": value, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"}


def panel(
    rid: str, pid: str, code: tuple[str, str], parts: list[tuple[str, str, float]], when: str
) -> dict[str, Any]:
    """A panel without a value of its own, one component per (system, code, value)."""
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "subject": {"reference": f"Patient/{pid}"},
        "code": {"coding": [{"system": code[0], "code": code[1]}]},
        "effectiveDateTime": when,
        "component": [
            {"code": {"coding": [{"system": system, "code": part}]}, "valueQuantity": quantity(value)}
            for system, part, value in parts
        ],
    }


def single(rid: str, pid: str, code: tuple[str, str], value: float, when: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "subject": {"reference": f"Patient/{pid}"},
        "code": {"coding": [{"system": code[0], "code": code[1]}]},
        "valueQuantity": quantity(value),
        "effectiveDateTime": when,
    }


RESOURCES = [
    # LOINC panel: systolic 142 on 01-05-2025 -> measured, above the target 135 (aged 65).
    patient("anna", "0101601234", "Anna", "Andersen", "1960-01-01"),
    condition("c-anna", "anna", ICPC2, "K86", "Hypertension ukompliceret"),
    panel(
        "bp-anna", "anna", (LOINC, "85354-9"), [(LOINC, "8480-6", 142), (LOINC, "8462-4", 88)], "2025-05-01"
    ),
    # A DNK-coded panel: systolic 128 -> measured, at target; the ICPC-2 code is an extension of K86.
    patient("bent", "0101601235", "Bent", "Berg", "1960-01-01"),
    condition("c-bent", "bent", ICPC2, "K86.01", "Hypertension ukompliceret"),
    panel(
        "bp-bent",
        "bent",
        (LOINC, "85354-9"),
        [(NPU_OID, "DNK05472", 128), (NPU_OID, "DNK05473", 79)],
        "2025-04-01",
    ),
    # Home BP from MedCom: systolic 150 -> measured, above the target 145 (aged 85).
    patient("carl", "0101401236", "Carl", "Carlsen", "1940-01-01"),
    condition("c-carl", "carl", ICPC2, "K87", "Hypertension med komplikationer"),
    single("bp-carl", "carl", (MEDCOM, "MCS88019"), 150, "2025-06-01"),
    # Only a diastolic reading, and a panel 13 months old -> not measured within 12 months.
    patient("dora", "0101601237", "Dora", "Dahl", "1960-01-01"),
    condition("c-dora", "dora", ICPC2, "K86", "Hypertension ukompliceret"),
    single("dia-dora", "dora", (NPU_OID, "DNK05473"), 95, "2025-06-01"),
    panel(
        "old-dora", "dora", (LOINC, "85354-9"), [(LOINC, "8480-6", 160), (LOINC, "8462-4", 95)], "2024-05-30"
    ),
]


@pytest.fixture
def filled(store: Store, tmp_path: Path) -> Store:
    source = tmp_path / "Bundle.ndjson"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in RESOURCES))
    assert import_path(store, source).quarantined == 0
    return store


def run(store: Store, indicator_id: str, population: int = 4) -> dict[str, list[str]]:
    result = evaluate(store, PackRegistry.load(None).indicator(indicator_id), AS_OF)
    assert result.population == population
    return {hit.name.split()[0]: hit.evidence for hit in result.hits}


def test_a_panel_is_stored_one_row_per_component_with_the_components_code(filled: Store) -> None:
    with filled.session() as session:
        rows = session.execute(
            text(
                "SELECT p.given, o.code_system, o.code, o.value_num FROM observations o "
                "JOIN patients p ON p.id = o.patient_id WHERE p.given IN ('Anna', 'Bent') "
                "ORDER BY p.given, o.code"
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("Anna", LOINC, "8462-4", 88.0),
        ("Anna", LOINC, "8480-6", 142.0),
        ("Bent", NPU_OID, "DNK05472", 128.0),
        ("Bent", NPU_OID, "DNK05473", 79.0),
    ]


def test_a_systolic_component_counts_as_blood_pressure_measured(filled: Store) -> None:
    assert run(filled, "HT-BP-12M") == {
        "Dora": ["Ingen blodtryk inden for 12 måneder (seneste 30-05-2024: 160 mmHg)"],
    }


def test_the_latest_systolic_component_is_compared_with_the_target(filled: Store) -> None:
    # Dora has no systolic value within 12 months: an outcome counts only the measured (population 3).
    assert run(filled, "HT-BP-ABOVE-TARGET", population=3) == {
        "Anna": ["Seneste systolisk blodtryk 142 mmHg den 01-05-2025 (mål < 135: hypertension under 80 år)"],
        "Carl": ["Seneste systolisk blodtryk 150 mmHg den 01-06-2025 (mål < 145: 80 år og derover)"],
    }


@pytest.mark.parametrize(
    ("system", "code", "key"),
    [
        (LOINC, "8480-6", "systolic"),
        (NPU_OID, "DNK05472", "systolic"),
        (MEDCOM, "MCS88019", "systolic"),
        (LOINC, "8462-4", "diastolic"),
        (NPU_OID, "DNK05473", "diastolic"),
        (MEDCOM, "MCS88020", "diastolic"),
        (NPU_OID, "DNK05462", None),  # diastolic lying: not the arm reading the targets are for
        (LOINC, "85354-9", None),  # the panel itself has no value
    ],
)
def test_the_overview_reads_the_same_codes(system: str, code: str, key: str | None) -> None:
    test = key_test_for(system, code)
    assert (test.key if test else None) == key
