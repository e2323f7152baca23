"""The engine's SQL is dialect-neutral: every statement it runs (criteria, counts, evidence) for every
built-in indicator compiles for PostgreSQL and uses no SQLite-only function."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, Select, event
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import ClauseElement

from cockpit.indicators.fixtures import run_fixtures
from cockpit.indicators.registry import builtin_packs

SQLITE_ONLY = re.compile(
    r"\b(julianday|strftime|datetime|date|time|ifnull|group_concat|instr|printf|glob|total|iif)\s*\(",
    re.IGNORECASE,
)


@pytest.fixture
def executed() -> Iterator[list[ClauseElement]]:
    """Every Core statement executed on any engine while the test runs."""
    statements: list[ClauseElement] = []

    def record(_conn: Any, clauseelement: Any, *_args: Any) -> None:
        if isinstance(clauseelement, ClauseElement):
            statements.append(clauseelement)

    event.listen(Engine, "before_execute", record)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_execute", record)


def test_every_statement_of_every_builtin_indicator_compiles_for_postgresql(
    executed: list[ClauseElement],
) -> None:
    for pack in builtin_packs():
        assert run_fixtures(pack) == []
    selects = [s for s in executed if isinstance(s, Select)]
    assert len(selects) > 100
    dialect = postgresql.dialect()
    for statement in selects:
        sql = str(statement.compile(dialect=dialect))
        assert SQLITE_ONLY.search(sql) is None, sql
