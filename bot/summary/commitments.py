"""Commitments: a manager says "I'll try this" to a focus practice; summaries follow it up.

A commitment runs for two to four weeks (three unless the manager picks another length):
while it runs its area is the team's focus, a check-in DM asks the manager at its midpoint
and on its due date how it went (bot/summary/checkins.py), and the team's next round after
it is due asks a one-off statement about it (bot/summary/followups.py).

What a commitment's dimension did since is read from shown round values only, so following
a commitment up discloses nothing a summary would not: before and after are levels over up
to three shown rounds each, with the normal variation between them.
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
from bot.summary.trends import (
    FOLLOWUP_HIDDEN,
    FOLLOWUP_SHOWN,
    FOLLOWUP_WAITING,
    CommitmentProgress,
    DimensionScore,
    LevelChange,
    RoundView,
    StatementScore,
    difference,
    noise_between,
    read_level,
)

COMMITMENTS_SHOWN = 5
# A second click on the same practice within this window is the same commitment.
REPEAT_WINDOW = timedelta(days=7)
WEEKS_CHOICES = (2, 3, 4)
DEFAULT_WEEKS = 3
# The "after" read takes rounds that opened up to this long past the due date, so it
# settles on what followed the commitment instead of drifting with every later round.
# Before and after a commitment are read over up to this many shown rounds each: a
# commitment lasts two to four weeks, so a longer window would mostly read other weeks.
COMMITMENT_WINDOW = 3
AFTER_DUE = timedelta(weeks=COMMITMENT_WINDOW)


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
    weeks: int = DEFAULT_WEEKS,
) -> CommitResult:
    """Record that a manager of `team` will try a practice for a dimension, for `weeks`.

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
    _set_length(commitment, weeks)
    session.add(commitment)
    session.flush()
    return CommitResult(commitment, created=True, announce=announce, told=announce)


def _set_length(commitment: PulseCommitment, weeks: int) -> None:
    if weeks not in WEEKS_CHOICES:
        raise CommitmentRefused("A commitment runs for 2, 3 or 4 weeks.")
    commitment.weeks = weeks
    commitment.midpoint_at = commitment.committed_at + timedelta(weeks=weeks) / 2
    commitment.due_at = commitment.committed_at + timedelta(weeks=weeks)


def change_length(
    services: Services, *, team_id: str, user_id: str, commitment_id: int, weeks: int
) -> PulseCommitment:
    """The manager who committed picks another length, until its first check-in is planned
    (after that the dates it has already been asked about would no longer hold)."""
    with services.database.transaction() as session:
        commitment = own_commitment(session, team_id, user_id, commitment_id)
        if store.checkins_of(session, [commitment.id])[commitment.id]:
            raise CommitmentRefused(
                "Its check-in has started, so its dates stay as they are. Commit again from "
                "a fresh `/lvm summary` for a new length."
            )
        _set_length(commitment, weeks)
        session.flush()
        session.expunge(commitment)
        return commitment


def own_commitment(
    session: Session, team_id: str, user_id: str, commitment_id: int
) -> PulseCommitment:
    """The commitment, if this person made it in this workspace; nobody else's."""
    commitment = session.get(PulseCommitment, commitment_id)
    if commitment is None or commitment.team_id != team_id or commitment.user_id != user_id:
        raise CommitmentRefused(
            "That commitment isn't one of yours (or it is gone). Your own are on your lvm Home tab."
        )
    return commitment


def active_dimension(commitments: Sequence[PulseCommitment], now: datetime) -> str | None:
    """The area of the newest commitment still running at `now`: the focus holds on it."""
    for commitment in commitments:  # newest first
        if commitment.due_at is not None and commitment.committed_at <= now < commitment.due_at:
            return commitment.dimension_id
    return None


def recent_commitments(
    session: Session, team: PulseTeam, limit: int = COMMITMENTS_SHOWN
) -> list[PulseCommitment]:
    """The team's latest commitments, newest first."""
    return store.recent_for_team(session, team.id, limit)


def _points(views: Sequence[RoundView], dimension: str) -> list[tuple[RoundView, DimensionScore]]:
    return [(view, view.scores[dimension]) for view in views if dimension in view.scores]


def _same_series(
    points: list[tuple[RoundView, DimensionScore]], basis: tuple[str, ...]
) -> list[tuple[RoundView, DimensionScore]]:
    return [(view, score) for view, score in points if score.basis == basis]


def _followup(
    commitment: PulseCommitment, views: Sequence[RoundView], bank: Bank
) -> tuple[str | None, str | None, StatementScore | None]:
    """(statement, state, score) of the commitment's one-off statement to the team."""
    question_id = commitment.followup_question_id
    if question_id is None or commitment.followup_round_id is None:
        return None, None, None
    question = bank.question_by_id.get(question_id)
    text = question.text if question is not None else None
    view = next((v for v in views if v.round_id == commitment.followup_round_id), None)
    if view is None:
        return text, FOLLOWUP_WAITING, None
    score = view.statements.get(question_id)
    return text, FOLLOWUP_SHOWN if score is not None else FOLLOWUP_HIDDEN, score


def progress_of(
    commitments: Sequence[PulseCommitment], views: Sequence[RoundView], bank: Bank
) -> tuple[CommitmentProgress, ...]:
    """Before and after for each commitment, from shown rounds (`views` oldest first).

    Before: the dimension's level over the last COMMITMENT_WINDOW shown rounds closed by the
    time of the commitment. After: its level over the last COMMITMENT_WINDOW shown rounds
    opened since, up to
    AFTER_DUE past the due date, in the same series as before (a value read from another
    statement is not compared).
    """
    progress = []
    for commitment in commitments:
        dimension = commitment.dimension_id
        points = _points(views, dimension)
        ends = (commitment.due_at or commitment.committed_at) + AFTER_DUE
        since = [
            (view, score)
            for view, score in points
            if commitment.committed_at <= view.opens_at < ends
        ]
        before_points = [(v, s) for v, s in points if v.closes_at <= commitment.committed_at]
        if since and before_points:
            basis = since[-1][1].basis
            since = _same_series(since, basis)
            before_points = _same_series(before_points, basis)
        before = read_level(before_points[-COMMITMENT_WINDOW:])
        after = read_level(since[-COMMITMENT_WINDOW:])
        change = (
            LevelChange(
                previous=before,
                change=difference(after.average, before.average),
                noise=noise_between(after.weight, before.weight),
            )
            if before is not None and after is not None
            else None
        )
        followup_text, followup_state, followup_score = _followup(commitment, views, bank)
        progress.append(
            CommitmentProgress(
                commitment_id=commitment.id,
                user_id=commitment.user_id,
                dimension_id=dimension,
                dimension_name=bank.dimension_name(dimension),
                practice_id=commitment.practice_id,
                practice_title=bank.practice_title(commitment.practice_id),
                committed_at=commitment.committed_at,
                before=before.average if before is not None else None,
                now=after.average if after is not None else None,
                rounds_since=after.rounds if after is not None else 0,
                due_at=commitment.due_at,
                before_level=before,
                after_level=after,
                change=change,
                followup_text=followup_text,
                followup_state=followup_state,
                followup_score=followup_score,
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
    weeks: int = DEFAULT_WEEKS,
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
            weeks=weeks,
        )
        return result, team.channel_id
