"""Start-up: check the bank and the database, then build what the process serves."""

from __future__ import annotations

import logging
from typing import Any

from bot.assess import content_check as assessment_check
from bot.assess import store as assess_store
from bot.assess.self_ratings import own_ratings
from bot.bank import Bank, load_bank
from bot.home.service import publish_home
from bot.migrations import migrate
from bot.migrations.schema import metadata
from bot.nudges import store as nudges_store
from bot.platform import outbox
from bot.platform.config import ConfigError, Settings
from bot.platform.database import REQUESTS, Database, DatabaseUnavailable, Patience
from bot.platform.forgetting import ForgetStep
from bot.platform.installations import forget_installer
from bot.platform.secret import pulse_secret
from bot.platform.services import Services
from bot.platform.slack_client import build_web_client
from bot.pulse import forgetting as pulse_forgetting
from bot.summary import focus_store
from bot.summary import store as summary_store
from bot.summary.closing import after_rounds_close
from bot.summary.digests import OUTBOX_RENDERERS
from bot.summary.followups import add_followups
from bot.threads import forgetting as threads_forgetting
from bot.threads import store as threads_store
from bot.threads.addressing import outbox_renderers as thread_renderers
from bot.tips import store as tips_store
from bot.tips.content_check import check_rendering
from bot.welcome import store as welcome_store

logger = logging.getLogger(__name__)


# What `/lvm forget me` deletes or unnames, feature by feature, in one transaction
# (bot/rights/forget.py); `/lvm privacy` and the confirmation list each step's words. A
# feature that stores something about a person adds its step here.
# The pulse goes first: it refuses the only manager of a team before anything is deleted.
def forget_steps(secret: str) -> tuple[ForgetStep, ...]:
    """Every feature's step; `secret` opens the sealed links to comments' authors."""
    return (
        ForgetStep(
            "your pulse opt-outs, and your user id in teams' settings and in the lists of who "
            "each round asked (a mark that names nobody takes its place, so counts stay right)",
            pulse_forgetting.forget_person,
        ),
        ForgetStep(
            "the practices lvm showed you and your verdicts on them", tips_store.forget_person
        ),
        ForgetStep(
            "your self-assessments, with your growth plans, their check-ins and reflections, "
            "and whom you showed a plan to",
            assess_store.forget_person,
        ),
        ForgetStep(
            "the tips scheduled for you by DM; a channel's scheduled tips you set up stay for "
            "the channel, without your name",
            nudges_store.forget_person,
        ),
        ForgetStep(
            "your commitments, with their check-ins and reflections", summary_store.forget_person
        ),
        ForgetStep(
            "your name on a team focus you chose (the focus stays)", focus_store.forget_person
        ),
        ForgetStep(
            "your name on what you wrote as a manager in conversations about comments (it "
            'stays, from "a manager")',
            threads_store.forget_person,
        ),
        ForgetStep(
            "the sealed links from your pulse comments to you (each is made unopenable), so "
            "no conversation about a comment of yours reaches you again; its managers are not "
            "told, and to them it looks as if you had muted it",
            threads_forgetting.forget_author(secret),
        ),
        ForgetStep("the note that lvm greeted you on its Home tab", welcome_store.forget_person),
        ForgetStep(
            "messages waiting to be sent to you, and lvm's 30-day record of the messages it "
            "sent you or that named you",
            outbox.forget_person,
        ),
        ForgetStep(
            "your name as the person who installed lvm, if you did (the install stays)",
            forget_installer,
        ),
    )


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.LOG_LEVEL,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def open_database(settings: Settings, patience: Patience = REQUESTS) -> Database:
    """Connect, migrate an SQLite file by itself, and insist other databases are current."""
    database = Database(settings.DATABASE_URL, patience=patience)
    try:
        database.ping()
    except DatabaseUnavailable as error:
        raise ConfigError(
            f"DATABASE_URL: cannot reach {database.display_url()}: {error}. "
            "Check the URL and that the database server is running."
        ) from None
    if database.is_sqlite:
        migrate.upgrade(database)
    elif not migrate.is_current(database):
        raise ConfigError(
            f"the database at {database.display_url()} is not at the latest schema "
            f"({migrate.current_revision(database)} < {migrate.head_revision()}). "
            "Run: lvm-bot db upgrade"
        )
    return database


def load_checked_bank(settings: Settings) -> Bank:
    """The content bank, with every practice rendered once: a broken bank stops here."""
    from pathlib import Path

    content_dir = Path(settings.LVM_CONTENT_DIR) if settings.LVM_CONTENT_DIR else None
    bank = load_bank(content_dir)
    check_rendering(bank)
    assessment_check.check_rendering(bank)
    return bank


def prepare(
    settings: Settings, bank: Bank | None = None, patience: Patience = REQUESTS
) -> Services:
    """Everything but the Slack App itself: a broken bank or database stops here.

    `bank`, when given, was loaded and checked already (by gunicorn's master, say).
    `patience` is how long database work waits: a request's, unless this is the clock.
    """
    bank = bank or load_checked_bank(settings)
    database = open_database(settings, patience)
    return build_services(
        settings=settings, database=database, bank=bank, secret=pulse_secret(settings, database)
    )


def build_services(settings: Settings, **parts: Any) -> Services:
    """Services with the bot's WebClient and every feature's part in the work other features
    start, the App Home's publisher among them. The client waits out 429s (Slack reads,
    answers); the outbox's Sender paces itself. A DM to a comment's author is addressed with
    the server secret (`parts["secret"]`)."""
    return Services(
        settings=settings,
        client=build_web_client(settings.SLACK_BOT_TOKEN, settings.SLACK_API_URL),
        schema=metadata,
        forget_steps=forget_steps(parts.get("secret", "")),
        round_close_steps=(after_rounds_close,),
        round_open_steps=(add_followups,),
        outbox_renderers={**OUTBOX_RENDERERS, **thread_renderers(parts.get("secret", ""))},
        home_publisher=publish_home,
        self_ratings=own_ratings,
        **parts,
    )
