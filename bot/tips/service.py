"""Choosing a practice for a person: what they asked for, what they have seen, what helped.

No Slack here: callers pass the session, the bank, who is asking and when.
"""

from __future__ import annotations

import difflib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.bank import Bank, Dimension, Lens, Practice, Situation, Topic
from bot.platform.services import Services
from bot.tips import store as tip_store
from bot.tips.blocks import AREA_PREFIX, area_query_text

# How much the workspace's "helpful" votes and a person's own liked topics tilt the pick.
HELPFUL_WEIGHT = 0.5
HELPFUL_CAP = 10
LIKED_TOPIC_WEIGHT = 1.0
# Two practices that each ask something in every 1:1 are kept at least this far apart for
# the same person or channel, so the 1:1s do not turn into a questionnaire.
SPACING = timedelta(days=14)


@dataclass(frozen=True)
class TipQuery:
    """What someone asked for: everything, a lens, a topic, a pulse dimension's practices
    (the ones that act on its statements), a situation, or free words.

    Only a situation, or words naming one, reaches the practices bound to a situation.
    """

    text: str = ""
    lens: Lens | None = None
    topic: Topic | None = None
    words: tuple[str, ...] = ()
    dimension: Dimension | None = None
    situation: Situation | None = None

    def describe(self, bank: Bank) -> str:
        if self.dimension:
            return f"practices for {self.dimension.name}"
        if self.situation:
            return f"practices for {self.situation.id.replace('-', ' ')}"
        if self.topic:
            return self.topic.name
        if self.lens:
            return f"{self.lens.value} practices"
        if self.words:
            return f'practices mentioning "{" ".join(self.words)}"'
        return "all practices"


@dataclass(frozen=True)
class NoMatch:
    """Nothing in the bank fits; `suggestions` are the closest topics."""

    text: str
    suggestions: list[Topic] = field(default_factory=list)


def _normalize(word: str) -> str:
    return word.strip().lower().replace("_", "-")


def _topic_index(bank: Bank) -> dict[str, Topic]:
    index: dict[str, Topic] = {}
    for topic in bank.topics:
        for word in (topic.id, *topic.aliases, topic.name):
            index[_normalize(word)] = topic
    return index


def _situation_index(bank: Bank) -> dict[str, Situation]:
    index: dict[str, Situation] = {}
    for situation in bank.situations:
        for word in (situation.id, *situation.aliases):
            index[_normalize(word)] = situation
    return index


def situation_query(situation: Situation) -> TipQuery:
    """The query for a situation's practices, bound ones included (for `/lvm situation`);
    its text reads back as the same query."""
    return TipQuery(text=situation.id, situation=situation)


def named_situations(bank: Bank, words: tuple[str, ...]) -> set[str]:
    """The situations that typed words name, by id or alias (`outage` names crisis)."""
    index = _situation_index(bank)
    named = {index[word].id for word in words if word in index}
    joined = "-".join(words)
    if joined in index:
        named.add(index[joined].id)
    return named


def area_query(dimension: Dimension) -> TipQuery:
    """The query for a dimension's pool; its text reads back as the same query."""
    return TipQuery(text=area_query_text(dimension.id), dimension=dimension)


def read_query(bank: Bank, text: str) -> TipQuery | NoMatch:
    """Turn the words after `/lvm tip` into a query, or say nothing matches."""
    text = " ".join(text.split())
    if not text:
        return TipQuery()
    phrase = _normalize(text)
    dimension = bank.dimension_by_id.get(phrase.removeprefix(AREA_PREFIX))
    if phrase.startswith(AREA_PREFIX) and dimension is not None:
        return area_query(dimension)
    for lens in Lens:
        if phrase == lens.value:
            return TipQuery(text=text, lens=lens)
    index = _topic_index(bank)
    for candidate in (phrase, phrase.replace(" ", "-")):
        if candidate in index:
            return TipQuery(text=text, topic=index[candidate])
    situations = _situation_index(bank)
    for candidate in (phrase, phrase.replace(" ", "-")):
        if candidate in situations:
            return TipQuery(text=text, situation=situations[candidate])
    words = tuple(_normalize(word) for word in text.split())
    query = TipQuery(text=text, words=words)
    if matching_practices(bank, query):
        return query
    return NoMatch(text=text, suggestions=closest_topics(bank, phrase))


def names_topic(text: str, topic: Topic) -> bool:
    """Whether `text` is the topic's own id or name, rather than an alias of it."""
    typed = _normalize(" ".join(text.split()))
    return typed in (
        _normalize(topic.id),
        _normalize(topic.name),
        _normalize(topic.name).replace(" ", "-"),
    )


def closest_topics(bank: Bank, phrase: str, limit: int = 3) -> list[Topic]:
    index = _topic_index(bank)
    close = difflib.get_close_matches(phrase, list(index), n=limit * 3, cutoff=0.5)
    seen: dict[str, Topic] = {}
    for word in close:
        seen.setdefault(index[word].id, index[word])
    return list(seen.values())[:limit]


def _mentions(practice: Practice, words: tuple[str, ...]) -> bool:
    haystack = " ".join(
        [
            practice.title,
            practice.insight,
            practice.try_this,
            *practice.topics,
            *practice.situations,
        ]
    ).lower()
    return all(word in haystack for word in words)


