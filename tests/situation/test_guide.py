"""The rules of `/lvm situation` (bot/situation/guide.py), against hand-worked answers from the
shipped guide, and a property over every combination a form can send."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.bank import Lens, load_bank
from bot.situation.guide import (
    EVENT,
    SIDE,
    STYLE,
    NothingChosen,
    UnknownEvent,
    UnknownFactor,
    advise,
    event_named,
    style_call,
)

BANK = load_bank()
FACTORS = [factor.id for factor in BANK.situation_guide.factors]
EVENTS = [event.situation for event in BANK.situation_guide.events]


def scores(advice) -> tuple[str, int, str, int]:
    return advice.fits.style.id, advice.fits.score, advice.avoid.style.id, advice.avoid.score


def test_change_alone_leans_on_leading_with_the_transformational_style(bank):
    advice = advise(bank, ["change"])
    assert advice.side is Lens.LEADERSHIP
    # transformational helps with change (+1); laissez-faire hurts it (-1); the others 0.
    assert scores(advice) == ("transformational", 1, "laissez-faire", -1)
    assert advice.fits.helps == ("Big change or uncertainty",)
    assert advice.avoid.hurts == ("Big change or uncertainty",)
    side, style = advice.pools
    assert (side.kind, side.query_text) == (SIDE, "leadership")
    assert (style.kind, style.query_text) == (STYLE, "transformational-style")
    wanted = {"change-vs-stability", "adaptability", "decisions-under-uncertainty"}
    assert all(wanted.intersection(p.topics) for p in side.practices)
    assert all(p.lens in (Lens.LEADERSHIP, Lens.BOTH) for p in side.practices)
    assert all("transformational-style" in p.topics for p in style.practices)


def test_efficiency_alone_leans_on_managing_and_the_autocratic_style(bank):
    advice = advise(bank, ["efficiency"])
    assert advice.side is Lens.MANAGEMENT
    assert scores(advice) == ("autocratic", 1, "democratic", -1)


def test_a_reorganization_brings_its_factors_and_its_bound_practices(bank):
    advice = advise(bank, [], "reorganization")
    # It brings change and people (leading) and coordination (managing): 2 to 1.
    assert [(c.factor.id, c.from_event) for c in advice.counted] == [
        ("change", True),
        ("people", True),
        ("coordination", True),
    ]
    assert advice.side is Lens.LEADERSHIP
    # transformational: change, people, and the reorganization itself (+3); laissez-faire
    # hurts change, people and coordination (-3).
    assert scores(advice) == ("transformational", 3, "laissez-faire", -3)
    assert advice.fits.helps[-1] == "A reorganization was announced"
    event, side = advice.pools
    assert (event.kind, event.query_text) == (EVENT, "reorganization")
    assert {p.id for p in event.practices} == {
        "say-what-stays-the-same",
        "ask-which-change-confuses",
        "keep-change-drop-huddle",
        "share-what-you-dont-know",
    }
    assert side.kind == SIDE and not any(p.event_bound for p in side.practices)


def test_a_crisis_leans_on_managing_with_the_autocratic_style(bank):
    advice = advise(bank, ["change"], "crisis")
    # change ticked; efficiency and coordination come with the crisis: 1 to 2.
    assert [(c.factor.id, c.from_event) for c in advice.counted] == [
        ("change", False),
        ("efficiency", True),
        ("coordination", True),
    ]
    assert advice.side is Lens.MANAGEMENT
    # autocratic: efficiency, coordination, the crisis (+3). Laissez-faire hurts change,
    # coordination and the crisis (-3); democratic only efficiency and the crisis (-2).
    assert scores(advice) == ("autocratic", 3, "laissez-faire", -3)


def test_a_tie_is_a_balance_and_the_styles_tie_break_by_harm_then_order(bank):
    advice = advise(bank, ["routine", "change"])
    assert advice.side is Lens.BOTH
    # Every style scores 0. Democratic and autocratic hurt nothing here; democratic comes
    # first. Transformational and laissez-faire each hurt one; transformational comes first.
    assert scores(advice) == ("democratic", 0, "transformational", 0)
    assert advice.fits.helps == () and advice.avoid.hurts == ("Standard or repeated work",)
    side = advice.pools[0]
    assert side.query_text == "both"
    assert {p.lens for p in side.practices} == set(Lens)  # any lens in a balance


def test_people_and_efficiency_balance_with_the_transformational_style(bank):
    advice = advise(bank, ["people", "efficiency"])
    assert advice.side is Lens.BOTH
    assert scores(advice) == ("transformational", 1, "laissez-faire", -1)


def test_nothing_chosen_and_unknown_choices_are_refused(bank):
    with pytest.raises(NothingChosen):
        advise(bank, [])
    with pytest.raises(UnknownFactor, match="telepathy"):
        advise(bank, ["change", "telepathy"])
    with pytest.raises(UnknownEvent, match="new-team"):
        advise(bank, ["change"], "new-team")  # a situation, but no moment of the guide


@pytest.mark.parametrize(
    ("typed", "situation"),
    [
        ("reorg", "reorganization"),
        ("Reorganization", "reorganization"),
        ("outage", "crisis"),
        ("missed deadlines", "missed-deadlines"),
        ("after a conflict", "conflict"),
        ("new team", None),  # a situation with no practice bound to it
        ("banana", None),
        ("", None),
    ],
)
def test_typed_words_name_a_moment_by_id_or_alias(bank, typed, situation):
    event = event_named(bank, typed)
    assert (event.situation if event else None) == situation


@settings(max_examples=300, deadline=None)
@given(
    ticked=st.lists(st.sampled_from(FACTORS), unique=True),
    event=st.one_of(st.none(), st.sampled_from(EVENTS)),
)
def test_every_combination_gets_a_consistent_answer(ticked, event):
    if not ticked and event is None:
        with pytest.raises(NothingChosen):
            advise(BANK, ticked, event)
        return
    advice = advise(BANK, ticked, event)
    guide = BANK.situation_guide
    brought = set(guide.event_by_situation[event].implies) if event else set()
    assert [c.factor.id for c in advice.counted] == [
        f for f in FACTORS if f in set(ticked) | brought
    ]
    leading = len(advice.on_side(Lens.LEADERSHIP))
    managing = len(advice.on_side(Lens.MANAGEMENT))
    assert leading + managing == len(advice.counted)
    expected = (
        Lens.LEADERSHIP
        if leading > managing
        else Lens.MANAGEMENT
        if managing > leading
        else Lens.BOTH
    )
    assert advice.side is expected
    # The style that fits scores highest, the one to avoid lowest of the rest; never the same.
    assert advice.fits.style.id != advice.avoid.style.id
    every = [style_call(style, advice.counted, advice.event).score for style in guide.styles]
    assert advice.fits.score == max(every)
    assert advice.avoid.score == min(every)
    assert advice.fits.score == len(advice.fits.helps) - len(advice.fits.hurts)
    counted_labels = {c.factor.label for c in advice.counted} | (
        {guide.event_by_situation[event].label} if event else set()
    )
    assert set(advice.fits.helps + advice.avoid.hurts) <= counted_labels
    # Two pools to draw two different practices from, the moment's bound to it.
    first, second = advice.pools
    assert first.practices and second.practices
    assert len(second.practices) >= 2 or not set(first.practices) & set(second.practices)
    if event:
        assert first.kind == EVENT and all(event in p.only_when for p in first.practices)
        assert not any(p.event_bound for p in second.practices)
    else:
        assert not any(p.event_bound for pool in advice.pools for p in pool.practices)
