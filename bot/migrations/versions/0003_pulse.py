"""Pulse check-ins: teams, opt-outs, rounds, recipients, anonymous answers and comments.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pulse_teams",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("managers", sa.JSON(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("local_time", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("open_days", sa.SmallInteger(), nullable=False),
        sa.Column("remind_after_hours", sa.SmallInteger(), nullable=False),
        sa.Column("question_ids", sa.JSON(), nullable=True),
        sa.Column("anonymity_threshold", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("team_id", "channel_id", name="uq_pulse_teams_channel"),
    )
    op.create_table(
        "pulse_optouts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "pulse_team_id",
            sa.Integer(),
            sa.ForeignKey("pulse_teams.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.UniqueConstraint("pulse_team_id", "user_id", name="uq_pulse_optouts"),
    )
    op.create_table(
        "pulse_rounds",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column(
            "pulse_team_id",
            sa.Integer(),
            sa.ForeignKey("pulse_teams.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("question_ids", sa.JSON(), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("opened_by", sa.String(32), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("pulse_team_id", "period", name="uq_pulse_rounds_period"),
    )
    op.create_index("ix_pulse_rounds_status", "pulse_rounds", ["status", "closes_at"])
    op.create_table(
        "pulse_recipients",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("pulse_rounds.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("reminded", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("round_id", "user_id", name="uq_pulse_recipients"),
    )
    op.create_table(
        "pulse_answers",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("pulse_rounds.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("question_id", sa.String(100), nullable=False),
        sa.Column("respondent_key", sa.String(64), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.UniqueConstraint("round_id", "question_id", "respondent_key", name="uq_pulse_answers"),
    )
    op.create_table(
        "pulse_comments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("pulse_rounds.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("respondent_key", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.UniqueConstraint("round_id", "respondent_key", name="uq_pulse_comments"),
    )


def downgrade() -> None:
    for table in (
        "pulse_comments",
        "pulse_answers",
        "pulse_recipients",
        "pulse_rounds",
        "pulse_optouts",
        "pulse_teams",
    ):
        op.drop_table(table)
