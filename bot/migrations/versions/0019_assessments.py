"""The private self-assessment (`/lvm assess`) and the growth-plan steps accepted from it.

- `assessments`: one row per submitted assessment: the person, when, their answers
  ({statement id: 1..5}) and the practices its result offered as a plan. The view it was
  submitted from is unique per workspace, so a submission Slack repeats is stored once.
- `growth_plan_steps`: a practice the person accepted for one week of an assessment's plan,
  once per week of it.

Revision ID: 0019_assess
Revises: 0018_installations
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_assess"
down_revision: str | None = "0018_installations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("view_id", sa.String(64), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("offered", sa.JSON(), nullable=False),
        sa.UniqueConstraint("team_id", "view_id", name="uq_assessments_view"),
    )
    op.create_index("ix_assessments_person", "assessments", ["team_id", "user_id", "taken_at"])
    op.create_table(
        "growth_plan_steps",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "assessment_id",
            sa.Integer(),
            sa.ForeignKey("assessments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("practice_id", sa.String(100), nullable=False),
        sa.Column("week_index", sa.SmallInteger(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("assessment_id", "week_index", name="uq_growth_plan_steps_week"),
    )


def downgrade() -> None:
    op.drop_table("growth_plan_steps")
    op.drop_index("ix_assessments_person", table_name="assessments")
    op.drop_table("assessments")
