"""Commitments: a manager says "I'll try this" to a focus practice; summaries follow it up.

What a commitment's dimension did since is read from shown round values only, so following
a commitment up discloses nothing a summary would not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services
from bot.pulse.store import PulseTeam
from bot.pulse.teams import lock_team, require_manager, team_by_id
from bot.summary import store
from bot.summary.store import PulseCommitment
from bot.summary.trends import CommitmentProgress, RoundView

COMMITMENTS_SHOWN = 5
# A second click on the same practice within this window is the same commitment.
REPEAT_WINDOW = timedelta(days=7)


class CommitmentRefused(PulseRefusal):
    """The dimension or practice is unknown, or the practice is not aimed at the dimension."""


@dataclass(frozen=True)
class CommitResult:
    commitment: PulseCommitment
    created: bool
    # True exactly once per commitment: when the caller should tell the team's channel.
    announce: bool
    # Whether the team has been told (by this click or an earlier one): what the reply says.
    told: bool = False


def commit(
    session: Session,
    bank: Bank,
    team: PulseTeam,
    *,
    user_id: str,
    dimension_id: str,
    practice_id: str,
    announce: bool,
    now: datetime,
) -> CommitResult:
    """Record that a manager of `team` will try a practice for a dimension.

    Raises NotAManager for anyone else, CommitmentRefused for a practice outside that
    dimension's pool. Clicking again (or clicking the other button) within a week
    returns the same commitment, announcing it at most once.
    """
    require_manager(team, user_id)
    dimension = next((d for d in bank.dimensions if d.id == dimension_id), None)
    practice = bank.practice_by_id.get(practice_id)
    if dimension is None or practice is None:
        raise CommitmentRefused("That practice or area is no longer in the content bank.")
    if dimension.id not in practice.dimensions:
        raise CommitmentRefused(f"{practice.title} is not aimed at {dimension.name}.")
    # Clicks at once queue here, so the second finds the first's commitment (and announces
    # nothing) instead of making its own.
    lock_team(session, team)
    existing = store.latest_matching(
        session,
        pulse_team_id=team.id,
        user_id=user_id,
        dimension_id=dimension_id,
        practice_id=practice_id,
        since=now - REPEAT_WINDOW,
    )
    if existing is not None:
        tell = announce and not existing.announced
        existing.announced = existing.announced or tell
        return CommitResult(existing, created=False, announce=tell, told=existing.announced)
    commitment = PulseCommitment(
        team_id=team.team_id,
        pulse_team_id=team.id,
        user_id=user_id,
        dimension_id=dimension_id,
        practice_id=practice_id,
        committed_at=now,
        announced=announce,
    )
    session.add(commitment)
    session.flush()
    return CommitResult(commitment, created=True, announce=announce, told=announce)


def recent_commitments(
    session: Session, team: PulseTeam, limit: int = COMMITMENTS_SHOWN
) -> list[PulseCommitment]:
    """The team's latest commitments, newest first."""
    return store.recent_for_team(session, team.id, limit)


def progress_of(
    commitments: Sequence[PulseCommitment], views: Sequence[RoundView], bank: Bank
) -> tuple[CommitmentProgress, ...]:
    """Before and now for each commitment, from shown rounds (`views` oldest first).

    Before: the dimension's latest shown value from rounds closed by the time of the
    commitment. Now: its latest shown value from rounds opened after it.
    """
    names = {d.id: d.name for d in bank.dimensions}
    progress = []
    for commitment in commitments:
        dimension = commitment.dimension_id
        before_values = [
            view.scores[dimension].average
            for view in views
            if dimension in view.scores and view.closes_at <= commitment.committed_at
        ]
        since_values = [
            view.scores[dimension].average
            for view in views
            if dimension in view.scores and view.opens_at >= commitment.committed_at
        ]
        practice = bank.practice_by_id.get(commitment.practice_id)
        progress.append(
            CommitmentProgress(
                commitment_id=commitment.id,
                user_id=commitment.user_id,
                dimension_id=dimension,
                dimension_name=names.get(dimension, dimension),
                practice_id=commitment.practice_id,
                practice_title=practice.title if practice else commitment.practice_id,
                committed_at=commitment.committed_at,
                before=before_values[-1] if before_values else None,
                now=since_values[-1] if since_values else None,
                rounds_since=len(since_values),
            )
        )
    return tuple(progress)


def commit_from_summary(
    services: Services,
    *,
    team_id: str,
    pulse_team_id: int,
    user_id: str,
    dimension_id: str,
    practice_id: str,
    announce: bool,
) -> tuple[CommitResult, str]:
    """A manager's "I'll try this" under a summary, in one transaction; the result and the
    team's channel (to tell it, when the result says so)."""
    with services.database.transaction() as session:
        team = team_by_id(session, team_id, pulse_team_id)
        if team is None:
            raise PulseRefusal("I can't find that team any more. Ask for a fresh `/lvm summary`.")
        require_manager(team, user_id)
        result = commit(
            session,
            services.bank,
            team,
            user_id=user_id,
            dimension_id=dimension_id,
            practice_id=practice_id,
            announce=announce,
            now=services.now(),
        )
        return result, team.channel_id
