"""The built-in packs' fixtures on the real stores, SQLCipher and PostgreSQL: the criteria that compare a
row's own dates (near_condition, repeated ... apart) are compiled per dialect, and indicators of
prescriptions count rows, so the hand-checked results must hold on both, not only on plain SQLite."""

import pytest

from cockpit.indicators.fixtures import run_fixture_in
from cockpit.indicators.registry import builtin_packs
from cockpit.store import Store

# The packs whose indicators use near_condition, active_for, repeated or unit: prescriptions.
PACKS = ("antibiotics", "drug-safety", "ckd", "atrial-fibrillation")


@pytest.mark.parametrize("pack_id", PACKS)
def test_fixtures_hold_on_the_store(store: Store, pack_id: str) -> None:
    (pack,) = [p for p in builtin_packs() if p.id == pack_id]
    assert pack.fixtures
    for fixture in pack.fixtures:
        with store.engine.connect() as conn:
            transaction = conn.begin()
            try:
                assert run_fixture_in(conn, pack, fixture) == [], fixture.name
            finally:
                transaction.rollback()
