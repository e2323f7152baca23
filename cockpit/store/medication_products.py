"""Drugs named by reference to a Medication resource: resolving the statements and requests naming one.

A MedicationStatement/MedicationRequest that names its drug as ``Medication/<id>`` keeps the id in
``medications.medication_ref``; its code, name and strength are copied from the Medication's row in
``medication_products`` whenever either is written (same import or sync, either order, or a later one), and
again when the Medication changes. Until the Medication is in the store (or after it was deleted) the drug
keeps its placeholder name ("Ukendt lægemiddel") and no code: it is still listed, and counted as a
data-quality problem (``unresolved_count``).
"""

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import Connection, Table, bindparam, func, select, update

from cockpit.codelists.atc import NAME_UNRESOLVED, UNKNOWN_DRUG
from cockpit.models import Base
from cockpit.store.idsets import chunked


@dataclass(slots=True)
class Resolution:
    resolved_refs: int = 0  # distinct Medication ids found
    unresolved_rows: int = (
        0  # statements/requests among those asked about whose Medication is not in the store
    )
    changed_patient_ids: set[int] = field(default_factory=set)  # whose rows were re-resolved (``refresh``)


def resolve(conn: Connection, refs: Collection[str], *, refresh: Collection[str] = ()) -> Resolution:
    """Copy code_system, code, drug_name and strength from each Medication in ``refs`` to the rows that
    reference it. ``refresh``: the Medications (among ``refs``) that changed; the patients whose rows
    reference them are returned (a statement written now is already known as changed by its writer)."""
    medications, products = _table("medications"), _table("medication_products")
    resolution = Resolution()
    found: dict[str, tuple[str | None, str | None, str, str | None, str | None]] = {}
    for chunk in chunked(sorted(refs)):
        rows = conn.execute(
            select(
                products.c.fhir_id,
                products.c.code_system,
                products.c.code,
                products.c.drug_name,
                products.c.strength,
                products.c.name_source,
            ).where(products.c.fhir_id.in_(chunk))
        ).all()
        found.update((row[0], (row[1], row[2], row[3], row[4], row[5])) for row in rows)
    resolution.resolved_refs = len(found)
    if found:
        conn.execute(
            update(medications)
            .where(medications.c.medication_ref == bindparam("b_ref"))
            .values(
                code_system=bindparam("b_system"),
                code=bindparam("b_code"),
                drug_name=bindparam("b_name"),
                strength=bindparam("b_strength"),
                name_source=bindparam("b_source"),
            ),
            [
                {
                    "b_ref": ref,
                    "b_system": system,
                    "b_code": code,
                    "b_name": name,
                    "b_strength": strength,
                    "b_source": source,
                }
                for ref, (system, code, name, strength, source) in found.items()
            ],
        )
    missing = [ref for ref in refs if ref not in found]
    for chunk in chunked(sorted(missing)):
        resolution.unresolved_rows += conn.execute(
            select(func.count()).select_from(medications).where(medications.c.medication_ref.in_(chunk))
        ).scalar_one()
    for chunk in chunked(sorted([ref for ref in refresh if ref in found])):
        resolution.changed_patient_ids.update(
            conn.execute(
                select(medications.c.patient_id).where(medications.c.medication_ref.in_(chunk)).distinct()
            ).scalars()
        )
    return resolution


def unresolve(conn: Connection, refs: Collection[str]) -> set[int]:
    """The Medications ``refs`` are gone (deleted on the server): the rows that reference them keep the
    reference and get the placeholder name and no code again. Returns the patients whose rows changed."""
    medications = _table("medications")
    changed: set[int] = set()
    for chunk in chunked(sorted(refs)):
        where = medications.c.medication_ref.in_(chunk)
        changed.update(conn.execute(select(medications.c.patient_id).where(where).distinct()).scalars())
        conn.execute(
            update(medications)
            .where(where)
            .values(
                code_system=None,
                code=None,
                drug_name=UNKNOWN_DRUG,
                strength=None,
                name_source=NAME_UNRESOLVED,
            )
        )
    return changed


def unresolved_count(conn: Connection) -> int:
    """Statements and requests in the store whose drug is named by a Medication that is not in the store:
    their drug is unknown (a data-quality problem for every indicator that reads drugs)."""
    medications, products = _table("medications"), _table("medication_products")
    known = select(products.c.id).where(products.c.fhir_id == medications.c.medication_ref).exists()
    return int(
        conn.execute(
            select(func.count())
            .select_from(medications)
            .where(medications.c.medication_ref.is_not(None))
            .where(~known)
        ).scalar_one()
    )


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def name_source_counts(conn: Connection) -> dict[str | None, int]:
    """Drug rows (statements and requests) per ``name_source``: "sent", "catalogue", "code", "unresolved"
    (None: written before schema 0008). For the data-quality figures: how many drugs were not named by
    their sender."""
    medications = _table("medications")
    rows = conn.execute(
        select(medications.c.name_source, func.count()).group_by(medications.c.name_source)
    ).all()
    return {row[0]: int(row[1]) for row in rows}
