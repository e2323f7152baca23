"""Every generated resource fits a real importer: known codes, resolvable references, valid ids, no date
after the as-of date, finite values, CPR numbers that match birth date and sex."""

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from cockpit.demo.cpr import is_synthetic_for, passes_modulus_11
from cockpit.demo.vocabulary import CODE_TABLES
from cockpit.fhir.mapping import map_resource
from cockpit.fhir.types import ResourceDoesNotFit
from cockpit.models import codes
from tests.demo.conftest import AS_OF
from tests.demo.export import Practice

FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}(T[0-9:]{8}(Z|[+-]\d{2}:\d{2}))?")
HTEST = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
    "code": "HTEST",
    "display": "test health data",
}


def _every_resource(demo: Practice) -> list[tuple[str, dict[str, object]]]:
    return [(kind, resource) for kind, items in demo.resources.items() for resource in items]


@dataclass
class Audit:
    """What one walk over every value of every resource found (one pass keeps the tests fast)."""

    codings: int = 0
    unknown_codes: Counter[str] = field(default_factory=Counter)
    wrong_displays: list[str] = field(default_factory=list)
    references: int = 0
    unresolved: list[str] = field(default_factory=list)
    dates_out_of_range: list[str] = field(default_factory=list)
    latest: datetime = datetime(1900, 1, 1, tzinfo=UTC)
    bad_values: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def audit(demo: Practice) -> Audit:
    found = Audit()
    known = {f"{kind}/{resource['id']}" for kind, items in demo.resources.items() for resource in items}
    cut_off = datetime(AS_OF.year, AS_OF.month, AS_OF.day, tzinfo=UTC)
    first_day = date(1900, 1, 1)

    def check(value: object, key: str, kind: str) -> None:
        """One value under ``key`` (the name of its field); errors are named kind.key."""
        if isinstance(value, dict):
            if "system" in value and "code" in value:
                found.codings += 1
                table = CODE_TABLES.get(str(value["system"]), {})
                if value["code"] not in table:
                    found.unknown_codes[f"{value['system']}|{value['code']}"] += 1
                elif "display" in value and value["display"] != table[str(value["code"])]:
                    found.wrong_displays.append(f"{kind}.{key}")
            for name, item in value.items():
                check(item, name, kind)
        elif isinstance(value, list):
            for item in value:
                check(item, key, kind)
        elif isinstance(value, str):
            if not value or value.strip() != value:
                found.bad_values.append(f"{kind}.{key} is blank or padded")
            if key == "reference":
                found.references += 1
                if value not in known:
                    found.unresolved.append(f"{kind}.{key} -> {value}")
            elif value[:1].isdigit() and DATE_LIKE.fullmatch(value):
                if not first_day <= date.fromisoformat(value[:10]) <= AS_OF:
                    found.dates_out_of_range.append(f"{kind}.{key} = {value}")
                if len(value) > 10 and key != "lastUpdated":
                    moment = datetime.fromisoformat(value)
                    if moment >= cut_off:
                        found.dates_out_of_range.append(f"{kind}.{key} = {value}")
                    found.latest = max(found.latest, moment)
        elif value is None or (isinstance(value, float) and not math.isfinite(value)):
            found.bad_values.append(f"{kind}.{key} = {value}")

    for kind, resource in _every_resource(demo):
        for key, value in resource.items():
            if key != "meta":  # the same everywhere: test_every_resource_is_tagged_as_test_data
                check(value, key, kind)
    return found


def test_every_coding_and_unit_belongs_to_the_table_of_its_system(audit: Audit) -> None:
    assert audit.codings > 100_000
    assert not audit.unknown_codes, audit.unknown_codes.most_common(10)
    assert not audit.wrong_displays[:10]


def test_ids_are_valid_and_unique_per_type(demo: Practice) -> None:
    for kind, items in demo.resources.items():
        ids = [resource["id"] for resource in items]
        assert all(FHIR_ID.fullmatch(rid) for rid in ids), kind
        assert len(set(ids)) == len(ids), kind


def test_every_reference_points_to_a_generated_resource(demo: Practice, audit: Audit) -> None:
    assert audit.references > len(demo.resources["Observation"])
    assert not audit.unresolved[:10]
    for kind, resource in _every_resource(demo):
        if kind not in {"Patient", "Practitioner", "Organization", "Medication"}:
            assert str(resource["subject"]["reference"]).startswith("Patient/")  # type: ignore[index]


