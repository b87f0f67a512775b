"""A round started by hand never swallows a scheduled one (issue 12, item 12).

The team's rounds open on Mondays at 10:00 London (10:00 UTC in November), open 3 days.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.pulse.store import PulseRound
from tests.support.harness import ALICE, BOB, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import pulse_dms, set_up_team, tick

FRIDAY_AFTERNOON = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
NEXT_OPENING = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def rounds(harness) -> list[PulseRound]:
    with harness.services.database.transaction() as session:
        return list(session.scalars(select(PulseRound).order_by(PulseRound.id)))


def test_a_round_started_late_in_the_week_closes_before_next_weeks_round_opens(harness):
    harness.services.now.set(FRIDAY_AFTERNOON)
    set_up_team(harness, ALICE)
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    reply = text_of(harness.wait_for_text(ALICE, "The round is open"))
    # Three days would run to Monday 16:00, past Monday's 10:00 opening: it closes at 10:00.
    (manual,) = rounds(harness)
    assert manual.closes_at == NEXT_OPENING
    assert f"<!date^{int(NEXT_OPENING.timestamp())}^" in reply
    assert "next week's scheduled round still opens then" in reply

    tick(harness, NEXT_OPENING + timedelta(seconds=30))
    manual, scheduled = rounds(harness)
    assert manual.status == "closed" and scheduled.status == "open"
    assert scheduled.opened_by == "schedule"
    assert scheduled.opens_at == NEXT_OPENING + timedelta(seconds=30)  # the tick that opened it
    assert len(pulse_dms(harness, BOB)) == 2


def test_a_round_started_before_this_weeks_opening_says_it_stands_in_for_it(harness):
    harness.services.now.set(NEXT_OPENING - timedelta(days=3))
    set_up_team(harness, ALICE)
    harness.services.now.set(NEXT_OPENING - timedelta(hours=1))  # Monday 09:00
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    reply = text_of(harness.wait_for_text(ALICE, "The round is open"))
    assert "It counts as this week's round: the one scheduled for" in reply
    assert f"<!date^{int(NEXT_OPENING.timestamp())}^" in reply
    (manual,) = rounds(harness)
    assert manual.closes_at == NEXT_OPENING - timedelta(hours=1) + timedelta(days=3)
    tick(harness, NEXT_OPENING + timedelta(seconds=30))
    assert len(rounds(harness)) == 1 and len(pulse_dms(harness, BOB)) == 1


def test_a_round_started_early_in_the_week_keeps_its_full_length(harness):
    harness.services.now.set(datetime(2026, 11, 24, 11, 0, tzinfo=UTC))  # Tuesday
    set_up_team(harness, ALICE)
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    reply = text_of(harness.wait_for_text(ALICE, "The round is open"))
    assert "sooner than usual" not in reply and "counts as this week's" not in reply
    (manual,) = rounds(harness)
    assert manual.closes_at == datetime(2026, 11, 27, 11, 0, tzinfo=UTC)
