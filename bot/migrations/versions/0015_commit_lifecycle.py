"""Commitments with a lifecycle: a due date, check-ins, and the team's one-off statement.

- `pulse_commitments` gains the length the manager chose (`weeks`), the midpoint and due
  times of its check-ins, and the follow-up statement the team is asked once it is due, with
  the round that asked it. Commitments made before stay without them: they get no check-ins,
  hold no focus and ask the team nothing.
- `pulse_commitment_checkins`: one row per commitment and stage (midpoint, due), written with
  its DM's outbox row, so a stage is planned once however many clocks run; the manager's
  answer and one-line reflection are kept on it.

Revision ID: 0015_commit
Revises: 0014_answers
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_commit"
down_revision: str | None = "0014_answers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Named: SQLite's batch rebuild needs a name to create (and later drop) the constraint.
FOLLOWUP_ROUND_FK = "fk_pulse_commitments_followup_round"


def upgrade() -> None:
    with op.batch_alter_table("pulse_commitments") as batch:
        batch.add_column(sa.Column("weeks", sa.SmallInteger(), nullable=True))
        batch.add_column(sa.Column("midpoint_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("followup_question_id", sa.String(100), nullable=True))
        batch.add_column(
            sa.Column(
                "followup_round_id",
                sa.Integer(),
                sa.ForeignKey("pulse_rounds.id", ondelete="SET NULL", name=FOLLOWUP_ROUND_FK),
                nullable=True,
            )
        )
    op.create_table(
        "pulse_commitment_checkins",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "commitment_id",
            sa.Integer(),
            sa.ForeignKey("pulse_commitments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.String(16), nullable=True),
        sa.Column("reflection", sa.String(200), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("commitment_id", "stage", name="uq_pulse_commitment_checkins"),
    )


def downgrade() -> None:
    op.drop_table("pulse_commitment_checkins")
    with op.batch_alter_table("pulse_commitments") as batch:
        batch.drop_constraint(FOLLOWUP_ROUND_FK, type_="foreignkey")
        batch.drop_column("followup_round_id")
        batch.drop_column("followup_question_id")
        batch.drop_column("due_at")
        batch.drop_column("midpoint_at")
        batch.drop_column("weeks")
