"""One patient's indicators (the attention panel) are evaluated with look-ups per patient; the lists
scan everyone's rows set-wise (cockpit/indicators/sqlbase.py ``Context.per_patient``). Both must give
each built-in fixture's hand-checked hits and evidence, patient by patient."""

import pytest

from cockpit.indicators.engine import evaluate
from cockpit.indicators.fixtures import fixture_database
from cockpit.indicators.registry import builtin_packs

FIXTURES = [(pack, fixture) for pack in builtin_packs() for fixture in pack.fixtures]


@pytest.mark.parametrize(
    ("pack", "fixture"), FIXTURES, ids=[f"{pack.id}:{fixture.name}" for pack, fixture in FIXTURES]
)
def test_each_patient_alone_gets_the_fixture_result(pack, fixture) -> None:  # type: ignore[no-untyped-def]
    with fixture_database(fixture.patients) as (conn, ids):
        for indicator_id, expected in fixture.expect.items():
            indicator = pack.indicator(indicator_id)
            assert indicator is not None
            for key, patient_id in ids.items():
                result = evaluate(
                    conn, indicator, fixture.as_of, thresholds=expected.thresholds, patient_ids=[patient_id]
                )
                hits = [hit.patient_id for hit in result.hits]
                assert hits == ([patient_id] if key in expected.hits else []), (indicator_id, key)
                wanted = expected.evidence.get(key)
                if hits and wanted is not None:
                    assert tuple(result.hits[0].evidence) == wanted, (indicator_id, key)
