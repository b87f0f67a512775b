"""Each round keeps the anonymity threshold it was answered under.

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
    op.add_column(
        "pulse_rounds", sa.Column("anonymity_threshold", sa.SmallInteger(), nullable=True)
    )
    # Existing rounds take their team's threshold of today: the best knowledge there is.
    op.execute(
        "UPDATE pulse_rounds SET anonymity_threshold = (SELECT pulse_teams.anonymity_threshold "
        "FROM pulse_teams WHERE pulse_teams.id = pulse_rounds.pulse_team_id)"
    )
    with op.batch_alter_table("pulse_rounds") as batch:
        batch.alter_column("anonymity_threshold", existing_type=sa.SmallInteger(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("pulse_rounds") as batch:
        batch.drop_column("anonymity_threshold")
