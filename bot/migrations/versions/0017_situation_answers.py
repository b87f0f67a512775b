"""The situation forms already answered, so one submitted twice is answered once.

bot/situation/store.py: no column says who submitted a form or what was chosen.

Revision ID: 0017_situation
Revises: 0016_focus
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_situation"
down_revision: str | None = "0016_focus"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "situation_answers",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("view_id", sa.String(64), primary_key=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_situation_answers_answered_at", "situation_answers", ["answered_at"])


def downgrade() -> None:
    op.drop_index("ix_situation_answers_answered_at", table_name="situation_answers")
    op.drop_table("situation_answers")
