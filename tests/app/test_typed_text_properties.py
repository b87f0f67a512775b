"""Whatever is typed after `/lvm summary` or `/lvm nudge`, the parsers either read it or refuse
it with a message for the person: never another exception (a generic error in Slack)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.nudges import request as nudge_request
from bot.platform.refusals import PulseRefusal
from bot.platform.subcommands import CATALOG, Invocation, parse, suggestion
from bot.summary.request import read_request

WORDS = st.sampled_from(
    [
        "weeks",
        "weeks:",
        "weeks:26",
        "26",
        "²",
        "export",
        "#nope",
        "<#C0TEAM|team>",
        "w",
        "=",
        "daily",
        "weekly",
        "every",
        "monday",
        "mon",
        "9am",
        "9",
        "12pm",
        "13pm",
        "at",
        "on",
        "noon",
        "09:00",
        "25:00",
        "focus",
        "delegation",
        "leadership",
        ":",
        "",
        "٣",
        "１２",
    ]
)
TYPED = st.one_of(st.text(max_size=80), st.lists(WORDS, max_size=6).map(" ".join))


@settings(max_examples=150, deadline=None)
@given(TYPED)
@example("weeks:²")  # a digit to str.isdigit, not to int()
@example("#nope weeks 26")
def test_a_summary_request_is_read_or_refused_in_words(text):
    try:
        request = read_request(text, "C0HERE")
    except PulseRefusal as refusal:
        assert str(refusal) and "\n" not in str(refusal)
        return
    assert 1 <= request.weeks <= 104


@settings(max_examples=150, deadline=None)
@given(TYPED)
@example("weekly mon 09:00 " + "delegation " * 320)
@example("daily 13pm")
def test_a_nudge_schedule_is_read_or_refused_in_words(bank, text):
    try:
        request = nudge_request.parse_request(text, bank)
    except nudge_request.NudgeFormError as refusal:
        assert str(refusal)
        return
    assert request.cadence in ("daily", "weekly")
    assert (request.weekday is None) == (request.cadence == "daily")
    assert len(request.query) <= nudge_request.MAX_QUERY_CHARACTERS


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
@example("SITT")  # situation, once missing from a list written out here
def test_a_suggestion_is_always_a_known_subcommand(text):
    invocation = parse(text)
    meant = suggestion(Invocation(invocation.name, invocation.args))
    if meant is not None:
        assert parse(meant).name in {subcommand.name for subcommand in CATALOG}
