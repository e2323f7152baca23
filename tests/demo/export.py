"""Reading a generated demo export back, with the look-ups the tests need (by patient, by code)."""

import gc
import gzip
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

from cockpit.demo.output import RESOURCE_TYPES, file_name

Resource = dict[str, Any]


def read_export(out_dir: Path) -> dict[str, list[Resource]]:
    resources = {}
    for resource_type in RESOURCE_TYPES:
        data = gzip.decompress((out_dir / file_name(resource_type)).read_bytes())
        resources[resource_type] = [orjson.loads(line) for line in data.splitlines()]
    return resources


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def patient_id(resource: Resource) -> str:
    reference: str = resource["subject"]["reference"]
    return reference.removeprefix("Patient/")


def first_code(concept: Resource) -> str:
    code: str = concept["coding"][0]["code"]
    return code


# The demo's blood-pressure codes: a reading is one of these, as an Observation or a panel's component.
SYSTOLIC = ("8480-6", "DNK05472", "MCS88019")
DIASTOLIC = ("8462-4", "DNK05473", "MCS88020")


def codes_of(observation: Resource) -> list[str]:
    """The Observation's own code and its components' codes (a BP panel counts as its parts)."""
    return [
        first_code(observation["code"]),
        *(first_code(c["code"]) for c in observation.get("component", ())),
    ]


@dataclass
class Practice:
    """A generated practice, indexed by patient."""

    as_of: date
    resources: dict[str, list[Resource]]
    age: dict[str, int] = field(default_factory=dict)
    male: dict[str, bool] = field(default_factory=dict)
    active_conditions: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    conditions: dict[str, list[Resource]] = field(default_factory=lambda: defaultdict(list))
    medications: dict[str, list[Resource]] = field(default_factory=lambda: defaultdict(list))
    observations: dict[str, list[Resource]] = field(default_factory=lambda: defaultdict(list))
    encounters: dict[str, list[Resource]] = field(default_factory=lambda: defaultdict(list))
    home_care: dict[str, list[Resource]] = field(default_factory=lambda: defaultdict(list))
    medication_codes: dict[str, str] = field(default_factory=dict)  # "Medication/<id>" -> ATC

    @classmethod
    def load(cls, out_dir: Path, as_of: date) -> "Practice":
        # Millions of new, acyclic objects would make the cyclic GC rescan the growing heap again and
        # again (4x the time); they are freed by reference counting anyway.
        gc.disable()
        try:
            return cls._load(out_dir, as_of)
        finally:
            gc.enable()

    @classmethod
    def _load(cls, out_dir: Path, as_of: date) -> "Practice":
        practice = cls(as_of, read_export(out_dir))
        for medication in practice.resources["Medication"]:
            practice.medication_codes[f"Medication/{medication['id']}"] = first_code(medication["code"])
        for patient in practice.resources["Patient"]:
            practice.age[patient["id"]] = age_on(date.fromisoformat(patient["birthDate"]), as_of)
            practice.male[patient["id"]] = patient["gender"] == "male"
        for condition in practice.resources["Condition"]:
            if first_code(condition["clinicalStatus"]) == "active":
                practice.active_conditions[patient_id(condition)].add(first_code(condition["code"]))
        for kind, index in (
            ("Condition", practice.conditions),
            ("MedicationStatement", practice.medications),
            ("Observation", practice.observations),
            ("Encounter", practice.encounters),
            ("ServiceRequest", practice.home_care),
        ):
            for resource in practice.resources[kind]:
                index[patient_id(resource)].append(resource)
        return practice

    @property
    def patients(self) -> list[str]:
        return list(self.age)

    def aged(self, low: int, high: int = 200) -> list[str]:
        return [pid for pid, age in self.age.items() if low <= age <= high]

    def has(self, pid: str, *codes: str) -> bool:
        """An active Condition with one of ``codes`` (exact, or an SKS prefix like "DN18")."""
        return any(code.startswith(codes) for code in self.active_conditions.get(pid, ()))

    def drug(self, statement: Resource) -> str:
        """The statement's ATC code, from its own concept or from the Medication it refers to."""
        reference = statement.get("medicationReference")
        if reference is not None:
            return self.medication_codes[reference["reference"]]
        return first_code(statement["medicationCodeableConcept"])

    def active_drugs(self, pid: str) -> set[str]:
        return {
            self.drug(statement)
            for statement in self.medications.get(pid, ())
            if statement["status"] == "active"
        }

    def on(self, pid: str, *prefixes: str) -> bool:
        return any(atc.startswith(prefixes) for atc in self.active_drugs(pid))

    def first_start(self, pid: str, *prefixes: str) -> date | None:
        """The earliest known start (statements sent without a start date, FMK-style, do not count)."""
        starts = [
            date.fromisoformat(statement["effectivePeriod"]["start"])
            for statement in self.medications.get(pid, ())
            if "effectivePeriod" in statement and self.drug(statement).startswith(prefixes)
        ]
        return min(starts, default=None)

    def started_within(self, pid: str, atc: str, days: int) -> bool:
        since = (self.as_of - timedelta(days=days)).isoformat()
        return any(
            self.drug(statement) == atc
            and "effectivePeriod" in statement
            and statement["effectivePeriod"]["start"] >= since
            for statement in self.medications.get(pid, ())
        )

    def results(self, pid: str, code: str) -> list[Resource]:
        """Observations of ``code`` (or with a component of ``code``) in time order."""
        found = [o for o in self.observations.get(pid, ()) if code in codes_of(o)]
        return sorted(found, key=lambda o: str(o["effectiveDateTime"]))

    def measured_within(self, pid: str, code: str | tuple[str, ...], days: int) -> bool:
        since = (self.as_of - timedelta(days=days)).isoformat()
        wanted = (code,) if isinstance(code, str) else code
        return any(o["effectiveDateTime"] >= since for c in wanted for o in self.results(pid, c))

    def acute_admissions_within(self, pid: str, days: int) -> int:
        since = (self.as_of - timedelta(days=days)).isoformat()
        return sum(
            1
            for encounter in self.encounters.get(pid, ())
            if first_code(encounter["type"][0]) == "inpatient"
            and first_code(encounter["priority"]) == "EM"
            and encounter["period"]["start"] >= since
        )
