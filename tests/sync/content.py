"""A store's clinical content, comparable across stores: rows without internal ids and provenance, with
patient references as the patient's FHIR id."""

from typing import Any

from sqlalchemy import text

from cockpit.store import Store
from cockpit.sync.staging import staging_engine

CLINICAL = ("conditions", "medications", "observations", "encounters", "home_care_services")
LEFT_OUT = {"id", "patient_id", "source", "content_hash", "fhir_version", "last_updated"}


def store_content(store: Store) -> dict[str, Any]:
    content: dict[str, Any] = {}
    with store.engine.connect() as conn:
        for table in ("patients", *CLINICAL):
            result = conn.execute(text(f"SELECT * FROM {table}"))
            columns = list(result.keys())
            keep = [c for c in columns if c not in LEFT_OUT]
            owner: dict[int, str] = {}
            if table != "patients":
                owner = dict(conn.execute(text("SELECT id, fhir_id FROM patients")).all())
            rows = []
            for row in result.mappings():
                values = tuple(row[c] for c in keep)
                rows.append((owner.get(row["patient_id"]), *values) if owner else values)
            content[table] = sorted(rows, key=repr)
        terms = conn.execute(
            text(
                "SELECT p.fhir_id, t.term FROM patient_search_terms t JOIN patients p ON p.id = t.patient_id"
            )
        ).all()
        content["patient_search_terms"] = sorted(tuple(row) for row in terms)
    return content


def counts(content: dict[str, Any]) -> dict[str, int]:
    return {table: len(rows) for table, rows in content.items()}


def staged_rows(store: Store, table: str, where: str = "") -> int:
    """Rows of a staging table (``sync_runs``, ``sync_units``, ``sync_chunks``) wherever the store stages."""
    assert table in ("sync_runs", "sync_units", "sync_chunks")
    with staging_engine(store).connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table} {where}")).scalar_one())
