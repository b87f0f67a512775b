"""Answers and comments a database reader cannot link to anyone.

- `pulse_recipients` loses `answered` and `reminded`: whether a person answered is known
  only to the server (their respondent key under the secret), so nothing lines up a person
  with answer rows written in the same transaction or after a reminder.
- `pulse_answers` and `pulse_comments` lose their sequential `id`: the primary key is the
  round, (question,) and respondent key, and on SQLite the tables are WITHOUT ROWID, so rows
  sit in key order, not in the order they were written. Existing rows are copied in key
  order.
- `outbox.private`: a reminder's payload and result are forgotten once it has gone. Finished
  reminders (their rows named who had not answered) are deleted; each round's
  `reminded_at` already keeps a reminder from being planned twice.

Revision ID: 0013_dbprivacy
Revises: 0012_server
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_dbprivacy"
down_revision: str | None = "0012_server"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _round_id() -> sa.Column:
    return sa.Column(
        "round_id",
        sa.Integer(),
        sa.ForeignKey("pulse_rounds.id", ondelete="CASCADE"),
        nullable=False,
    )


def _keyed_tables() -> None:
    op.create_table(
        "pulse_answers_keyed",
        _round_id(),
        sa.Column("question_id", sa.String(100), nullable=False),
        sa.Column("respondent_key", sa.String(64), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "round_id", "question_id", "respondent_key", name="pk_pulse_answers"
        ),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO pulse_answers_keyed (round_id, question_id, respondent_key, score) "
        "SELECT round_id, question_id, respondent_key, score FROM pulse_answers "
        "ORDER BY round_id, respondent_key, question_id"
    )
    op.drop_table("pulse_answers")
    op.rename_table("pulse_answers_keyed", "pulse_answers")
    op.create_table(
        "pulse_comments_keyed",
        _round_id(),
        sa.Column("respondent_key", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("round_id", "respondent_key", name="pk_pulse_comments"),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO pulse_comments_keyed (round_id, respondent_key, text) "
        "SELECT round_id, respondent_key, text FROM pulse_comments "
        "ORDER BY round_id, respondent_key"
    )
    op.drop_table("pulse_comments")
    op.rename_table("pulse_comments_keyed", "pulse_comments")


def upgrade() -> None:
    _keyed_tables()
    with op.batch_alter_table("pulse_recipients") as batch:
        batch.drop_column("answered")
        batch.drop_column("reminded")
    op.add_column(
        "outbox", sa.Column("private", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.execute("DELETE FROM outbox WHERE kind = 'pulse.reminder' AND status IN ('sent', 'failed')")
    op.execute("UPDATE outbox SET private = true WHERE kind = 'pulse.reminder'")


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("private")
    # Who answered cannot be recovered without the secret: every recipient reads "not yet".
    with op.batch_alter_table("pulse_recipients") as batch:
        batch.add_column(
            sa.Column("answered", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("reminded", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "pulse_answers_numbered",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _round_id(),
        sa.Column("question_id", sa.String(100), nullable=False),
        sa.Column("respondent_key", sa.String(64), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.UniqueConstraint("round_id", "question_id", "respondent_key", name="uq_pulse_answers"),
    )
    op.execute(
        "INSERT INTO pulse_answers_numbered (round_id, question_id, respondent_key, score) "
        "SELECT round_id, question_id, respondent_key, score FROM pulse_answers"
    )
    op.drop_table("pulse_answers")
    op.rename_table("pulse_answers_numbered", "pulse_answers")
    op.create_table(
        "pulse_comments_numbered",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _round_id(),
        sa.Column("respondent_key", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.UniqueConstraint("round_id", "respondent_key", name="uq_pulse_comments"),
    )
    op.execute(
        "INSERT INTO pulse_comments_numbered (round_id, respondent_key, text) "
        "SELECT round_id, respondent_key, text FROM pulse_comments"
    )
    op.drop_table("pulse_comments")
    op.rename_table("pulse_comments_numbered", "pulse_comments")
