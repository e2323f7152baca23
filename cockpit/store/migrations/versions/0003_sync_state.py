"""sync state: per source watermark and outcome, and the staging of a run in progress

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_sources",
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("watermark", sa.String(length=40), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", sa.DateTime(), nullable=True),
        sa.Column("last_summary_json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_sync_sources")),
    )
    op.create_table(
        "sync_runs",
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("full", sa.Boolean(), nullable=False),
        sa.Column("since", sa.String(length=40), nullable=True),
        sa.Column("status_url", sa.Text(), nullable=True),
        sa.Column("new_watermark", sa.String(length=40), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source"],
            ["sync_sources.source"],
            name=op.f("fk_sync_runs_source_sync_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_sync_runs")),
    )
    op.create_table(
        "sync_units",
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=500), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source"], ["sync_runs.source"], name=op.f("fk_sync_units_source_sync_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("source", "unit", name=op.f("pk_sync_units")),
    )
    op.create_table(
        "sync_chunks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("first_line", sa.Integer(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source"], ["sync_runs.source"], name=op.f("fk_sync_chunks_source_sync_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_chunks")),
    )
    op.create_index("ix_sync_chunks_source", "sync_chunks", ["source"], unique=False)
    op.create_table(
        "sync_folder_files",
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("mtime_ns", sa.Integer(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source"],
            ["sync_sources.source"],
            name=op.f("fk_sync_folder_files_source_sync_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source", "name", name=op.f("pk_sync_folder_files")),
    )


def downgrade() -> None:
    op.drop_table("sync_folder_files")
    op.drop_index("ix_sync_chunks_source", table_name="sync_chunks")
    op.drop_table("sync_chunks")
    op.drop_table("sync_units")
    op.drop_table("sync_runs")
    op.drop_table("sync_sources")
