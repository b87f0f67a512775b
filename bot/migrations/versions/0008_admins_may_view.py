"""A team may let workspace admins see its summaries (off unless a manager turns it on).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (not a batch rebuild of the table): SQLite can add a NOT NULL
    # column that has a default.
    op.add_column(
        "pulse_teams",
        sa.Column("admins_may_view", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("pulse_teams") as batch:
        batch.drop_column("admins_may_view")
