"""The terms a patient is found by. One function for the importer (which writes them) and the patient
search (which normalises what the user typed the same way)."""

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, insert

from cockpit.models import Base
from cockpit.store.idsets import chunked

_WORD_SEPARATORS = re.compile(r"[\s\-]+")


def terms_for(name: str | None, cpr: str | None, birth_date: date | None) -> set[str]:
    terms = {word for word in _WORD_SEPARATORS.split((name or "").lower()) if word}
    if cpr:
        terms.add(cpr)
    if birth_date is not None:
        terms.add(birth_date.isoformat())
    return terms


def replace_terms(conn: Connection, patients: Iterable[tuple[int, Mapping[str, Any]]]) -> None:
    """(Re)write the terms of ``patients``: (patient id, a row with name, cpr and birth_date)."""
    table = Base.metadata.tables["patient_search_terms"]
    batch = list(patients)
    if not batch:
        return
    ids = [patient_id for patient_id, _ in batch]
    for chunk in chunked(ids):
        conn.execute(delete(table).where(table.c.patient_id.in_(chunk)))
    rows = [
        {"patient_id": patient_id, "term": term}
        for patient_id, row in batch
        for term in terms_for(row.get("name"), row.get("cpr"), row.get("birth_date"))
    ]
    if rows:
        conn.execute(insert(table), rows)


def prefix_upper_bound(term: str) -> str:
    """The least string greater than every string that starts with ``term`` (for ``>= term AND <``)."""
    return term + "\U0010ffff"
