"""The growth plan runs week by week, and can be shown to someone the person chooses.

- `growth_plan_steps` gains its week (`starts_at`, `checkin_at`), when the clock planned its
  nudge and check-in DMs, the person's check-in answer and one-line reflection, and when and
  why it stopped (removed, the plan stopped, or a retake).
- `growth_plan_shares`: one row per "Share my plan" form submitted: which plan, to whom,
  whether the balance was included. The form's view is unique per workspace, so a
  submission Slack repeats is sent once.

Revision ID: 0020_plan_weeks
Revises: 0019_assess
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_plan_weeks"
down_revision: str | None = "0019_assess"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENTS = (
    "starts_at",
    "checkin_at",
    "nudge_planned_at",
    "checkin_planned_at",
    "answered_at",
    "stopped_at",
)


def upgrade() -> None:
    with op.batch_alter_table("growth_plan_steps") as table:
        for name in MOMENTS:
            table.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("answer", sa.String(16), nullable=True))
        table.add_column(sa.Column("reflection", sa.String(200), nullable=True))
        table.add_column(sa.Column("stopped_why", sa.String(16), nullable=True))
    op.create_table(
        "growth_plan_shares",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("view_id", sa.String(64), nullable=False),
        sa.Column(
            "assessment_id",
            sa.Integer(),
            sa.ForeignKey("assessments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("shared_with", sa.String(32), nullable=False),
        sa.Column("with_balance", sa.Boolean(), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("team_id", "view_id", name="uq_growth_plan_shares_view"),
    )


def downgrade() -> None:
    op.drop_table("growth_plan_shares")
    with op.batch_alter_table("growth_plan_steps") as table:
        for name in (*MOMENTS, "answer", "reflection", "stopped_why"):
            table.drop_column(name)
