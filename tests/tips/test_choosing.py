"""Choosing tips: no repeats until all are seen, and feedback shapes later picks."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from bot.bank import Bank, Lens
from bot.platform.database import Database
from bot.platform.timekeeping import ManualClock
from bot.tips import service as tips

TEAM = "T0LVM"


def choose(
    database: Database, bank: Bank, clock: ManualClock, user: str, text: str = "", seed: int = 0
):
    query = tips.read_query(bank, text)
    assert isinstance(query, tips.TipQuery)
    with database.transaction() as session:
        return tips.choose_tip(
            session,
            bank,
            team_id=TEAM,
            user_id=user,
            query=query,
            now=clock(),
            rng=random.Random(seed),
        )


def test_no_practice_repeats_until_every_match_was_seen(database, bank, clock):
    matching = bank.practices_for_topic("delegation")
    assert len(matching) >= 4
    seen = [
        choose(database, bank, clock, "U1", "delegation", seed=i).id for i in range(len(matching))
    ]
    assert sorted(seen) == sorted(p.id for p in matching)
    # The next round starts over, and still only from the topic asked for.
    again = choose(database, bank, clock, "U1", "delegation", seed=99)
    assert again.id in {p.id for p in matching}


def test_people_are_tracked_apart(database, bank, clock):
    first = choose(database, bank, clock, "U1", "coaching", seed=1)
    # U2 has seen nothing, so U1's history must not push U2 away from that practice.
    picks = {choose(database, bank, clock, f"U{n}", "coaching", seed=1).id for n in range(2, 6)}
    assert first.id in picks


def test_not_for_me_is_picked_last(database, bank, clock):
    matching = bank.practices_for_topic("delegation")
    rejected = matching[0]
    with database.transaction() as session:
        tips.record_verdict(
            session,
            bank,
            team_id=TEAM,
            user_id="U1",
            practice_id=rejected.id,
            verdict="not_for_me",
            now=clock(),
        )
    picks = [
        choose(database, bank, clock, "U1", "delegation", seed=i).id
        for i in range(3 * len(matching))
    ]
    assert rejected.id not in picks
    assert set(picks) == {p.id for p in matching} - {rejected.id}


def test_practices_many_found_helpful_come_up_more(database, bank, clock):
    matching = bank.practices_for_topic("coaching")
    favourite = matching[-1]
    with database.transaction() as session:
        for n in range(10):
            tips.record_verdict(
                session,
                bank,
                team_id=TEAM,
                user_id=f"UFAN{n}",
                practice_id=favourite.id,
                verdict="helpful",
                now=clock(),
            )
    first_picks = Counter(
        choose(database, bank, clock, f"UNEW{n}", "coaching", seed=n).id for n in range(120)
    )
    uniform_share = 120 / len(matching)
    assert first_picks[favourite.id] > 2 * uniform_share


def test_a_second_click_replaces_a_verdict_instead_of_adding_one(database, bank, clock):
    practice = bank.practices[0]
    for verdict in ("helpful", "helpful", "not_for_me"):
        with database.transaction() as session:
            tips.record_verdict(
                session,
                bank,
                team_id=TEAM,
                user_id="U1",
                practice_id=practice.id,
                verdict=verdict,
                now=clock(),
            )
    from bot.tips import store as tip_store

    with database.transaction() as session:
        assert tip_store.verdicts_of(session, TEAM, "U1") == {practice.id: "not_for_me"}
        assert tip_store.helpful_counts(session, TEAM) == {}


def test_unknown_practice_or_verdict_is_refused(database, bank, clock):
    with database.transaction() as session, pytest.raises(LookupError):
        tips.record_verdict(
            session,
            bank,
            team_id=TEAM,
            user_id="U1",
            practice_id="no-such-practice",
            verdict="helpful",
            now=clock(),
        )
    with database.transaction() as session, pytest.raises(LookupError):
        tips.record_verdict(
            session,
            bank,
            team_id=TEAM,
            user_id="U1",
            practice_id=bank.practices[0].id,
            verdict="amazing",
            now=clock(),
        )


@pytest.mark.parametrize(
    ("text", "expected_topic"),
    [
        ("delegation", "delegation"),
        ("Delegate", "delegation"),
        ("EQ", "emotional-intelligence"),
        ("change vs stability", None),
        ("vision-vs-goals", "vision-vs-goals"),
        ("Coaching", "coaching"),
    ],
)
def test_topics_are_found_by_id_alias_or_name(bank, text, expected_topic):
    query = tips.read_query(bank, text)
    if expected_topic is None:
        assert isinstance(query, tips.TipQuery | tips.NoMatch)
    else:
        assert isinstance(query, tips.TipQuery)
        assert query.topic is not None and query.topic.id == expected_topic


def test_lens_narrows_to_that_side_and_to_both(bank):
    query = tips.read_query(bank, "leadership")
    assert isinstance(query, tips.TipQuery) and query.lens is Lens.LEADERSHIP
    lenses = {p.lens for p in tips.matching_practices(bank, query)}
    assert lenses == {Lens.LEADERSHIP, Lens.BOTH}


def test_free_words_search_the_practices(bank):
    practice = bank.practices[5]
    word = max(practice.title.split(), key=len).strip(",.").lower()
    query = tips.read_query(bank, word)
    assert isinstance(query, tips.TipQuery)
    assert practice in tips.matching_practices(bank, query)


def test_unknown_words_suggest_the_closest_topics(bank):
    result = tips.read_query(bank, "delegaton")
    assert isinstance(result, tips.NoMatch)
    assert "delegation" in [topic.id for topic in result.suggestions]
    nothing = tips.read_query(bank, "xyzzy quux")
    assert isinstance(nothing, tips.NoMatch)


def test_an_area_query_reads_back_as_that_dimensions_pool(bank):
    query = tips.read_query(bank, "area:goals")
    assert query.dimension is not None and query.dimension.id == "goals"
    assert tips.matching_practices(bank, query) == bank.practices_for_dimension("goals")
    assert query.describe(bank) == "practices for Goals and priorities"
    assert isinstance(tips.read_query(bank, "area:not-an-area"), tips.NoMatch)
