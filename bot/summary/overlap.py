"""Rounds of two teams that asked the same people in the same week.

Two teams' channels can hold nearly the same people. Both rounds of a week then show
averages of almost the same answers, and subtracting one from the other isolates whoever is
in one round and not the other: with a team of six and a second team of the same people but
one, the difference is that one person's answers, although each round alone passed the
threshold. See docs/privacy.md, "Teams that share people".

The rule, applied to each closed round R of the team a summary is for: take every round R'
of another team in the same workspace and the same week (period) that opened before R (a
lower id), and count I, the people asked in both (from `pulse_recipients`, who was asked,
never who answered). A difference of R and R' combines the answers of people who answered
one and not the other; among them are at least

    max(0, m(R) - I) + max(0, m(R') - I)

people, where m(X) is the fewest answers any of X's counted questions had (an answerer of R
who was not even asked in R' is in that difference, and at most I of R's answerers were).
When that bound is below the threshold, R is withheld: participation only, like a round too
few answered. R' (the earlier round) is not changed, so what a team has already seen stays as
it was, and R is judged against R' whether or not R' has closed: an open R' counts as having
no answers outside the shared people (m = 0), the worst case, until it closes.

Only counts leave the database: the overlap is a count joined in SQL on the recipients' user
ids, and the other round's totals are the same grouped sums and counts a summary reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from bot.pulse.aggregates import (
    QuestionTotal,
    RoundRecord,
    question_totals_of,
    respondents_of,
    stored_question_totals,
)
from bot.pulse.store import CLOSED, PulseRecipient, PulseRound
from bot.summary.disclosure import effective_threshold


@dataclass(frozen=True)
class _Other:
    round_id: int
    threshold: int
    closed: bool
    stored: bool
    respondents: int | None


def fewest_counted_answers(
    totals: Iterable[QuestionTotal], respondents: int, threshold: int
) -> int:
    """m: the fewest answers among the questions a round shows (0 when it shows none).
    Scored answers only (`QuestionTotal.answers`): "didn't come up" is in no average."""
    if respondents < threshold:
        return 0
    counted = [total.answers for total in totals if total.answers >= threshold]
    return min(counted, default=0)


def people_apart(mine: int, theirs: int, shared: int) -> int:
    """The fewest people a difference of two rounds mixes (see the module's docstring)."""
    return max(0, mine - shared) + max(0, theirs - shared)


def can_be_told_apart(mine: int, theirs: int, shared: int, threshold: int) -> bool:
    """True when a difference of the two rounds mixes at least `threshold` people."""
    return people_apart(mine, theirs, shared) >= threshold


def fewest_apart(
    session: Session,
    fewest_answers: Mapping[int, int],
    thresholds: Mapping[int, int],
    now: datetime,
) -> dict[int, int]:
    """Per round that shares people with an earlier round of another team that week: the
    fewest people a difference with one of them mixes, less how far that round's threshold
    is above this round's (so "withheld" is simply "below this round's threshold").

    `fewest_answers`: m of each round (0: it shows nothing, so it is not looked at).
    """
    candidates = [round_id for round_id, m in fewest_answers.items() if m > 0]
    if not candidates:
        return {}
    shared = _shared_with_earlier_rounds(session, candidates, now)
    if not shared:
        return {}
    others = {other.round_id: other for other in _rounds(session, {j for _, j in shared}, now)}
    their_m = _fewest_answers_of(session, list(others.values()))
    apart: dict[int, int] = {}
    for (round_id, other_id), people in shared.items():
        stricter = max(0, others[other_id].threshold - thresholds[round_id])
        value = people_apart(fewest_answers[round_id], their_m.get(other_id, 0), people) - stricter
        apart[round_id] = min(apart.get(round_id, value), value)
    return apart


def withheld_rounds(
    session: Session,
    *,
    records: Sequence[RoundRecord],
    totals: Iterable[QuestionTotal],
    respondents: Mapping[int, int],
    threshold_of: Mapping[int, int],
    now: datetime,
) -> set[int]:
    """Ids of this team's closed rounds to withhold because they overlap an earlier round.

    A round whose totals the clock stored carries its own figure (`people_apart`, worked
    out when stored, against the round's threshold then: a higher threshold since can only
    withhold more), so a summary of stored rounds reads no recipients; the others (and
    rounds stored before the figure existed) are worked out here.
    """
    by_round: dict[int, list[QuestionTotal]] = {}
    for total in totals:
        by_round.setdefault(total.round_id, []).append(total)
    fewest = {
        r.round_id: fewest_counted_answers(
            by_round.get(r.round_id, []), respondents.get(r.round_id, 0), threshold_of[r.round_id]
        )
        for r in records
        if r.closed_at is not None
    }
    # A round that shows nothing has nothing to subtract.
    showing = [r for r in records if fewest.get(r.round_id, 0) > 0]
    apart = {r.round_id: r.people_apart for r in showing if r.people_apart is not None}
    unknown = {r.round_id: fewest[r.round_id] for r in showing if r.people_apart is None}
    if unknown:
        apart.update(fewest_apart(session, unknown, threshold_of, now))
    return {round_id for round_id, people in apart.items() if people < threshold_of[round_id]}


def _shared_with_earlier_rounds(
    session: Session, round_ids: Sequence[int], now: datetime
) -> dict[tuple[int, int], int]:
    """Per (round, other round): how many people both asked, for every other team's round
    of the same workspace and week that opened earlier (a lower id) and shares anyone.

    Reached through the recipients' user index and primary keys, so the cost follows the
    people of this team's rounds, not the size of the database.
    """
    mine, theirs = aliased(PulseRecipient), aliased(PulseRecipient)
    this_round, other_round = aliased(PulseRound), aliased(PulseRound)
    rows = session.execute(
        select(mine.round_id, theirs.round_id, func.count())
        .join(theirs, and_(theirs.user_id == mine.user_id, theirs.round_id < mine.round_id))
        .join(this_round, this_round.id == mine.round_id)
        .join(
            other_round,
            and_(
                other_round.id == theirs.round_id,
                other_round.period == this_round.period,
                other_round.team_id == this_round.team_id,
                other_round.pulse_team_id != this_round.pulse_team_id,
                other_round.opens_at <= now,
            ),
        )
        .where(mine.round_id.in_(round_ids))
        .group_by(mine.round_id, theirs.round_id)
    ).all()
    return {(int(a), int(b)): int(n) for a, b, n in rows}


def _rounds(session: Session, round_ids: set[int], now: datetime) -> list[_Other]:
    rows = session.execute(
        select(
            PulseRound.id,
            PulseRound.anonymity_threshold,
            PulseRound.status,
            PulseRound.closed_at,
            PulseRound.totals_stored_at,
            PulseRound.respondents,
        ).where(PulseRound.id.in_(sorted(round_ids)))
    ).all()
    return [
        _Other(
            round_id=row.id,
            threshold=effective_threshold(row.anonymity_threshold),
            closed=row.status == CLOSED and row.closed_at is not None and row.closed_at <= now,
            stored=row.totals_stored_at is not None,
            respondents=row.respondents,
        )
        for row in rows
    ]


def _fewest_answers_of(session: Session, others: Sequence[_Other]) -> dict[int, int]:
    """m of each other round that had closed; an open one counts as 0 (the worst case)."""
    unique = {other.round_id: other for other in others if other.closed}
    stored = [i for i, other in unique.items() if other.stored]
    live = [i for i, other in unique.items() if not other.stored]
    totals: dict[int, list[QuestionTotal]] = {}
    for total in [*stored_question_totals(session, stored), *question_totals_of(session, live)]:
        totals.setdefault(total.round_id, []).append(total)
    people = {i: unique[i].respondents or 0 for i in stored}
    people.update(respondents_of(session, live))
    return {
        round_id: fewest_counted_answers(
            totals.get(round_id, []), people.get(round_id, 0), other.threshold
        )
        for round_id, other in unique.items()
    }
