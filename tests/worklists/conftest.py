"""A small generated practice (300 patients), written once per session and imported into a fresh
encrypted store per test (about a second), so each test may change its worklists freely."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, Final

import orjson
import pytest

from cockpit.demo.generator import generate_practice
from cockpit.fhir.importer import import_path
from cockpit.models import codes
from cockpit.privacy.identity import Actor, Role
from cockpit.store import Store

AS_OF: Final = date(2026, 11, 22)
NURSE: Final = Actor(user="anne", role=Role.NURSE, workstation="reception-1")
GP: Final = Actor(user="gitte", role=Role.GP, workstation="consultation-2")
SECRETARY: Final = Actor(user="sofie", role=Role.SECRETARY, workstation="reception-2")
ADMIN: Final = Actor(user="ada", role=Role.ADMIN, workstation="office")


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("worklists-demo")
    generate_practice(out, patients=300, seed=7, as_of=AS_OF)
    return out


@pytest.fixture
def practice(store: Store, demo_files: Path) -> Iterator[Store]:
    import_path(store, demo_files)
    yield store


def write_ndjson(path: Path, resources: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in resources))
    return path


def hba1c(rid: str, patient_fhir_id: str, value: float, when: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "subject": {"reference": f"Patient/{patient_fhir_id}"},
        "code": {"coding": [{"system": codes.NPU, "code": "NPU27300", "display": "B-Hæmoglobin A1c"}]},
        "valueQuantity": {"value": value, "unit": "mmol/mol"},
        "effectiveDateTime": when,
    }


def new_diabetic(pid: str, cpr: str, onset: str = "2026-10-01") -> list[dict[str, Any]]:
    """A patient who meets DM-HBA1C-12M (as of after ``onset``): adult, type 2 diabetes, never an HbA1c."""
    return [
        {
            "resourceType": "Patient",
            "id": pid,
            "birthDate": "1958-04-02",
            "gender": "male",
            "name": [{"family": "Testesen", "given": ["Ny"]}],
            "identifier": [{"system": codes.CPR, "value": cpr}],
        },
        {
            "resourceType": "Condition",
            "id": f"{pid}-t2d",
            "subject": {"reference": f"Patient/{pid}"},
            "code": {"coding": [{"system": codes.ICPC2, "code": "T90", "display": "Diabetes type 2"}]},
            "clinicalStatus": {"coding": [{"code": "active"}]},
            "onsetDateTime": onset,
        },
    ]
