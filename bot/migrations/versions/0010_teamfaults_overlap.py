"""Rounds of two teams that asked the same people in a week (bot/summary/overlap.py).

An index to find the other rounds a round's people were asked in, and each round's stored
`people_apart`.

Revision ID: 0010_teamfaults
Revises: 0009
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_teamfaults"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_pulse_recipients_user", "pulse_recipients", ["user_id", "round_id"])
    # Rounds stored before this was worked out: worked out live (None is "not known" there
    # only for rounds whose totals are not stored, see RoundRecord.people_apart).
    op.add_column("pulse_rounds", sa.Column("people_apart", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pulse_rounds") as batch:
        batch.drop_column("people_apart")
    op.drop_index("ix_pulse_recipients_user", table_name="pulse_recipients")
