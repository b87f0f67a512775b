"""The team's focus: a manager's choice, or the suggestion carried from close to close.

The suggestion is carried so that it holds still (bot/summary/focus.py). One row per pulse
team (`pulse_team_id` is the key); `chosen_by` is NULL for the pulse's own suggestion.

Revision ID: 0016_focus
Revises: 0015_commit
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_focus"
down_revision: str | None = "0015_commit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pulse_focus",
        sa.Column(
            "pulse_team_id",
            sa.Integer(),
            sa.ForeignKey("pulse_teams.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("dimension_id", sa.String(80), nullable=False),
        sa.Column("chosen_by", sa.String(32), nullable=True),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pulse_focus")
