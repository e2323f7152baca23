"""Shared helpers for the audit tests: the three-patient practice of the indicator tests, actors, and
reading the log's raw rows the way an attacker with the key would."""

from datetime import date
from pathlib import Path
from typing import Any, Final

from sqlalchemy import text

from cockpit.privacy.identity import Actor, Role
from cockpit.store import Store
from tests.indicators.fhir_fixtures import fill

AS_OF: Final = date(2025, 6, 30)
ANNA: Final = Actor(user="anna", role=Role.GP, workstation="konsultation-1")
BO: Final = Actor(user="bo", role=Role.NURSE, workstation="konsultation-2")
ADMIN: Final = Actor(user="admin", role=Role.ADMIN, workstation="kontor")
ELSE_CPR: Final = "0302504321"
HANS_CPR: Final = "0101401234"
MIA_CPR: Final = "1212601234"
# The append-only triggers and their tables (PostgreSQL's DROP TRIGGER names the table; it has a fourth).
TRIGGERS: Final = {
    "audit_log_no_update": "audit_log",
    "audit_log_no_delete": "audit_log",
    "audit_head_no_delete": "audit_head",
}
PG_TRIGGERS: Final = {**TRIGGERS, "audit_log_no_truncate": "audit_log"}


def three_patients(store: Store, folder: Path) -> Store:
    """Else, Hans and Mia (FHIR ids "else", "hans", "mia"): see tests/indicators/fhir_fixtures.py."""
    return fill(store, folder)


def patient_id(store: Store, cpr: str) -> int:
    with store.session() as session:
        found = session.execute(text("SELECT id FROM patients WHERE cpr = :cpr"), {"cpr": cpr})
        return int(found.scalar_one())


def log_rows(store: Store) -> list[tuple[Any, ...]]:
    """(id, user, role, workstation, action, patient_id, patient_fhir_id, list_ref, patient_count,
    purpose, destination) of every entry, oldest first."""
    with store.session() as session:
        found = session.execute(
            text(
                'SELECT id, "user", role, workstation, action, patient_id, patient_fhir_id, list_ref, '
                "patient_count, purpose, destination FROM audit_log ORDER BY id"
            )
        )
        return [tuple(row) for row in found]


def refuse_audit_inserts(store: Store, from_id: int = 1) -> None:
    """A fault we cannot otherwise provoke on demand: the store refuses audit inserts from entry ``from_id``
    on, with the message "refused"."""
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN IF NEW.id >= {from_id} THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$"
            )
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        else:
            conn.exec_driver_sql(
                f"CREATE TRIGGER refuse BEFORE INSERT ON audit_log WHEN NEW.id >= {from_id} "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )


def tamper(store: Store, *statements: str, params: dict[str, Any] | None = None) -> None:
    """Run SQL as someone holding the key: the append-only triggers dropped first."""
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for trigger, table in PG_TRIGGERS.items():
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        else:
            for trigger in TRIGGERS:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        for statement in statements:
            conn.execute(text(statement), params or {})
