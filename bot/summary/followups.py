"""The team's one-off statement about a commitment: asked once, in the round after it is due.

A commitment's dimension has a follow-up statement in the bank ("Lately, my lead has ...").
The first round of the team that opens once the commitment is due asks it beside its own
statements: it is added to that round's `question_ids`, so the round keeps what it asked,
and answered like any statement. Its average is shown under the same rules as any
statement's (bot/summary/disclosure.py): in a closed round, with at least the threshold of
scored answers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.platform.services import Services
from bot.pulse.store import PulseRound, PulseTeam
from bot.summary.store import PulseCommitment

# A round that opens later than this after the due date (a team paused for a while) no
# longer asks: "lately" would be about something else by then.
ASK_WITHIN = timedelta(weeks=4)


def add_followups(
    services: Services, session: Session, team: PulseTeam, pulse_round: PulseRound, now: datetime
) -> None:
    """A round-opening step (Services.round_open_steps): ask the follow-up of each commitment
    of the team that is due and was not followed up yet, once per dimension."""
    due = session.scalars(
        select(PulseCommitment)
        .where(
            PulseCommitment.pulse_team_id == team.id,
            PulseCommitment.followup_round_id.is_(None),
            PulseCommitment.due_at.is_not(None),
            PulseCommitment.due_at <= now,
            PulseCommitment.due_at > now - ASK_WITHIN,
        )
        .order_by(PulseCommitment.due_at, PulseCommitment.id)
    )
    asked = list(pulse_round.question_ids)
    for commitment in due:
        followup = services.bank.followup_by_dimension.get(commitment.dimension_id)
        if followup is None:  # an area about the team: there is no "my lead has" to ask
            continue
        if followup.id not in asked:
            asked.append(followup.id)
        commitment.followup_question_id = followup.id
        commitment.followup_round_id = pulse_round.id
    if asked != pulse_round.question_ids:
        pulse_round.question_ids = asked  # a new list: the JSON column sees the change
    session.flush()
