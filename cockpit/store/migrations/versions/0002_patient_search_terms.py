"""patient search terms: find a patient by an index range scan

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from cockpit.store.search_terms import terms_for

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patient_search_terms",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_patient_search_terms_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("patient_id", "term", name=op.f("pk_patient_search_terms")),
    )
    op.create_index(
        "ix_patient_search_terms_term", "patient_search_terms", ["term", "patient_id"], unique=False
    )
    # The patients already in the store get their terms now.
    patients = sa.table(
        "patients", sa.column("id"), sa.column("name"), sa.column("cpr"), sa.column("birth_date", sa.Date)
    )
    found = op.get_bind().execute(sa.select(patients)).all()
    rows = [
        {"patient_id": pid, "term": term}
        for pid, name, cpr, born in found
        for term in terms_for(name, cpr, born)
    ]
    if rows:
        table = sa.table("patient_search_terms", sa.column("patient_id"), sa.column("term"))
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_index("ix_patient_search_terms_term", table_name="patient_search_terms")
    op.drop_table("patient_search_terms")
