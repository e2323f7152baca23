"""Where a drug's name came from (issue 16)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

``name_source`` on ``medications`` and ``medication_products``: ``sent`` (the sender's display or text),
``catalogue`` (an ATC code sent without a name, named from the bundled ATC catalogue), ``code`` (another
code sent without a name: the code itself) or ``unresolved`` (a Medication reference whose Medication is not
in the store: "Ukendt lægemiddel"). The data-quality figures count drugs not named by their sender from it;
a name alone cannot tell (a sender's display is often exactly the catalogue's substance name). Rows written
before this revision keep NULL until re-imported (MAPPING_VERSION 3 re-maps them).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("medications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_source", sa.String(length=20), nullable=True))
    with op.batch_alter_table("medication_products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_source", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("medication_products", schema=None) as batch_op:
        batch_op.drop_column("name_source")
    with op.batch_alter_table("medications", schema=None) as batch_op:
        batch_op.drop_column("name_source")
