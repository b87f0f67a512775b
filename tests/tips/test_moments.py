"""Practices that fit a moment: event-bound ones only when asked for by situation, "ask in
every 1:1" ones spaced per audience, and history that names practices since merged away."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from bot.bank import Bank
from bot.platform.database import Database
from bot.summary.commitments import progress_of
from bot.summary.store import PulseCommitment
from bot.tips import service as tips
from bot.tips import store as tip_store
from bot.tips.service import SPACING
from bot.tips.store import TipFeedback, TipShown
from tests.support.harness import ALICE, TEAM_CHANNEL
from tests.support.tips import shown_practice

TEAM = "T0LVM"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GONE = "tell-a-future-user-story"  # merged into postcard-from-next-year


def draw(database: Database, bank: Bank, text: str, user: str, seed: int):
    query = tips.read_query(bank, text)
    assert isinstance(query, tips.TipQuery), text
    with database.transaction() as session:
        return tips.choose_tip(
            session,
            bank,
            team_id=TEAM,
            user_id=user,
            query=query,
            now=START,
            rng=random.Random(seed),
        )


def test_the_bank_has_event_bound_practices_and_keeps_them_out_of_every_random_pool(bank):
    bound = {p.id for p in bank.practices if p.event_bound}
    assert len(bound) >= 15

    def ids(practices) -> set[str]:
        return {p.id for p in practices}

    assert not ids(bank.practices_at_random) & bound
    for dimension in bank.dimensions:
        assert not ids(bank.practices_for_dimension(dimension.id)) & bound
    for topic in bank.topics:
        assert not ids(bank.practices_for_topic(topic.id)) & bound


def test_a_request_naming_no_situation_never_gets_an_event_bound_practice(database, bank):
    queries = ["", "leadership", "management", "communication", "area:trust", "meeting", "team"]
    seen = set()
    for seed in range(300):
        # A new person each time, so "no repeats" does not steer the draw.
        practice = draw(database, bank, queries[seed % len(queries)], f"U{seed}", seed)
        seen.add(practice.id)
        assert not practice.event_bound, (queries[seed % len(queries)], practice.id)
    assert len(seen) > 60  # the draws did range over the bank


def test_naming_the_situation_by_id_alias_or_words_reaches_its_bound_practices(database, bank):
    for text, situation in [
        ("conflict", "conflict"),
        ("missed deadlines", "missed-deadlines"),
        ("outage", "crisis"),
        ("underperforming", "underperformance"),
    ]:
        query = tips.read_query(bank, text)
        assert isinstance(query, tips.TipQuery) and query.situation is not None
        assert query.situation.id == situation
        bound = {p.id for p in bank.practices if situation in p.only_when}
        assert bound
        got = {draw(database, bank, text, f"U{text}{seed}", seed).id for seed in range(40)}
        assert got & bound, text
        assert all(bank.practice_by_id[i].fits(situation) for i in got)
    # Free words that name a situation let its bound practices match those words.
    words = tips.read_query(bank, "incident review")
    assert isinstance(words, tips.TipQuery) and words.words
    assert "blameless-incident-review" in {p.id for p in tips.matching_practices(bank, words)}
    plain = tips.read_query(bank, "review")
    assert isinstance(plain, tips.TipQuery)
    assert "blameless-incident-review" not in {p.id for p in tips.matching_practices(bank, plain)}


def test_a_situation_query_for_later_commands_lists_bound_practices_first(bank):
    situation = bank.situation_by_id["crisis"]
    query = tips.situation_query(situation)
    assert tips.read_query(bank, query.text) == query
    pool = tips.matching_practices(bank, query)
    bound = [p for p in pool if "crisis" in p.only_when]
    assert pool[: len(bound)] == bound and len(pool) > len(bound)


def test_tip_conflict_over_slack_serves_a_practice_for_conflict(harness):
    for _ in range(4):
        harness.slack.command(ALICE, "tip conflict", channel_id=TEAM_CHANNEL)
        assert shown_practice(harness, harness.last_message(ALICE)).fits("conflict")


def test_every_one_on_one_asks_are_spaced_for_the_same_person_through_slack(harness):
    bank = harness.services.bank
    shown: list[tuple[datetime, str]] = []
    for day in range(70):
        now = START + timedelta(days=day)
        harness.services.now.set(now)
        harness.slack.command(ALICE, "tip coaching", channel_id=TEAM_CHANNEL)
        practice = shown_practice(harness, harness.last_message(ALICE))
        shown.append((now, practice.id))
    asks = [at for at, pid in shown if bank.practice_by_id[pid].every_one_on_one]
    assert len(asks) >= 3  # they do come back, once the spacing allows
    assert all(b - a >= SPACING for a, b in itertools.pairwise(asks))


def test_history_naming_a_merged_away_practice_does_not_break_anything(harness, bank):
    assert GONE not in bank.practice_by_id
    harness.services.now.set(START)
    with harness.services.database.transaction() as session:
        session.execute(
            insert(TipShown),
            [{"team_id": TEAM, "user_id": ALICE, "practice_id": GONE, "shown_at": START}],
        )
        session.execute(
            insert(TipFeedback),
            [
                {
                    "team_id": TEAM,
                    "user_id": ALICE,
                    "practice_id": GONE,
                    "verdict": tip_store.HELPFUL,
                    "updated_at": START,
                }
            ],
        )
    harness.slack.command(ALICE, "tip", channel_id=TEAM_CHANNEL)
    assert shown_practice(harness, harness.last_message(ALICE)).id in bank.practice_by_id
    home = harness.open_home(ALICE)
    assert GONE not in str(home)
    try:
        tips.give_verdict(
            harness.services,
            team_id=TEAM,
            user_id=ALICE,
            practice_id=GONE,
            verdict=tip_store.NOT_FOR_ME,
        )
    except LookupError as error:
        assert GONE in str(error)
    else:
        raise AssertionError("a verdict on a practice no longer in the bank was stored")
    # A commitment to it still reads back, in plain words, instead of failing the summary.
    old = PulseCommitment(
        team_id=TEAM,
        pulse_team_id=1,
        user_id=ALICE,
        dimension_id="direction",
        practice_id=GONE,
        committed_at=START,
        announced=False,
    )
    [progress] = progress_of([old], [], bank)
    assert progress.practice_title == bank.practice_title(GONE) != GONE
    assert "no longer" in progress.practice_title and progress.dimension_name
