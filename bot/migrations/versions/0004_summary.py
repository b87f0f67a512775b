"""Manager summaries: commitments to focus practices.

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


def upgrade() -> None:
    op.create_table(
        "pulse_commitments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column(
            "pulse_team_id",
            sa.Integer(),
            sa.ForeignKey("pulse_teams.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("dimension_id", sa.String(80), nullable=False),
        sa.Column("practice_id", sa.String(100), nullable=False),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("announced", sa.Boolean(), nullable=False),
    )
    op.create_index(
        "ix_pulse_commitments_team", "pulse_commitments", ["pulse_team_id", "committed_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_pulse_commitments_team", table_name="pulse_commitments")
    op.drop_table("pulse_commitments")
