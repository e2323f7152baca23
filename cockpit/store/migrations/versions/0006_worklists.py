"""worklists

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "worklists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("indicator_ids", sa.JSON(), nullable=False),
        sa.Column("follows", sa.Boolean(), nullable=False),
        sa.Column("plan_what", sa.Text(), nullable=True),
        sa.Column("plan_how", sa.Text(), nullable=True),
        sa.Column("plan_who", sa.String(length=200), nullable=True),
        sa.Column("plan_by", sa.Date(), nullable=True),
        sa.Column("plan_target", sa.String(length=200), nullable=True),
        sa.Column("plan_review", sa.Date(), nullable=True),
        sa.Column("plan_changed_by", sa.String(length=64), nullable=True),
        sa.Column("plan_changed_at", sa.DateTime(), nullable=True),
        sa.Column("last_evaluated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worklists")),
    )
    op.create_table(
        "worklist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("patient_fhir_id", sa.String(length=64), nullable=False),
        sa.Column("indicator_id", sa.String(length=64), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("assignee_user", sa.String(length=64), nullable=True),
        sa.Column("assignee_role", sa.String(length=16), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_evidence", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["worklists.id"],
            name=op.f("fk_worklist_items_list_id_worklists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worklist_items")),
    )
    op.create_index("ix_worklist_items_list", "worklist_items", ["list_id", "status"], unique=False)
    op.create_index(
        "ix_worklist_items_patient", "worklist_items", ["patient_fhir_id", "indicator_id"], unique=False
    )
    op.create_table(
        "worklist_item_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("workstation", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["worklist_items.id"],
            name=op.f("fk_worklist_item_events_item_id_worklist_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worklist_item_events")),
    )
    op.create_index(
        "ix_worklist_item_events_item", "worklist_item_events", ["item_id", "version"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_worklist_item_events_item", table_name="worklist_item_events")
    op.drop_table("worklist_item_events")
    op.drop_index("ix_worklist_items_patient", table_name="worklist_items")
    op.drop_index("ix_worklist_items_list", table_name="worklist_items")
    op.drop_table("worklist_items")
    op.drop_table("worklists")
