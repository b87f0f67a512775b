"""What every listener and job needs, built once per process and passed down explicitly."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient

from bot.bank import Bank
from bot.config import Settings
from bot.store.database import Database
from bot.timekeeping import utc_now


@dataclass
class Services:
    settings: Settings
    database: Database
    bank: Bank
    # Injected so tests can drive weeks of schedules without sleeping.
    now: Callable[[], datetime] = utc_now
    rng: random.Random = field(default_factory=random.Random)
    # The server secret for pulse respondent keys (bot/secret.py).
    secret: str = ""
    # The bot's WebClient, for work that runs outside a request (the clock, lazy listeners).
    client: WebClient | None = None
