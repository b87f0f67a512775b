"""A commitment outlives a content edit: when the bank no longer holds its practice or area,
what the manager sees says so in plain words, never the stored id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.pulse.teams import find_team
from bot.summary.store import PulseCommitment
from tests.support.harness import ALICE, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import set_up_team

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
GONE_PRACTICE = "practice-removed-in-an-edit"
GONE_AREA = "area-removed-in-an-edit"


def test_a_commitment_to_a_removed_practice_and_area_reads_in_plain_words(harness, bank):
    assert GONE_PRACTICE not in bank.practice_by_id and GONE_AREA not in bank.dimension_by_id
    harness.services.now.set(NOW)
    set_up_team(harness, ALICE)
    with harness.services.database.transaction() as session:
        team = find_team(session, harness.workspace.team_id, TEAM_CHANNEL)
        session.add(
            PulseCommitment(
                team_id=team.team_id,
                pulse_team_id=team.id,
                user_id=ALICE,
                dimension_id=GONE_AREA,
                practice_id=GONE_PRACTICE,
                committed_at=NOW - timedelta(days=7),
                weeks=3,
                midpoint_at=NOW + timedelta(days=3),
                due_at=NOW + timedelta(days=14),
            )
        )
    home = text_of(harness.open_home(ALICE))
    assert "a practice no longer in lvm's content" in home
    assert "an area lvm no longer measures" in home
    assert GONE_PRACTICE not in home and GONE_AREA not in home
