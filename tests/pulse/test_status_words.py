"""`pulse pause` and `pulse off` say and do different things; repeating one says "already"."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.pulse.store import OFF, PAUSED
from bot.pulse.teams import find_team
from tests.support.harness import ALICE, BOB, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import pulse_dms, set_up_team, tick

MONDAY_OPENING = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)  # 10:00 London


def said(harness, user: str, words: str) -> str:
    """The command's own answer (its ack), not whatever reached the person last: a digest
    sent after `pulse off` may arrive after a later command's answer."""
    response = harness.slack.command(user, words, channel_id=TEAM_CHANNEL)
    assert response.status == 200 and isinstance(response.json, dict), response
    return text_of(response.json)


def team(harness):
    with harness.services.database.reading() as session:
        return find_team(session, "T0LVM", TEAM_CHANNEL)


def open_round(harness) -> None:
    harness.services.now.set(datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    set_up_team(harness, ALICE)
    tick(harness, MONDAY_OPENING)
    assert pulse_dms(harness, BOB)


def test_pause_lets_the_open_round_run_and_says_so(harness):
    open_round(harness)
    shown = said(harness, ALICE, "pulse pause")
    assert "now paused" in shown and "runs to its close" in shown
    assert team(harness).status == PAUSED
    assert "The open round closed" not in shown
    assert "Open round:" in said(harness, ALICE, "pulse")
    assert "a break" in said(harness, ALICE, "pulse")


def test_off_stops_the_pulse_and_closes_the_open_round(harness):
    open_round(harness)
    shown = said(harness, ALICE, "pulse off")
    assert "now off" in shown and "The open round closed with 0 of" in shown
    assert team(harness).status == OFF
    status = said(harness, ALICE, "pulse")
    assert "Open round:" not in status and "stopped" in status
    # The managers get the closed round's digest, as after `/lvm pulse close`.
    harness.wait_for_text(ALICE, "closed: 0 of")


def test_a_second_pause_or_opt_out_says_already(harness):
    set_up_team(harness, ALICE)
    said(harness, ALICE, "pulse pause")
    assert "already paused" in said(harness, ALICE, "pulse pause")
    said(harness, ALICE, "pulse resume")
    assert "already running" in said(harness, ALICE, "pulse resume")
    said(harness, BOB, "pulse optout")
    assert "already opted out" in said(harness, BOB, "pulse optout")
    said(harness, BOB, "pulse optin")
    assert "already in the pulse" in said(harness, BOB, "pulse optin")
