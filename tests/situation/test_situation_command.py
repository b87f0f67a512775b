"""`/lvm situation` through Slack's request path: the command opens the form (views.open at the
stand-in), its submission answers where the command was typed, and tips' buttons work on the
practices it offers."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select

from bot.bank import Lens
from bot.situation import blocks
from bot.situation.store import SituationAnswer
from tests.support.harness import ALICE, BOB, QUIET_CHANNEL, TEAM_CHANNEL, text_of
from tests.support.tips import shown_count, shown_practice


def open_form(harness, words: str = "situation", *, user: str = ALICE, channel=TEAM_CHANNEL):
    response = harness.slack.command(user, words, channel_id=channel)
    assert response.status == 200 and not response.body.strip()  # nothing but the form
    return harness.workspace.wait_for(
        lambda: harness.workspace.top_view(user), what="the situation form"
    )


def submit(harness, form: dict, factors=(), event: str | None = None, *, user: str = ALICE):
    values: dict[str, dict[str, Any]] = {blocks.FACTORS: {blocks.FACTORS: list(factors)}}
    if event is not None:
        values[blocks.EVENT_INPUT] = {blocks.EVENT_INPUT: event}
    return harness.slack.submit_view(user, form, values)


def posted(harness, user: str = ALICE) -> list[dict]:
    """What lvm posted for the person itself (not a command's ack), in order."""
    return [
        m
        for m in harness.workspace.messages_for(user)
        if m["source"] in ("chat.postEphemeral", "chat.postMessage")
    ]


def answered(harness, form: dict, factors=(), event: str | None = None) -> list[dict]:
    """Submit the form and return the three messages that answer it."""
    before = len(posted(harness))
    response = submit(harness, form, factors, event)
    assert response.status == 200 and not response.body.strip(), response.body
    return harness.workspace.wait_for(
        lambda: posted(harness)[before:] if len(posted(harness)) >= before + 3 else None,
        what="the answer",
    )


def send_again(harness, sent: dict, *, command: bool = False):
    """The very same request again, as Slack redelivers it (X-Slack-Retry-Num)."""
    body = urlencode(sent if command else {"payload": json.dumps(sent)}).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        **harness.slack.signed_headers(body),
        "X-Slack-Retry-Num": "1",
        "X-Slack-Retry-Reason": "http_timeout",
    }
    return harness.slack.post_raw(body, headers)


def answers_stored(harness) -> int:
    with harness.services.database.transaction() as session:
        return session.scalar(select(func.count()).select_from(SituationAnswer)) or 0


def test_the_command_opens_a_form_of_factors_and_moments(harness, bank):
    form = open_form(harness)
    # The stand-in shows the view before it records the call that opened it.
    [opened] = harness.workspace.wait_for(
        lambda: harness.workspace.calls_to("views.open"), what="the views.open call"
    )
    assert opened.ok
    by_block = {block.get("block_id"): block for block in form["blocks"]}
    factors = by_block[blocks.FACTORS]["element"]
    assert factors["type"] == "checkboxes"
    assert [o["value"] for o in factors["options"]] == [f.id for f in bank.situation_guide.factors]
    moments = by_block[blocks.EVENT_INPUT]
    assert moments["label"]["text"] == "What just happened?"
    assert "initial_option" not in moments["element"]
    assert json.loads(form["private_metadata"]) == {"channel": TEAM_CHANNEL}


def test_ticked_factors_get_a_side_two_styles_and_two_tips_only_the_person_sees(harness, bank):
    form = open_form(harness)
    advice, first, second = answered(harness, form, ["change", "people"])
    assert harness.workspace.top_view(ALICE) is None  # the form closed
    assert all(m["is_ephemeral"] and m["channel"] == TEAM_CHANNEL for m in (advice, first, second))
    said = text_of(advice)
    assert "Lean on leading" in said and "2 of what you described call for leading, 0" in said
    change = bank.situation_guide.factor_by_id["change"]
    assert change.why in said  # the side's reason names each factor and why it pulls
    assert "Style that fits: Transformational." in said
    assert "Style to avoid here: Laissez-faire." in said
    assert "Here it works against: Big change or uncertainty, People and feelings at stake" in said
    # The practices are tips, with the tips' buttons: one for the side, one for the style.
    side, style = shown_practice(harness, first), shown_practice(harness, second)
    assert side.id != style.id
    assert "Try this week:" in text_of(first) and "For leaning on leading." in text_of(first)
    assert side.lens in (Lens.LEADERSHIP, Lens.BOTH) and not side.event_bound
    assert "transformational-style" in style.topics
    assert "In the Transformational style." in text_of(second)
    assert shown_count(harness) == 2  # recorded as shown, as tips are
    assert harness.workspace.channel_messages(TEAM_CHANNEL) == []  # nobody else sees any


def test_a_named_moment_is_filled_in_and_reaches_its_bound_practice(harness, bank):
    form = open_form(harness, "situation reorg")
    by_block = {block.get("block_id"): block for block in form["blocks"]}
    initial = by_block[blocks.EVENT_INPUT]["element"]["initial_option"]
    assert initial["value"] == "reorganization"
    advice, bound, side = answered(harness, form)  # nothing ticked: the moment's factors
    assert "What just happened:* A reorganization was announced" in text_of(advice)
    assert "(comes with the moment)" in text_of(advice)
    practice = shown_practice(harness, bound)
    assert "reorganization" in practice.only_when
    assert "Made for this moment: A reorganization was announced." in text_of(bound)
    assert not shown_practice(harness, side).event_bound


