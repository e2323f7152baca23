"""The engine against the separate per-patient reference implementation (tests/indicators/reference.py),
on a generated demo practice: the same population and exactly the same hits, for every reference
indicator, on the practice's as-of date and on earlier dates (where more courses, admissions and
measurements sit on the edges of the windows)."""

from datetime import date, timedelta

import pytest

from cockpit.indicators.engine import evaluate, evaluate_many, population_ids
from cockpit.indicators.registry import PackRegistry
from cockpit.store import Store
from tests.indicators.conftest import DEMO_AS_OF
from tests.indicators.reference import DEFINITIONS, PatientRecord, evaluate_reference, load_records

AS_OF_DATES = (DEMO_AS_OF, DEMO_AS_OF - timedelta(days=100), date(2024, 2, 29))


@pytest.fixture(scope="module")
def records(demo_store: Store) -> list[PatientRecord]:
    with demo_store.engine.connect() as conn:
        return load_records(conn)


@pytest.mark.parametrize("as_of", AS_OF_DATES, ids=str)
@pytest.mark.parametrize("indicator_id", sorted(DEFINITIONS))
def test_engine_agrees_with_the_reference_implementation(
    demo_store: Store, records: list[PatientRecord], indicator_id: str, as_of: date
) -> None:
    indicator = PackRegistry.load(None).indicator(indicator_id)
    expected_population, expected_hits = evaluate_reference(records, indicator_id, as_of)

    result = evaluate(demo_store, indicator, as_of)

    assert population_ids(demo_store, indicator, as_of, {}) == expected_population
    assert result.population == len(expected_population)
    assert {hit.patient_id for hit in result.hits} == expected_hits
    assert all(hit.evidence for hit in result.hits), "every hit is explained"


def test_the_demo_practice_exercises_every_reference_indicator(records: list[PatientRecord]) -> None:
    """Agreement on empty lists would prove nothing: each indicator has a population and hits."""
    for indicator_id in DEFINITIONS:
        population, hits = evaluate_reference(records, indicator_id, DEMO_AS_OF)
        assert 0 < len(hits) < len(population), indicator_id


def test_evaluating_many_at_once_gives_what_evaluating_each_gives(demo_store: Store) -> None:
    """Shared population passes (and the two ways of counting a population) change nothing."""
    indicators = PackRegistry.load(None).indicators()
    together = evaluate_many(demo_store, indicators, DEMO_AS_OF)
    assert [r.indicator_id for r in together] == [i.id for i in indicators]
    for indicator, shared in zip(indicators, together, strict=True):
        alone = evaluate(demo_store, indicator, DEMO_AS_OF)
        assert (shared.population, shared.hits) == (alone.population, alone.hits), indicator.id


@pytest.mark.sqlcipher_only  # SQLite's per-connection page cache
def test_evaluation_gives_the_page_cache_back(demo_store: Store) -> None:
    with demo_store.engine.connect() as conn:
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
        evaluate(conn, PackRegistry.load(None).indicator("POLY-75-10"), DEMO_AS_OF)
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == before
