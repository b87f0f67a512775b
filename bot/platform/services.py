"""What every listener and job needs, built once per process and passed down explicitly."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import MetaData
from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.platform.config import Settings
from bot.platform.database import Database
from bot.platform.directory import Directory
from bot.platform.forgetting import ForgetStep
from bot.platform.tables import Base
from bot.platform.timekeeping import utc_now
from bot.platform.workspaces import WorkspaceClients

# A step another feature takes in the transaction that closes pulse rounds, given the closed
# rounds: pulse knows nothing of summaries, and the composition root hands it theirs.
RoundCloseStep = Callable[["Services", Session, list[Any], datetime], None]
# Likewise a step in the transaction that opens a round, given the team and the new round
# before its DMs are planned: it may add statements to the round's `question_ids`.
RoundOpenStep = Callable[["Services", Session, Any, Any, datetime], None]
# Builds, just before it is sent, what an outbox row of some kind sends: given the row's
# arguments, the Web API arguments (a file upload's bytes as "content"). A feature keeps
# slow work (drawing a chart) out of the transaction that plans the row this way.
OutboxRenderer = Callable[[dict[str, Any]], dict[str, Any]]
# Publishes a person's App Home again (bot/home, above every other feature): for a feature
# whose work changes what that person's Home shows while they may be looking at it.
HomePublisher = Callable[["Services", WebClient, str, str], Any]
# A person's own latest self-ratings per pulse area ({dimension id: 1-5, one decimal}), or
# None when they have none (bot/assess, above summary, fills it): given the session, the
# workspace and the person. Only ever asked about the person who is looking.
SelfRatings = Callable[["Services", Session, str, str], Mapping[str, float] | None]


@dataclass
class Services:
    settings: Settings
    database: Database
    bank: Bank
    # The bot's WebClient (bot/bootstrap.py builds it; making one calls nothing): the App is
    # built on it. Installed by OAuth it has no token: Bolt gives each request its own.
    client: WebClient
    # Injected so tests can drive weeks of schedules without sleeping.
    now: Callable[[], datetime] = utc_now
    rng: random.Random = field(default_factory=random.Random)
    # The server secret for pulse respondent keys (bot/platform/secret.py).
    secret: str = ""
    # Steps run, in order, inside the transaction that closes rounds (bot/bootstrap.py).
    round_close_steps: tuple[RoundCloseStep, ...] = ()
    # Steps run, in order, inside the transaction that opens a round (bot/bootstrap.py).
    round_open_steps: tuple[RoundOpenStep, ...] = ()
    # Every table of every feature (bot/migrations/schema.py, handed in by bot/bootstrap.py):
    # what a workspace's export and deletion read (bot/rights/archive.py).
    schema: MetaData = field(default_factory=lambda: Base.metadata)
    # What each feature deletes or unnames when a person asks lvm to forget them, run in
    # order in one transaction by bot/rights/forget.py (bot/bootstrap.py fills it).
    forget_steps: tuple[ForgetStep, ...] = ()
    # Each feature's renderers of its outbox rows, by kind, for every sender (bot/bootstrap.py).
    outbox_renderers: Mapping[str, OutboxRenderer] = field(default_factory=dict)
    # Each workspace's client, for the clock, the outbox and Slack reads (bot/platform/workspaces.py).
    workspaces: WorkspaceClients = field(init=False)
    # The App Home's publisher (bot/bootstrap.py); None where no Home is served.
    home_publisher: HomePublisher | None = None
    # The self-assessment's ratings, for a lead's own view of their team (bot/bootstrap.py).
    self_ratings: SelfRatings | None = None

    def __post_init__(self) -> None:
        self.workspaces = WorkspaceClients(
            self.settings, self.database, single_client=self.client, now=self.now
        )

    def directory_for(self, team_id: str, enterprise_id: str | None = None) -> Directory:
        """Who is in a channel of this workspace, and where: read with its own token."""
        return self.workspaces.directory_for(team_id, enterprise_id)