def test_every_practice_bound_to_a_moment_is_reached_and_none_twice_before_all(harness, bank):
    bound = {p.id for p in bank.practices if "crisis" in p.only_when}
    seen = []
    for _ in range(len(bound)):
        _, practice_message, _ = answered(harness, open_form(harness), event="crisis")
        seen.append(shown_practice(harness, practice_message).id)
    assert sorted(seen) == sorted(bound)  # each once: the person's history is respected


def test_nothing_chosen_is_an_error_on_the_form_and_nothing_is_stored(harness):
    form = open_form(harness)
    response = submit(harness, form)
    assert response.json == {
        "response_action": "errors",
        "errors": {blocks.FACTORS: blocks.NOTHING_CHOSEN},
    }
    assert harness.workspace.top_view(ALICE) is not None  # the form stays open
    assert shown_count(harness) == 0 and answers_stored(harness) == 0


def test_a_forged_factor_or_moment_is_refused_with_what_to_do(harness):
    form = open_form(harness)
    forged = {"value": "telepathy", "text": {"type": "plain_text", "text": "Telepathy"}}
    response = submit(harness, form, ["change", forged])
    errors = response.json["errors"]
    assert set(errors) == {blocks.FACTORS}
    assert "no longer know (telepathy)" in errors[blocks.FACTORS]
    assert "type `/lvm situation` again" in errors[blocks.FACTORS]
    moment = {"value": "full-moon", "text": {"type": "plain_text", "text": "Full moon"}}
    response = submit(harness, form, ["change"], moment)
    assert response.json["errors"] == {blocks.EVENT_INPUT: blocks.UNKNOWN_EVENT}
    assert shown_count(harness) == 0 and answers_stored(harness) == 0


def test_a_redelivered_command_opens_one_form_and_says_nothing_more(harness):
    response = harness.slack.command(ALICE, "situation", channel_id=TEAM_CHANNEL)
    harness.workspace.wait_for(lambda: harness.workspace.top_view(ALICE), what="the form")
    again = send_again(harness, response.sent, command=True)
    assert again.status == 200 and not again.body.strip()
    harness.wait_until_idle()
    assert len(harness.workspace.open_views(ALICE)) == 1
    assert harness.workspace.messages_for(ALICE) == []  # no "Slack refused" for the retry


def test_a_submission_sent_again_is_answered_once(harness):
    form = open_form(harness)
    first = submit(harness, form, ["efficiency"])
    harness.workspace.wait_for(lambda: len(posted(harness)) == 3, what="the answer")
    again = send_again(harness, first.sent)
    assert again.status == 200 and not again.body.strip()
    harness.wait_until_idle()
    assert len(posted(harness)) == 3 and shown_count(harness) == 2
    assert answers_stored(harness) == 1


def test_where_lvm_cannot_post_the_answer_comes_by_dm(harness):
    form = open_form(harness, channel=QUIET_CHANNEL)
    advice, first, second = answered(harness, form, ["coordination"])
    dm = harness.workspace.dm_channel_id(ALICE)
    assert [m["channel"] for m in (advice, first, second)] == [dm, dm, dm]
    assert "Lean on managing" in text_of(advice)
    refused = [c for c in harness.workspace.calls_to("chat.postEphemeral") if not c.ok]
    assert refused and refused[0].response["error"] == "not_in_channel"


def test_the_tip_buttons_work_on_the_answers_practices(harness, bank):
    _, bound, _ = answered(harness, open_form(harness, "situation conflict"), ["complexity"])
    first = shown_practice(harness, bound)

    def current() -> dict:
        return next(m for m in harness.workspace.messages_for(ALICE) if m["ts"] == bound["ts"])

    harness.slack.click(ALICE, bound, "tip.another")  # "Another tip" asks the moment again
    harness.workspace.wait_for(
        lambda: shown_practice(harness, current()).id != first.id, what="another practice"
    )
    assert shown_practice(harness, current()).fits("conflict")
    harness.slack.click(ALICE, current(), "tip.helpful")
    harness.workspace.wait_for(lambda: "Marked helpful" in text_of(current()), what="the verdict")


def test_unrecognized_words_open_the_form_and_say_so(harness):
    form = open_form(harness, "situation full moon")
    assert "`full moon` is not one of the moments below" in text_of(
        {"blocks": [b for b in form["blocks"] if b["type"] == "context"]}
    )


def test_tip_with_a_situation_word_is_still_a_tip_and_help_knows_the_command(harness):
    harness.slack.command(BOB, "tip reorg", channel_id=TEAM_CHANNEL)
    tip = harness.last_message(BOB)
    assert "Try this week:" in text_of(tip)
    assert shown_practice(harness, tip).fits("reorganization")
    assert harness.workspace.calls_to("views.open") == []
    harness.slack.command(BOB, "help", channel_id=TEAM_CHANNEL)
    assert "/lvm situation reorg" in text_of(harness.last_message(BOB))
    harness.slack.command(BOB, "situaton outage", channel_id=TEAM_CHANNEL)
    assert "Did you mean `/lvm situation outage`?" in text_of(harness.last_message(BOB))
