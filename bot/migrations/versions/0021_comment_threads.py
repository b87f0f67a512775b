"""Anonymous conversations about pulse comments (bot/threads).

- `pulse_comments` gains `reference` (random, unique: how summaries name a comment) and
  `author_link` (its author's user id sealed under the server secret). Comments written
  before this have neither and cannot be answered.
- `comment_threads`: one conversation per comment, shared by the team's managers.
- `thread_messages`: what each side sent, with the day only (no time) and, for the
  author's words, whether the clock has relayed them to the managers yet.

Revision ID: 0021_threads
Revises: 0020_plan_weeks
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_threads"
down_revision: str | None = "0020_plan_weeks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("pulse_comments", sa.Column("reference", sa.String(32), nullable=True))
    op.add_column("pulse_comments", sa.Column("author_link", sa.Text(), nullable=True))
    op.create_index("uq_pulse_comments_reference", "pulse_comments", ["reference"], unique=True)
    op.create_table(
        "comment_threads",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column(
            "pulse_team_id",
            sa.Integer(),
            sa.ForeignKey("pulse_teams.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("pulse_rounds.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("comment_reference", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("muted", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(16), nullable=True),
        sa.UniqueConstraint("comment_reference", name="uq_comment_threads_comment"),
    )
    op.create_index("ix_comment_threads_team", "comment_threads", ["pulse_team_id", "status"])
    op.create_table(
        "thread_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "thread_id",
            sa.Integer(),
            sa.ForeignKey("comment_threads.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("side", sa.String(16), nullable=False),
        sa.Column("manager_id", sa.String(32), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("relayed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("request_key", sa.String(64), nullable=False),
        sa.UniqueConstraint("thread_id", "request_key", name="uq_thread_messages_request"),
    )
    op.create_index("ix_thread_messages_relay", "thread_messages", ["relayed", "id"])


def downgrade() -> None:
    op.drop_table("thread_messages")
    op.drop_table("comment_threads")
    op.drop_index("uq_pulse_comments_reference", table_name="pulse_comments")
    with op.batch_alter_table("pulse_comments") as batch:
        batch.drop_column("author_link")
        batch.drop_column("reference")
