"""An index to find the other rounds a round's people were asked in (same week, other team).

Revision ID: 0010_teamfaults
Revises: 0009
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_teamfaults"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_pulse_recipients_user", "pulse_recipients", ["user_id", "round_id"])


def downgrade() -> None:
    op.drop_index("ix_pulse_recipients_user", table_name="pulse_recipients")
