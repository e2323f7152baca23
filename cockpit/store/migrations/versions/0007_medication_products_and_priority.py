"""Medication resources, statements that reference them, and the encounter's priority (issue 16)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

A MedicationStatement/MedicationRequest may name its drug by reference to a ``Medication`` resource (how bulk
exports and FMK-based servers send drugs); the statement keeps the reference and the Medication is kept in
``medication_products``, so either may arrive first and a later update of the Medication re-resolves the
statements. ``encounters.priority`` (v3 ActPriority: EM, UR, EL, R, ...) tells acute from planned stays.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "medication_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_system", sa.String(), nullable=True),
        sa.Column("code", sa.String(), nullable=True),
        sa.Column("drug_name", sa.String(), nullable=True),
        sa.Column("strength", sa.String(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("fhir_type", sa.String(length=40), nullable=False),
        sa.Column("fhir_id", sa.String(length=64), nullable=False),
        sa.Column("fhir_version", sa.String(length=64), nullable=True),
        sa.Column("last_updated", sa.DateTime(), nullable=True),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medication_products")),
        sa.UniqueConstraint("fhir_id", name=op.f("uq_medication_products_fhir_id")),
    )
    with op.batch_alter_table("medications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("medication_ref", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_medications_medication_ref", ["medication_ref"], unique=False)
    with op.batch_alter_table("encounters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("encounters", schema=None) as batch_op:
        batch_op.drop_column("priority")
    with op.batch_alter_table("medications", schema=None) as batch_op:
        batch_op.drop_index("ix_medications_medication_ref")
        batch_op.drop_column("medication_ref")
    op.drop_table("medication_products")
