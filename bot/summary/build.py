"""`/lvm summary`: a pulse team's trends over a span of weeks, as its managers may see them."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.platform.refusals import PulseRefusal
from bot.pulse.aggregates import RoundComment, RoundRecord, comments_of_round, load_totals
from bot.pulse.store import PulseTeam
from bot.summary import overlap
from bot.summary.commitments import active_dimension, progress_of, recent_commitments
from bot.summary.disclosure import effective_threshold, round_views
from bot.summary.focus import candidates_of, choose_focus, extremes, lapsed
from bot.summary.focus_choice import stored_choice
from bot.summary.self_view import self_view_of
from bot.summary.trends import (
    OpenRound,
    RoundView,
    TeamSummary,
    balance_of,
    dimension_trends,
    participation_trend,
    side_trends,
)

DEFAULT_WEEKS = 12
MIN_WEEKS, MAX_WEEKS = 1, 104
WEEKS_OPTION = "weeks:"
# How far before a commitment to look for its "before" value.
COMMITMENT_LOOKBACK = timedelta(weeks=12)
# The focus reads the same weeks whatever span is asked for, so a summary, the digest and a
# focus nudge agree on it.
FOCUS_WEEKS = DEFAULT_WEEKS


class BadSummaryRequest(PulseRefusal):
    pass


def parse_weeks(text: str) -> int:
    """The span asked for with `weeks:N` anywhere in the text, else DEFAULT_WEEKS."""
    for token in text.split():
        if not token.lower().startswith(WEEKS_OPTION):
            continue
        number = token[len(WEEKS_OPTION) :]
        # isdigit alone admits `²`, which int() refuses: ASCII digits only.
        if not (number.isascii() and number.isdigit()) or not MIN_WEEKS <= int(number) <= MAX_WEEKS:
            raise BadSummaryRequest(
                f"`weeks:N` takes a number of weeks from {MIN_WEEKS} to {MAX_WEEKS}, "
                "for example `/lvm summary weeks:26`."
            )
        return int(number)
    return DEFAULT_WEEKS


def _open_round(records: tuple[RoundRecord, ...]) -> OpenRound | None:
    still_open = [record for record in records if record.closed_at is None]
    if not still_open:
        return None
    latest = still_open[-1]
    return OpenRound(
        latest.period, latest.closes_at, latest.answered, latest.asked, opens_at=latest.opens_at
    )


def _comments(
    session: Session, latest: RoundView | None, rng: random.Random, *, for_admin: bool
) -> list[RoundComment]:
    # Comments come from the latest closed round, and only when that round is shown.
    # Admins read them; only the team's managers may answer them (bot/threads).
    if latest is None or not latest.shown:
        return []
    comments = comments_of_round(session, latest.round_id)
    rng.shuffle(comments)
    if for_admin:
        return [RoundComment(comment.text, None) for comment in comments]
    return comments


def build_summary(
    session: Session,
    bank: Bank,
    team: PulseTeam,
    *,
    weeks: int,
    now: datetime,
    rng: random.Random,
    for_admin: bool = False,
    own: Mapping[str, float] | None = None,
) -> TeamSummary:
    """The team's summary over the `weeks` before `now`.

    Numbers depend only on the stored answers of closed rounds and the team's threshold:
    not on who is asking, who is in the channel now, or `rng` (which orders comments and
    picks among equally fitting practices). The caller checks that the person asking is
    one of the team's managers, or an admin where the team allows it
    (`bot.pulse.teams.require_viewer`); `for_admin` then withholds the rounds that opened
    before it did.

    `own`: the viewer's own self-ratings, given only when a manager of the team looks at
    their own summary (never for an admin, an export, or what is stored): they add the
    self-vs-team view and may add a candidate, and change nothing else.
    """
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be between {MIN_WEEKS} and {MAX_WEEKS}")
    threshold = effective_threshold(team.anonymity_threshold)
    span_start = now - timedelta(weeks=weeks)
    commitments = recent_commitments(session, team)
    focus_start = now - timedelta(weeks=FOCUS_WEEKS)
    history_start = min(
        [span_start, focus_start, *(c.committed_at - COMMITMENT_LOOKBACK for c in commitments)]
    )
    totals = load_totals(session, team.id, since=history_start, now=now)
    sharing_people = overlap.withheld_rounds(
        session,
        records=totals.rounds,
        totals=totals.question_totals,
        respondents=totals.respondents,
        threshold_of={
            r.round_id: max(threshold, effective_threshold(r.threshold)) for r in totals.rounds
        },
        now=now,
    )
    history = round_views(
        totals.rounds,
        totals.question_totals,
        totals.respondents,
        bank,
        threshold,
        for_admin=for_admin,
        sharing_people=sharing_people,
    )
    views = tuple(view for view in history if view.opens_at > span_start)
    trends = dimension_trends(views, bank)
    sides = side_trends(views)
    latest = views[-1] if views else None
    strongest, weakest = extremes(trends)
    focus_views = tuple(view for view in history if view.opens_at > focus_start)
    focus_trends = trends if focus_views == views else dimension_trends(focus_views, bank)
    chosen, current = stored_choice(session, team)
    # No focus in a span that shows no area: the summary has nothing to point it at.
    focus = (
        None
        if not trends
        else choose_focus(
            focus_trends,
            bank,
            views=focus_views,
            committed_practices={c.practice_id for c in commitments},
            rng=rng,
            current=current,
            chosen=chosen,
            held_dimension=active_dimension(commitments, now),
        )
    )
    comments = _comments(session, latest, rng, for_admin=for_admin)
    return TeamSummary(
        pulse_team_id=team.id,
        team_name=team.name,
        weeks=weeks,
        threshold=threshold,
        generated_at=now,
        rounds=views,
        open_round=_open_round(totals.rounds),
        participation=participation_trend(views),
        dimensions=trends,
        strongest=strongest,
        weakest=weakest,
        focus=focus,
        comments_period=latest.period if latest is not None and latest.shown else None,
        comments=tuple(comment.text for comment in comments),
        comment_references=tuple(comment.reference for comment in comments),
        commitments=progress_of(commitments, history, bank),
        timezone=team.timezone,
        sides=sides,
        balance=balance_of(sides, views, bank),
        candidates=candidates_of(focus_trends, focus_views, current=current, own=own)
        if trends
        else (),
        lapsed_choice=lapsed(chosen, focus_trends),
        self_view=self_view_of(trends, views, own) if own else None,
    )
