"""The clock's tick ends by draining the outbox through a Sender built from the settings."""

from __future__ import annotations

from datetime import timedelta

from bot.bootstrap import build_services
from bot.clock import build_sender, tick
from bot.platform import outbox
from bot.platform.config import Settings
from tests.support.outbox_rows import add_people, enqueue_dm, posts_to


def test_a_tick_sends_what_is_due(database, clock, slack, bank):
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_API_URL=slack.api_url,
    )
    services = build_services(settings=settings, database=database, bank=bank, now=clock)
    sender = build_sender(services)
    now_person, later_person = add_people(slack, 2)
    enqueue_dm(database, now_person, now=clock())
    enqueue_dm(database, later_person, now=clock(), due_at=clock() + timedelta(minutes=1))

    assert tick(services, sender=sender) == 1
    assert (posts_to(slack, now_person), posts_to(slack, later_person)) == (1, 0)

    clock.advance(timedelta(seconds=30))
    assert tick(services, sender=sender) == 0
    clock.advance(timedelta(seconds=30))
    assert tick(services, sender=sender) == 1
    assert posts_to(slack, later_person) == 1

    # A month on, the clock forgets both sent messages; nothing is sent again.
    clock.advance(outbox.RETENTION + timedelta(minutes=2))
    tick(services, sender=sender)
    with database.transaction() as session:
        assert outbox.messages(session) == []
    assert (posts_to(slack, now_person), posts_to(slack, later_person)) == (1, 1)
