"""Totals of closed rounds, so a summary reads a few rows per round instead of every answer.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ("respondents", "answered", "asked")


def upgrade() -> None:
    # Empty at first: the clock stores the totals of rounds that closed before, a batch a tick
    # (bot/summary/stored_totals.py), and summaries compute what is not stored yet.
    op.add_column(
        "pulse_rounds", sa.Column("totals_stored_at", sa.DateTime(timezone=True), nullable=True)
    )
    for name in COUNTS:
        op.add_column("pulse_rounds", sa.Column(name, sa.Integer(), nullable=True))
    op.create_index(
        "ix_pulse_rounds_totals_due", "pulse_rounds", ["totals_stored_at", "status", "closed_at"]
    )
    op.create_table(
        "pulse_question_totals",
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("pulse_rounds.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("question_id", sa.String(100), primary_key=True),
        sa.Column("score_sum", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pulse_question_totals")
    op.drop_index("ix_pulse_rounds_totals_due", table_name="pulse_rounds")
    with op.batch_alter_table("pulse_rounds") as batch:
        for name in ("totals_stored_at", *COUNTS):
            batch.drop_column(name)
