"""Welcomes: the channels and people lvm has greeted, each once.

Revision ID: 0012_server
Revises: 0011_pulsefair
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_server"
down_revision: str | None = "0011_pulsefair"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "welcomes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(32), nullable=False),
        sa.UniqueConstraint("team_id", "kind", "target_id", name="uq_welcomes_target"),
    )


def downgrade() -> None:
    op.drop_table("welcomes")
