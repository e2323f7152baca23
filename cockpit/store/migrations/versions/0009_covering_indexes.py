"""Covering indexes for the indicator engine (issue 16: all indicators at 50,000 patients)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

The code and patient indexes of conditions, medications, observations and encounters also carry the
columns every criterion tests (code system, status, dates, value and unit, the patient), and a new
index on patients carries what "alive" and the age bands read. A criterion then reads only index pages:
on a SQLCipher store each table row fetched at random decrypts a page of its own, which made those
look-ups most of the engine's time (docs/indicators.md "Performance" has the figures). The leading
columns are the same as before, so every query keeps the index it had.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, index, columns before, columns now)
WIDENED: list[tuple[str, str, list[str], list[str]]] = [
    (
        "conditions",
        "ix_conditions_patient",
        ["patient_id", "onset"],
        ["patient_id", "onset", "code", "code_system", "abatement", "clinical_status", "verification_status"],
    ),
    (
        "conditions",
        "ix_conditions_code",
        ["code", "onset"],
        ["code", "onset", "code_system", "patient_id", "abatement", "clinical_status", "verification_status"],
    ),
    (
        "medications",
        "ix_medications_patient",
        ["patient_id", "start"],
        ["patient_id", "start", "code", "code_system", "status", "end"],
    ),
    (
        "medications",
        "ix_medications_code",
        ["code", "start"],
        ["code", "start", "code_system", "patient_id", "status", "end"],
    ),
    (
        "observations",
        "ix_observations_patient",
        ["patient_id", "code", "effective"],
        ["patient_id", "code", "effective", "code_system", "status", "value_num", "unit"],
    ),
    (
        "observations",
        "ix_observations_code",
        ["code", "effective"],
        ["code", "effective", "code_system", "status", "value_num", "unit", "patient_id"],
    ),
    (
        "encounters",
        "ix_encounters_patient",
        ["patient_id", "start"],
        ["patient_id", "start", "encounter_class", "status", "priority", "end"],
    ),
    (
        "encounters",
        "ix_encounters_class",
        ["encounter_class", "start"],
        ["encounter_class", "start", "patient_id", "status", "priority", "end"],
    ),
]
PATIENTS_ALIVE = ["deceased", "deceased_date", "birth_date", "sex"]


def upgrade() -> None:
    for table, name, _before, now in WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, now, unique=False)
    op.create_index("ix_patients_alive", "patients", PATIENTS_ALIVE, unique=False)


def downgrade() -> None:
    op.drop_index("ix_patients_alive", table_name="patients")
    for table, name, before, _now in reversed(WIDENED):
        op.drop_index(name, table_name=table)
        op.create_index(name, table, before, unique=False)
