"""A pulse team and its open round, set up through lvm's own code against a benchmark database.

The benchmark process plays the clock and the manager here: the team is saved and the round
opened by the functions `/lvm pulse setup` and `/lvm pulse start` call, its members read from
(fake) Slack, and the DMs planned in the outbox; sending them is up to the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time

from bench.context import SECRET_KEY
from bench.databases import BenchDatabase
from bench.slack_requests import SIGNING_SECRET
from bot.bank import load_bank
from bot.bootstrap import build_services
from bot.platform.config import Settings
from bot.platform.database import Database
from bot.platform.services import Services
from bot.pulse import automation
from bot.pulse.schedule import Schedule
from bot.pulse.teams import TeamSettings, save_team
from slack_standin import TEAM_ID, FakeSlackServer

TEAM_NAME = "Bench team"


def bench_services(
    fake: FakeSlackServer, database: BenchDatabase, now: Callable[[], datetime]
) -> Services:
    """The services a clock process would build, on this database and this fake Slack."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        SLACK_BOT_TOKEN=fake.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=database.url,
        LVM_SECRET_KEY=SECRET_KEY,
    )
    return build_services(
        settings=settings,
        database=Database(database.url),
        bank=load_bank(),
        now=now,
        secret=SECRET_KEY,
    )


def set_up_team(services: Services, channel_id: str, manager: str) -> None:
    """What submitting the setup modal saves: a weekly pulse on Mondays at 10:00, London."""
    schedule = Schedule(
        weekday=0,
        local_time=time(10, 0),
        timezone="Europe/London",
        open_days=3,
        remind_after_hours=24,
    )
    with services.database.transaction() as session:
        save_team(
            session,
            team_id=TEAM_ID,
            channel_id=channel_id,
            settings=TeamSettings(
                name=TEAM_NAME,
                managers=[manager],
                schedule=schedule,
                question_ids=None,
                anonymity_threshold=3,
                # Every member of the channel gets a DM, the manager too: the fan-out
                # benchmarks count one per member.
                managers_answer=True,
            ),
            actor=manager,
            now=services.now(),
        )


def open_round(services: Services, channel_id: str, manager: str) -> automation.RoundOpened:
    """`/lvm pulse start`'s opening: members from Slack, the round, one outbox row each."""
    return automation.open_round_now(
        services,
        services.directory_for(TEAM_ID),
        team_id=TEAM_ID,
        channel_id=channel_id,
        opened_by=manager,
    )
