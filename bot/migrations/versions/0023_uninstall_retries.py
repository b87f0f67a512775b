"""A removed workspace whose deletion failed waits before the clock tries it again.

Revision ID: 0023_uninstall_retries
Revises: 0022_rights
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_uninstall_retries"
down_revision: str | None = "0022_rights"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspace_uninstalls") as batch:
        batch.add_column(
            sa.Column("deletion_failures", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("retry_deletion_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspace_uninstalls") as batch:
        batch.drop_column("retry_deletion_at")
        batch.drop_column("deletion_failures")
