"""`:seed`: a few months of pulse history for the demo team, so summaries have a story.

Written straight into the store through the same behavior functions the app uses (there is
no Slack traffic to replay for the past), with scores that drift the way a real team's do.
"""

from __future__ import annotations

import random
from datetime import time, timedelta

from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services
from bot.pulse import rounds, teams
from bot.pulse.schedule import Schedule
from bot.pulse.store import PulseTeam

# Per dimension: where the demo team starts and how it drifts each week.
DRIFT = {
    "direction": (3.3, 0.02),
    "change": (3.4, 0.03),
    "influence": (3.8, 0.0),
    "trust": (4.1, 0.0),
    "growth": (3.0, -0.04),
    "goals": (3.9, 0.02),
    "stability": (3.7, 0.0),
    "planning": (3.6, 0.01),
    "monitoring": (4.0, 0.0),
    "delegation": (3.8, -0.02),
    "voice": (3.5, 0.0),
    "workload": (3.1, -0.05),
    "outcome": (3.9, 0.0),
}
COMMENTS = (
    "Planning was clearer this week.",
    "Too many meetings on Tuesday.",
    "Would love more time with the new tooling.",
    "Thanks for shielding us during the incident.",
)


def ensure_team(
    services: Services, team_id: str, channel_id: str, manager: str, tz: str
) -> PulseTeam:
    with services.database.transaction() as session:
        team = teams.find_team(session, team_id, channel_id)
        if team is not None:
            return team
        settings = teams.TeamSettings(
            name="Demo team",
            managers=[manager],
            schedule=Schedule(0, time(10, 0), tz, 3, 24),
            question_ids=None,
            anonymity_threshold=3,
        )
        team, _ = teams.save_team(
            session,
            team_id=team_id,
            channel_id=channel_id,
            settings=settings,
            actor=manager,
            now=services.now() - timedelta(weeks=30),
        )
        return team


def has_open_round(services: Services, team_id: str, channel_id: str) -> bool:
    with services.database.transaction() as session:
        team = teams.find_team(session, team_id, channel_id)
        return team is not None and rounds.open_round_of(session, team) is not None


def seed_history(
    services: Services,
    *,
    team_id: str,
    channel_id: str,
    manager: str,
    members: list[str],
    tz: str,
    weeks: int = 12,
    seed: int = 11,
) -> int:
    """Closed weekly rounds for the past `weeks` weeks; returns how many were added."""
    rng = random.Random(seed)
    ensure_team(services, team_id, channel_id, manager, tz)
    dimension_of = {q.id: q.dimension for q in services.bank.questions}
    added = 0
    for back in range(weeks, 0, -1):
        opened_at = services.now() - timedelta(weeks=back)
        with services.database.transaction() as session:
            team = teams.find_team(session, team_id, channel_id)
            assert team is not None
            try:
                opened = rounds.open_round(
                    session, services.bank, team, members=members, now=opened_at
                )
            except PulseRefusal:  # that week already has a round
                continue
            week = weeks - back
            # Only the round's recipients can answer: the manager and members who opted out were left out.
            recipients = opened.recipients
            answering = min(len(recipients), max(3, len(recipients) - rng.randint(0, 1)))
            for user_id in rng.sample(recipients, k=answering):
                for question_id in opened.round.question_ids:
                    base, slope = DRIFT.get(dimension_of[question_id], (3.5, 0.0))
                    score = round(base + slope * week + rng.gauss(0, 0.6))
                    rounds.record_answer(
                        session,
                        secret=services.secret,
                        team_id=team_id,
                        round_id=opened.round.id,
                        user_id=user_id,
                        question_id=question_id,
                        score=min(5, max(1, score)),
                        now=opened_at,
                    )
                if rng.random() < 0.3:
                    rounds.record_comment(
                        session,
                        secret=services.secret,
                        team_id=team_id,
                        round_id=opened.round.id,
                        user_id=user_id,
                        text=rng.choice(COMMENTS),
                        now=opened_at,
                    )
            rounds.close_round(session, opened.round, opened.round.closes_at)
            added += 1
    return added
