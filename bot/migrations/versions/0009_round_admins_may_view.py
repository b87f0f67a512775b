"""Each round keeps whether workspace admins could see results when it opened.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rounds were answered under "managers only": they stay that way.
    op.add_column(
        "pulse_rounds",
        sa.Column("admins_may_view", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("pulse_rounds") as batch:
        batch.drop_column("admins_may_view")
