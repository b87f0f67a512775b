"""What every listener and job needs, built once per process and passed down explicitly."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.platform.config import Settings
from bot.platform.database import Database
from bot.platform.directory import Directory, SlackDirectory
from bot.platform.timekeeping import utc_now

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


@dataclass
class Services:
    settings: Settings
    database: Database
    bank: Bank
    # The bot's WebClient (bot/bootstrap.py builds it; making one calls nothing): the App is
    # built on it, and work outside a request (the clock) reads Slack with it.
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
    # Each feature's renderers of its outbox rows, by kind, for every sender (bot/bootstrap.py).
    outbox_renderers: Mapping[str, OutboxRenderer] = field(default_factory=dict)
    # Who is in a channel, and where: Slack read through `client`, for listeners and the clock.
    directory: Directory = field(init=False)

    def __post_init__(self) -> None:
        self.directory = SlackDirectory(self.client)