def test_no_date_after_the_as_of_date_or_before_1900(audit: Audit) -> None:
    """Dates fall on or before as_of; times (with their offset) before as_of's midnight UTC, which is
    what meta.lastUpdated and the manifest's transactionTime say."""
    assert not audit.dates_out_of_range[:10]
    assert audit.latest.date() == AS_OF - timedelta(days=1), "events run up to the day before as_of"


def test_values_are_finite_and_nothing_is_null_or_blank(audit: Audit) -> None:
    assert not audit.bad_values[:10]


def test_periods_end_after_they_start(demo: Practice) -> None:
    for statement in demo.resources["MedicationStatement"]:
        if "effectivePeriod" not in statement:  # an FMK-style current drug without a start date
            assert statement["status"] == "active"
            continue
        period = statement["effectivePeriod"]
        assert ("end" in period) == (statement["status"] == "completed")
        assert period.get("end", period["start"]) >= period["start"]
    for encounter in demo.resources["Encounter"]:
        start = datetime.fromisoformat(encounter["period"]["start"])
        assert datetime.fromisoformat(encounter["period"]["end"]) >= start
    for condition in demo.resources["Condition"]:
        resolved = condition["clinicalStatus"]["coding"][0]["code"] == "resolved"
        assert ("abatementDateTime" in condition) == resolved
        assert condition.get("abatementDateTime", condition["onsetDateTime"]) >= condition["onsetDateTime"]


def test_every_resource_is_tagged_as_test_data(demo: Practice) -> None:
    for kind, resource in _every_resource(demo):
        meta = resource["meta"]
        assert meta == {"versionId": "1", "lastUpdated": "2025-06-01T00:00:00Z", "tag": [HTEST]}, kind


def test_cpr_numbers_match_birth_date_and_sex_and_are_marked_synthetic(demo: Practice) -> None:
    numbers = []
    for patient in demo.resources["Patient"]:
        [identifier] = patient["identifier"]
        assert identifier["system"] == codes.CPR
        cpr = identifier["value"]
        numbers.append(cpr)
        assert re.fullmatch(r"\d{10}", cpr)
        assert cpr[:6] == date.fromisoformat(patient["birthDate"]).strftime("%d%m%y")
        assert is_synthetic_for(cpr, date.fromisoformat(patient["birthDate"]), patient["gender"] == "male")
        assert not passes_modulus_11(cpr)
    assert len(set(numbers)) == len(numbers)


def test_patients_are_listed_with_a_gp_of_the_practice(demo: Practice) -> None:
    gps = {gp["id"]: gp for gp in demo.resources["Practitioner"]}
    assert 3 <= len(gps) <= 6
    listed: Counter[str] = Counter()
    for patient in demo.resources["Patient"]:
        [link] = patient["generalPractitioner"]
        gp = gps[link["reference"].removeprefix("Practitioner/")]
        assert link["identifier"] == gp["identifier"][0]
        assert re.fullmatch(r"\d{6}", link["identifier"]["value"])
        assert link["identifier"]["system"] == codes.YDERNUMMER
        assert link["display"] == gp["name"][0]["text"]
        assert patient["address"][0]["district"] in {"Aarhus", "Skanderborg", "Favrskov", "Syddjurs"}
        listed[gp["id"]] += 1
    assert len(listed) == len(gps)


def _names_no_drug(resource: dict[str, Any]) -> bool:
    """A statement that carries no drug name of its own: by reference to a Medication resource, or an ATC
    coding without display or text."""
    concept = resource.get("medicationCodeableConcept")
    return "medicationReference" in resource or (
        isinstance(concept, dict) and "text" not in concept and "display" not in concept["coding"][0]
    )


def test_the_importer_maps_every_resource_without_quarantine(demo: Practice) -> None:
    """cockpit/fhir/mapping.py keeps every generated resource (first 1,000 patients, every type).

    Until the mapping names drugs from the ATC catalogue and resolves Medication references (issue 16,
    the "drugs" work), statements without a drug name of their own may be refused; nothing else may be.
    """
    patients = set(demo.patients[:1000])
    kept = refused = 0
    for kind, resource in _every_resource(demo):
        subject = resource.get("subject")
        if isinstance(subject, dict) and subject["reference"].removeprefix("Patient/") not in patients:
            continue
        if kind in {"Practitioner", "Organization", "Medication"}:
            continue
        try:
            mapped = map_resource(resource, AS_OF)
        except ResourceDoesNotFit:
            assert kind == "MedicationStatement" and _names_no_drug(resource), kind
            refused += 1
            continue
        assert mapped is not None, kind
        kept += 1
    assert kept > 10_000
