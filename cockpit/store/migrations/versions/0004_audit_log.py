"""audit log: the hash-chained log of look-ups and data out, its head, and append-only triggers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = {
    "ix_audit_log_patient": ["patient_fhir_id", "patient_id"],
    "ix_audit_log_user": ["user"],
    "ix_audit_log_at": ["at"],
    "ix_audit_log_action": ["action"],
}
# A guard against mistakes and casual edits; someone with the key can drop them, which the chain detects.
_TRIGGERS = {
    "audit_log_no_update": "BEFORE UPDATE ON audit_log",
    "audit_log_no_delete": "BEFORE DELETE ON audit_log",
    "audit_head_no_delete": "BEFORE DELETE ON audit_head",
}


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(length=27), nullable=False),
        sa.Column("user", sa.String(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("workstation", sa.String(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("patient_fhir_id", sa.String(length=64), nullable=True),
        sa.Column("list_ref", sa.String(), nullable=True),
        sa.Column("patient_count", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(), nullable=True),
        sa.Column("destination", sa.String(), nullable=True),
        sa.Column("prev_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    for name, columns in _INDEXES.items():
        op.create_index(name, "audit_log", columns, unique=False)
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
        return
    for name, when in _TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} {when} BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )


def _postgresql_triggers() -> None:
    """The same guard on the practice server, TRUNCATE included (SQLite has none)."""
    op.execute(
        "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only' "
        "USING ERRCODE = 'integrity_constraint_violation'; END $$"
    )
    for name, when in {**_TRIGGERS, "audit_log_no_truncate": "BEFORE TRUNCATE ON audit_log"}.items():
        op.execute(
            f"CREATE TRIGGER {name} {when} FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, when in {**_TRIGGERS, "audit_log_no_truncate": "BEFORE TRUNCATE ON audit_log"}.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {when.rsplit(' ', 1)[1]}")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("audit_head")
    for name in _INDEXES:
        op.drop_index(name, table_name="audit_log")
    op.drop_table("audit_log")