def matching_practices(bank: Bank, query: TipQuery) -> list[Practice]:
    """The practices a query may get; one bound to a situation only if the query names it."""
    if query.situation:
        return bank.practices_for_situation(query.situation.id)
    if query.dimension:
        return bank.practices_for_dimension(query.dimension.id)
    if query.topic:
        return bank.practices_for_topic(query.topic.id)
    if query.lens:
        return bank.practices_for_lens(query.lens)
    if query.words:
        named = named_situations(bank, query.words)
        return [
            p
            for p in bank.practices
            if (not p.event_bound or named.intersection(p.only_when)) and _mentions(p, query.words)
        ]
    return list(bank.practices_at_random)


def choose_tip(
    session: tip_store.Executor,
    bank: Bank,
    *,
    team_id: str,
    user_id: str,
    query: TipQuery,
    now: datetime,
    rng: random.Random,
) -> Practice:
    """Pick a practice this person has seen least, tilted by what helped, and record it.

    Nobody sees a practice twice before seeing every one that matches; practices this person
    marked "not for me" come last; a practice asking something in every 1:1 waits while
    another such was shown within SPACING; practices many people found helpful, and ones on
    topics this person liked, are likelier.
    """
    candidates = matching_practices(bank, query)
    if not candidates:
        raise LookupError(f"no practice matches {query.text!r}")
    return choose_among(
        session, bank, candidates, team_id=team_id, user_id=user_id, now=now, rng=rng
    )


def choose_among(
    session: tip_store.Executor,
    bank: Bank,
    candidates: Sequence[Practice],
    *,
    team_id: str,
    user_id: str,
    now: datetime,
    rng: random.Random,
) -> Practice:
    """`choose_tip`'s pick from given practices (`/lvm situation` hands in its own pools)."""
    if not candidates:
        raise LookupError("no practice to choose from")
    # One query, not four; ids no longer in the bank (merged away) are simply not candidates.
    history = tip_store.history_of(session, team_id, user_id, since=now - SPACING)
    verdicts, shown, helpful = history.verdicts, history.shown, history.helpful
    # Each pass below is skipped when its history is empty (a person's first tips), as
    # these loops over the whole bank are most of what choosing costs.
    wanted: Sequence[Practice] = candidates
    if verdicts:
        wanted = [p for p in candidates if verdicts.get(p.id) != tip_store.NOT_FOR_ME] or wanted
    if history.recent and any(
        bank.practice_by_id[i].every_one_on_one for i in history.recent if i in bank.practice_by_id
    ):
        wanted = [p for p in wanted if not p.every_one_on_one] or wanted
    pool = wanted
    if shown:
        times = [shown.get(p.id, 0) for p in wanted]
        fewest = min(times)
        pool = [p for p, seen in zip(wanted, times, strict=True) if seen == fewest]

    liked_topics = {
        topic
        for practice_id, verdict in verdicts.items()
        if verdict == tip_store.HELPFUL and practice_id in bank.practice_by_id
        for topic in bank.practice_by_id[practice_id].topics
    }
    # No weights means equal weights: random.choices then picks exactly as it would with
    # [1.0] * len(pool) from the same state, so a seeded pick is unchanged.
    weights = None
    if helpful or liked_topics:
        weights = [
            1.0
            + HELPFUL_WEIGHT * min(helpful.get(p.id, 0), HELPFUL_CAP)
            + (LIKED_TOPIC_WEIGHT if liked_topics.intersection(p.topics) else 0.0)
            for p in pool
        ]
    practice = rng.choices(pool, weights=weights, k=1)[0]
    tip_store.record_shown(session, team_id, user_id, practice.id, now)
    return practice


def record_verdict(
    session: Session,
    bank: Bank,
    *,
    team_id: str,
    user_id: str,
    practice_id: str,
    verdict: str,
    now: datetime,
) -> Practice:
    """Store feedback on a practice; unknown practices or verdicts raise LookupError."""
    practice = bank.practice_by_id.get(practice_id)
    if practice is None:
        raise LookupError(f"no practice with id {practice_id!r}")
    if verdict not in tip_store.VERDICTS:
        raise LookupError(f"no verdict {verdict!r}")
    tip_store.set_verdict(session, team_id, user_id, practice_id, verdict, now)
    return practice


def give_tip(services: Services, *, team_id: str, user_id: str, query: TipQuery) -> Practice:
    """`/lvm tip`: choose and record a practice, on a Core connection (half an ORM Session's
    CPU, most of a tip's time: docs/benchmarks.md)."""
    with services.database.connection() as connection:
        return choose_tip(
            connection,
            services.bank,
            team_id=team_id,
            user_id=user_id,
            query=query,
            now=services.now(),
            rng=services.rng,
        )


def give_verdict(
    services: Services, *, team_id: str, user_id: str, practice_id: str, verdict: str
) -> Practice:
    """A person's "helpful" or "not for me" on a practice, in one transaction."""
    with services.database.transaction() as session:
        return record_verdict(
            session,
            services.bank,
            team_id=team_id,
            user_id=user_id,
            practice_id=practice_id,
            verdict=verdict,
            now=services.now(),
        )
