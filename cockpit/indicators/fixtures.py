"""A pack's fixtures, run against a throwaway in-memory database with the store's own tables.

Each fixture is a handful of synthetic patients and, per indicator, who should be in the population,
who should be a hit and (optionally) the exact evidence lines. A pack whose fixtures fail is refused
at import, and under COCKPIT_DEV_PACKS=1 on every load, so a wrong edit cannot slip in unnoticed.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

from sqlalchemy import Connection, create_engine, insert
from sqlalchemy.pool import StaticPool

from cockpit.indicators.engine import evaluate, population_ids
from cockpit.indicators.errors import PackFixtureError
from cockpit.indicators.model import Fixture, FixturePatient, Pack
from cockpit.indicators.sqlbase import CONDITIONS, ENCOUNTERS, MEDICATIONS, OBSERVATIONS, PATIENTS
from cockpit.models.base import Base

TABLES: Final = (PATIENTS, CONDITIONS, MEDICATIONS, OBSERVATIONS, ENCOUNTERS)


@dataclass(frozen=True, slots=True)
class FixtureFailure:
    fixture: str
    line: int | None
    indicator_id: str
    detail: str

    def __str__(self) -> str:
        return f"fixture {self.fixture!r}: {self.indicator_id}: {self.detail}"


def check_fixtures(pack: Pack) -> None:
    """Raise ``PackFixtureError`` naming the first failing fixture (and how many failed)."""
    failures = run_fixtures(pack)
    if failures:
        first = failures[0]
        where = f"{pack.path}:{first.line}" if first.line is not None else str(pack.path)
        more = f" ({len(failures) - 1} more failing)" if len(failures) > 1 else ""
        raise PackFixtureError(f"{where}: {first}{more}; the pack was refused")


def run_fixtures(pack: Pack) -> list[FixtureFailure]:
    failures: list[FixtureFailure] = []
    for fixture in pack.fixtures:
        with fixture_database(fixture.patients) as (conn, ids):
            failures.extend(_check(pack, fixture, conn, ids))
    return failures


def run_fixture_in(conn: Connection, pack: Pack, fixture: Fixture) -> list[FixtureFailure]:
    """One fixture against an open connection to a store with no patients yet (the test suite runs the
    built-in packs' fixtures on SQLCipher and PostgreSQL this way); the caller rolls it back."""
    return list(_check(pack, fixture, conn, _insert(conn, fixture.patients)))


@contextmanager
def fixture_database(patients: tuple[FixturePatient, ...]) -> Iterator[tuple[Connection, dict[str, int]]]:
    """An in-memory database holding ``patients``; yields it and the fixture key -> patient id map."""
    engine = create_engine("sqlite://", poolclass=StaticPool)
    try:
        Base.metadata.create_all(engine, tables=list(TABLES))
        with engine.begin() as conn:
            ids = _insert(conn, patients)
            yield conn, ids
    finally:
        engine.dispose()


def _insert(conn: Connection, patients: tuple[FixturePatient, ...]) -> dict[str, int]:
    ids: dict[str, int] = {}
    tables = {table.name: table for table in TABLES}
    for number, patient in enumerate(patients, start=1):
        ids[patient.key] = number
        conn.execute(
            insert(PATIENTS),
            {
                "id": number,
                "cpr": None,
                "name": patient.key,
                "search_text": patient.key,
                "birth_date": patient.birth_date,
                "sex": patient.sex,
                "deceased": patient.deceased,
                "deceased_date": patient.deceased_date,
                **_provenance("Patient", patient.key),
            },
        )
        for index, record in enumerate(patient.records):
            fhir_type = {"conditions": "Condition", "medications": "MedicationStatement"}.get(
                record.table, record.table.title()[:-1]
            )
            row = {"patient_id": number, **record.values, **_provenance(fhir_type, f"{patient.key}-{index}")}
            if record.table == "observations":
                row["part"] = 0
            conn.execute(insert(tables[record.table]), row)
    return ids


def _provenance(fhir_type: str, fhir_id: str) -> dict[str, object]:
    return {"source": "fixture", "fhir_type": fhir_type, "fhir_id": fhir_id, "content_hash": "fixture"}


def _check(pack: Pack, fixture: Fixture, conn: Connection, ids: dict[str, int]) -> Iterator[FixtureFailure]:
    keys = {number: key for key, number in ids.items()}
    for indicator_id, expected in fixture.expect.items():
        indicator = pack.indicator(indicator_id)
        assert indicator is not None  # checked when the pack was built
        result = evaluate(conn, indicator, fixture.as_of, thresholds=expected.thresholds)

        def fail(detail: str, indicator_id: str = indicator_id) -> FixtureFailure:
            return FixtureFailure(fixture.name, fixture.line, indicator_id, detail)

        hits = {keys[hit.patient_id] for hit in result.hits}
        if hits != expected.hits:
            yield fail(f"hits were {_names(hits)}, expected {_names(expected.hits)}")
        if expected.population is not None:
            population = {
                keys[i] for i in population_ids(conn, indicator, fixture.as_of, expected.thresholds)
            }
            if population != expected.population:
                yield fail(f"population was {_names(population)}, expected {_names(expected.population)}")
        if expected.prescriptions is not None:
            counts = result.prescriptions
            got = None if counts is None else (counts.counted, counts.found)
            if got != expected.prescriptions:
                yield fail(f"prescriptions (counted, found) were {got}, expected {expected.prescriptions}")
        for hit in result.hits:
            wanted = expected.evidence.get(keys[hit.patient_id])
            if wanted is not None and tuple(hit.evidence) != wanted:
                yield fail(f"evidence for {keys[hit.patient_id]} was {hit.evidence}, expected {list(wanted)}")


def _names(keys: set[str] | frozenset[str]) -> str:
    return "[" + ", ".join(sorted(keys)) + "]"
