"""Data rights: workspaces that removed lvm, and when retention deleted a round's answers.

Revision ID: 0022_rights
Revises: 0021_threads
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_rights"
down_revision: str | None = "0021_threads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workspace_uninstalls",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("uninstalled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
    )
    op.add_column(
        "pulse_rounds", sa.Column("answers_deleted_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_index(
        "ix_pulse_rounds_answers_due", "pulse_rounds", ["answers_deleted_at", "closed_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_pulse_rounds_answers_due", table_name="pulse_rounds")
    with op.batch_alter_table("pulse_rounds") as batch:
        batch.drop_column("answers_deleted_at")
    op.drop_table("workspace_uninstalls")
