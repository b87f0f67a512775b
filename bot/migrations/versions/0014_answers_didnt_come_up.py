"""Answers that say "didn't come up", and stored totals that count favorable answers.

- `pulse_answers.score` becomes nullable: a row without a score is a "didn't come up"
  answer to a conditional statement; it counts in participation and in no average.
- `pulse_question_totals` gains `favorable` (scores of 4 or 5) and `not_applicable` (rows
  without a score). Rows stored before: `not_applicable` is 0 (no answer lacked a score
  then); `favorable` is counted from the round's answers where they are still exactly the
  ones the totals were stored from (same count and sum), and stays NULL, "not known",
  otherwise (percent favorable is then not shown for that question in that round).

On SQLite the answers table is rebuilt to change the column, and stays WITHOUT ROWID: rows
are stored in key order, not in the order they were written (docs/privacy.md).

Revision ID: 0014_answers
Revises: 0013_dbprivacy
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_answers"
down_revision: str | None = "0013_dbprivacy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Answers of the same (round, question) as the stored total in the outer UPDATE.
_SAME = (
    "FROM pulse_answers a WHERE a.round_id = pulse_question_totals.round_id "
    "AND a.question_id = pulse_question_totals.question_id"
)


def _score_nullable(nullable: bool) -> None:
    # table_kwargs: SQLite's rebuilt copy must stay WITHOUT ROWID, like the one it replaces.
    with op.batch_alter_table("pulse_answers", table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.alter_column("score", existing_type=sa.SmallInteger(), nullable=nullable)


def upgrade() -> None:
    _score_nullable(True)
    op.add_column("pulse_question_totals", sa.Column("favorable", sa.Integer(), nullable=True))
    op.add_column(
        "pulse_question_totals",
        sa.Column("not_applicable", sa.Integer(), nullable=False, server_default="0"),
    )
    op.execute(
        f"UPDATE pulse_question_totals SET favorable = (SELECT count(*) {_SAME} "
        "AND a.score >= 4) "
        f"WHERE answers = (SELECT count(*) {_SAME}) "
        f"AND score_sum = (SELECT coalesce(sum(a.score), 0) {_SAME})"
    )


def downgrade() -> None:
    with op.batch_alter_table("pulse_question_totals") as batch:
        batch.drop_column("not_applicable")
        batch.drop_column("favorable")
    # The older schema has no way to say "didn't come up": those answers are forgotten.
    op.execute("DELETE FROM pulse_answers WHERE score IS NULL")
    _score_nullable(False)
