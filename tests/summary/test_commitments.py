"""Committing to the focus practice, and what later summaries say about it."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest

from bot.platform.refusals import NotAManager
from bot.pulse.rounds import close_round, open_round_of
from bot.summary.blocks import summary_message
from bot.summary.build import build_summary
from bot.summary.commitments import CommitmentRefused, commit
from bot.summary.focus import practices_for
from bot.summary.store import PulseCommitment
from tests.support.summary_history import (
    GOALS,
    MANAGER,
    NOW,
    OPEN_FOR,
    P1,
    P2,
    P3,
    P4,
    P5,
    PINNED,
    monday,
    run_round,
    same_scores,
)


def goals_practice(bank):
    goals = next(d for d in bank.dimensions if d.id == "goals")
    return practices_for(bank, goals)[0]


def with_goals(score_lists: list[int]) -> dict:
    people = (P1, P2, P3, P4, P5)
    scores = {question: [3] * 5 for question in PINNED}
    scores[GOALS] = score_lists
    return same_scores(people, scores)


def test_later_summaries_read_before_and_after_over_windows(session, bank, team):
    practice = goals_practice(bank)
    committed_at = NOW  # week 3 has closed; week 4 is open
    result = commit(
        session,
        bank,
        team,
        user_id=MANAGER,
        dimension_id="goals",
        practice_id=practice.id,
        announce=False,
        now=committed_at,
    )
    assert result.created and not result.announce
    assert result.commitment.due_at == committed_at + timedelta(weeks=3)  # the default

    # Week 4 opened before the commitment: it is neither before nor since.
    close_round(session, open_round_of(session, team), monday(4) + OPEN_FOR)
    run_round(session, bank, team, 5, with_goals([3, 3, 3, 2, 3]))  # 14/5 = 2.8
    run_round(session, bank, team, 6, with_goals([3, 4, 3, 3, 3]))  # 16/5 = 3.2
    later = monday(6) + OPEN_FOR + timedelta(hours=1)
    summary = build_summary(session, bank, team, weeks=12, now=later, rng=random.Random(1))
    (progress,) = summary.commitments
    assert (progress.dimension_id, progress.practice_id, progress.user_id) == (
        "goals",
        practice.id,
        MANAGER,
    )
    # Before: weeks 0, 2 and 3 (week 1 was hidden): (12 + 11 + 11) / 14 = 2.43 -> 2.4.
    # After: weeks 5 and 6: (14 + 16) / 10 = 3.0.
    assert (progress.before, progress.now, progress.rounds_since) == (2.4, 3.0, 2)
    assert (progress.before_level.rounds, progress.after_level.answers) == (3, 10)
    # 1.96 * sqrt(1/10 + 1/14) = 0.81: a change of 0.6 is within it.
    assert progress.change.change == 0.6
    assert progress.change.noise == pytest.approx(1.96 * (1 / 10 + 1 / 14) ** 0.5)
    assert progress.change.within_noise
    text = json.dumps(summary_message(summary, bank, "Platform"), ensure_ascii=False)
    assert (
        f"*{practice.title}* for Goals and priorities, until " in text
        and "2.4 → 3.0 (over 3 rounds before and 2 rounds since), within normal variation "
        "for a team of 5 (±0.8)."
        in text
    )

    # A third week of 5s: (14 + 16 + 25) / 15 = 3.67 -> 3.7, beyond 1.96 * sqrt(1/15 + 1/14).
    run_round(session, bank, team, 7, with_goals([5, 5, 5, 5, 5]))
    later = monday(7) + OPEN_FOR + timedelta(hours=1)
    summary = build_summary(session, bank, team, weeks=12, now=later, rng=random.Random(1))
    (progress,) = summary.commitments
    assert (progress.before, progress.now, progress.rounds_since) == (2.4, 3.7, 3)
    assert not progress.change.within_noise
    text = json.dumps(summary_message(summary, bank, "Platform"), ensure_ascii=False)
    assert "2.4 → 3.7 (over 3 rounds before and 3 rounds since), a real rise: beyond the " in text

    # Right after committing, nothing has happened since yet.
    summary = build_summary(session, bank, team, weeks=12, now=committed_at, rng=random.Random(1))
    (progress,) = summary.commitments
    assert (progress.before, progress.now, progress.rounds_since) == (2.4, None, 0)


def test_a_commitment_older_than_the_span_still_finds_its_before(session, bank, team):
    practice = goals_practice(bank)
    commit(
        session,
        bank,
        team,
        user_id=MANAGER,
        dimension_id="goals",
        practice_id=practice.id,
        announce=False,
        now=NOW,
    )
    close_round(session, open_round_of(session, team), monday(4) + OPEN_FOR)
    run_round(session, bank, team, 5, with_goals([3, 3, 3, 2, 3]))
    summary = build_summary(
        session,
        bank,
        team,
        weeks=1,
        now=monday(5) + OPEN_FOR + timedelta(hours=1),
        rng=random.Random(1),
    )
    assert [view.period for view in summary.rounds] == ["2026-W42"]
    (progress,) = summary.commitments
    assert (progress.before, progress.now) == (2.4, 2.8)


def test_the_focus_moves_on_from_a_practice_already_committed_to(session, bank, team):
    first = build_summary(session, bank, team, weeks=12, now=NOW, rng=random.Random(1)).focus
    commit(
        session,
        bank,
        team,
        user_id=MANAGER,
        dimension_id=first.dimension_id,
        practice_id=first.practice.id,
        announce=False,
        now=NOW,
    )
    goals = next(d for d in bank.dimensions if d.id == "goals")
    assert len(practices_for(bank, goals)) > 1
    for seed in range(5):
        again = build_summary(session, bank, team, weeks=12, now=NOW, rng=random.Random(seed))
        assert again.focus.dimension_id == first.dimension_id
        assert again.focus.practice.id != first.practice.id


def test_only_a_manager_commits_and_only_to_a_practice_aimed_at_the_dimension(session, bank, team):
    practice = goals_practice(bank)
    with pytest.raises(NotAManager):
        commit(
            session,
            bank,
            team,
            user_id=P1,
            dimension_id="goals",
            practice_id=practice.id,
            announce=True,
            now=NOW,
        )
    goals = next(d for d in bank.dimensions if d.id == "goals")
    # Shares a topic with goals, but is not in its pool: the pool decides, not the topic.
    unrelated = next(
        p
        for p in bank.practices
        if set(p.topics) & set(goals.topics) and "goals" not in p.dimensions
    )
    for dimension_id, practice_id in (
        ("goals", unrelated.id),
        ("goals", "no-such-practice"),
        ("no-such-area", practice.id),
    ):
        with pytest.raises(CommitmentRefused):
            commit(
                session,
                bank,
                team,
                user_id=MANAGER,
                dimension_id=dimension_id,
                practice_id=practice_id,
                announce=False,
                now=NOW,
            )
    assert session.query(PulseCommitment).count() == 0


def test_clicking_again_is_the_same_commitment_and_the_team_is_told_once(session, bank, team):
    practice = goals_practice(bank)

    def click(announce: bool, at=NOW):
        return commit(
            session,
            bank,
            team,
            user_id=MANAGER,
            dimension_id="goals",
            practice_id=practice.id,
            announce=announce,
            now=at,
        )

    first = click(False)
    second = click(True, NOW + timedelta(minutes=1))
    third = click(True, NOW + timedelta(minutes=2))
    assert first.created and not second.created and not third.created
    assert second.commitment.id == first.commitment.id == third.commitment.id
    assert (first.announce, second.announce, third.announce) == (False, True, False)
    assert second.commitment.announced
    a_week_later = click(False, NOW + timedelta(days=8))
    assert a_week_later.created and a_week_later.commitment.id != first.commitment.id
