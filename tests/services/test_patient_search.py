"""Finding a patient: by the start of any name, by CPR (with or without the dash, or its start), by birth
date, and by any part of a name when nothing starts with what was typed."""

from pathlib import Path
from typing import Any

import orjson
import pytest

from cockpit.fhir.importer import import_path
from cockpit.services.patients import PatientService
from cockpit.store import Store


def _patient(pid: str, given: str, family: str, cpr: str, born: str) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": pid,
        "gender": "female",
        "birthDate": born,
        "name": [{"use": "official", "family": family, "given": given.split()}],
        "identifier": [{"system": "urn:oid:1.2.208.176.1.2", "value": cpr}],
    }


@pytest.fixture
def patients(store: Store, tmp_path: Path) -> PatientService:
    source = tmp_path / "patients.ndjson"
    people = [
        _patient("a", "Anne Marie", "Sørensen-Holm", "0101501234", "1950-01-01"),
        _patient("b", "Annette", "Andersen", "0202602345", "1960-02-02"),
        _patient("c", "Bo", "Christensen", "0303703456", "1970-03-03"),
    ]
    source.write_bytes(b"".join(orjson.dumps(p) + b"\n" for p in people))
    import_path(store, source)
    return PatientService(store)


def names(found: list[Any]) -> list[str]:
    return [p.name for p in found]


def test_the_start_of_any_name_part_finds_the_patient(patients: PatientService) -> None:
    assert names(patients.search("ann")) == ["Annette Andersen", "Anne Marie Sørensen-Holm"]
    assert names(patients.search("holm")) == ["Anne Marie Sørensen-Holm"]  # a double-barrelled name
    assert names(patients.search("MARIE sør")) == ["Anne Marie Sørensen-Holm"]  # every word must match


def test_cpr_with_or_without_the_dash_or_its_start(patients: PatientService) -> None:
    assert names(patients.search("020260-2345")) == ["Annette Andersen"]
    assert names(patients.search("0202602345")) == ["Annette Andersen"]
    assert names(patients.search("030370")) == ["Bo Christensen"]


def test_birth_date_in_danish_or_iso_form(patients: PatientService) -> None:
    assert names(patients.search("03-03-1970")) == ["Bo Christensen"]
    assert names(patients.search("1950-01-01")) == ["Anne Marie Sørensen-Holm"]


def test_part_of_a_name_when_nothing_starts_with_it(patients: PatientService) -> None:
    everyone = ["Annette Andersen", "Bo Christensen", "Anne Marie Sørensen-Holm"]
    assert names(patients.search("sen")) == everyone
    assert names(patients.search("ersen")) == ["Annette Andersen"]
    assert patients.search("zzz") == []


def test_like_wildcards_are_taken_literally(patients: PatientService) -> None:
    assert patients.search("%") == []
    assert patients.search("_") == []
