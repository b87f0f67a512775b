"""The digests a round's close plans for each of its team's managers: a DM and its chart.

Planned in the close's transaction (bot/summary/closing.py), so nothing is drawn there: the
chart's row keeps its data, and `draw_digest_chart` draws it when the outbox sends it.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.platform import outbox
from bot.platform.delivery import FILE_UPLOAD
from bot.platform.messages import Message
from bot.platform.services import Services
from bot.pulse.store import PulseRound, PulseTeam
from bot.summary.blocks import digest_message
from bot.summary.build import build_summary, parse_weeks
from bot.summary.chart import ChartData, chart_data, draw_chart
from bot.summary.focus_choice import carry_focus
from bot.summary.self_view import own_ratings_of
from bot.summary.uploads import chart_file

logger = logging.getLogger(__name__)

DIGEST = "summary.digest"
DIGEST_CHART = "summary.digest_chart"
# In a digest chart's outbox row: the chart's data as at the close, drawn when it is sent.
CHART_DATA = "chart_data"


def draw_digest_chart(args: dict[str, Any]) -> dict[str, Any]:
    """The outbox's renderer for a digest chart: its upload, drawn from the data the close
    kept (`plan_digests`), just before it is sent and outside any transaction."""
    if CHART_DATA not in args:
        return args  # planned by an earlier version, with the chart drawn in
    data = ChartData.from_json(args.pop(CHART_DATA))
    return {**args, "content": draw_chart(data)}


# Given to the outbox's senders by the composition root (bot/bootstrap.py).
OUTBOX_RENDERERS = {DIGEST_CHART: draw_digest_chart}


def _own_digest(
    services: Services,
    session: Session,
    team: PulseTeam,
    manager: str,
    now: datetime,
    seed: int,
) -> Message | None:
    """A manager's digest with their own self-ratings beside the team's, or None when they
    have none (then they get the team's digest, like every other manager).

    Built with the team digest's `seed`, so it offers the same practice (where the focus is
    the same) and lists the comments in the same order."""
    try:
        # A savepoint: a failure here must not undo the close that plans every digest.
        with session.begin_nested():
            own = own_ratings_of(services, session, team.team_id, manager)
            if not own:
                return None
            summary = build_summary(
                session,
                services.bank,
                team,
                weeks=parse_weeks(""),
                now=now,
                rng=random.Random(seed),
                own=own,
            )
            return digest_message(summary, services.bank, team.name)
    except Exception:
        logger.exception("a manager's own digest failed; they get the team's digest")
        return None


def plan_digests(
    services: Services, session: Session, closed: list[PulseRound], now: datetime
) -> int:
    """After rounds close, one digest DM (and its chart) for each manager, via the outbox.

    This runs in the close's transaction, so it draws nothing: a chart's row keeps the
    chart's data, drawn when the row is sent (`draw_digest_chart`)."""
    planned = 0
    for pulse_round in closed:
        team = session.get(PulseTeam, pulse_round.pulse_team_id)
        if team is None:
            continue
        # One draw per round, never stored: every manager's digest shuffles the comments and
        # picks the practice alike, and nobody can recompute the order to undo the shuffle.
        seed = services.rng.getrandbits(64)
        summary = build_summary(
            session, services.bank, team, weeks=parse_weeks(""), now=now, rng=random.Random(seed)
        )
        carry_focus(session, team, summary, now)
        message = digest_message(summary, services.bank, team.name)
        chart = chart_data(summary, services.bank).to_json()
        for manager in team.managers:
            key = f"{DIGEST}:{team.team_id}:{pulse_round.id}:{manager}"
            own = _own_digest(services, session, team, manager, now, seed)
            planned += outbox.enqueue(
                session,
                team_id=team.team_id,
                dedupe_key=key,
                kind=DIGEST,
                payload=outbox.post_payload(manager, own or message),
                due_at=now,
                now=now,
                # Self-ratings are the lead's alone: the row forgets its text once sent.
                private=own is not None,
            )
            if summary.dimensions:
                # A user id as the channel: Slack shares the file in the DM with that person.
                outbox.enqueue(
                    session,
                    team_id=team.team_id,
                    dedupe_key=f"{DIGEST_CHART}:{team.team_id}:{pulse_round.id}:{manager}",
                    kind=DIGEST_CHART,
                    payload={
                        "method": FILE_UPLOAD,
                        "args": {**chart_file(summary, services.bank, manager), CHART_DATA: chart},
                    },
                    due_at=now + timedelta(seconds=1),
                    now=now,
                )
    return planned
