"""Whether a team's managers are asked its pulse questions too (off: they are not).

Revision ID: 0011_pulsefair
Revises: 0010_teamfaults
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_pulsefair"
down_revision: str | None = "0010_teamfaults"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing teams stop asking their managers: a manager's own answers narrow down the others'.
    op.add_column(
        "pulse_teams",
        sa.Column("managers_answer", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("pulse_teams") as batch:
        batch.drop_column("managers_answer")
