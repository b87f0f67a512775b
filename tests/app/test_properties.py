"""Property-based tests: whatever a person types or a payload carries, the app answers.

Through the real request path (signed HTTP into the running app), arbitrary `/lvm` text,
button values and form submissions never get a 5xx, and never reach the app's last-resort
error handler, a listener failing after its ack or an "unexpected error" log: each is handled or
refused with a message that says what to do.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.home.blocks import HOME_TIP
from bot.platform.subcommands import CATALOG, parse
from bot.pulse import blocks as pulse_blocks
from bot.summary import blocks as summary_blocks
from bot.tips import blocks as tip_blocks
from slack_standin.response_url import issue_response_url
from tests.support.harness import ALICE, BOB, TEAM_CHANNEL
from tests.support.pulse_steps import set_up_team

EXAMPLES = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# What people type: any text, and words lvm knows in any order and case.
WORDS = st.sampled_from(
    [s.name for s in CATALOG]
    + ["setup", "start", "close", "optout", "weekly", "daily", "mon", "09:00", "off", "export"]
    + ["weeks:2", "weeks:²", "weeks:-1", "weeks:999999999999", "#nope", "<#C0TEAM|team>", "focus"]
)
TYPED = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=6).map(" ".join),
)
VALUES = st.one_of(
    st.text(max_size=200),
    st.integers().map(str),
    st.sampled_from(["", " ", "0", "-1", "1:2:3", "x:y", "{}", "null", "99999999999", "3:q:1"]),
    # Time zones people type: an area alone, a path, one too long to be a file name.
    st.sampled_from(["Europe", "America/", "../etc/passwd", "x" * 300, "Mars/Olympus", "UTC"]),
)


def failures(records: list[logging.LogRecord]) -> list[str]:
    """Errors that mean input reached a path that did not handle it."""
    return [
        f"{r.name}: {r.getMessage()}"
        for r in records
        if r.levelno >= logging.ERROR and "database unavailable" not in r.getMessage()
    ]


def settle(harness) -> None:
    """Let listeners finish their work after the ack (a moment, not a timing)."""
    time.sleep(0.3)


@given(text=st.one_of(st.none(), TYPED))
def test_the_parser_takes_any_text(text):
    invocation = parse(text)
    assert invocation.name == invocation.name.lower()
    assert " " not in invocation.name and "\n" not in invocation.name
    if text and text.split():
        assert invocation.name == text.split()[0].lower()


def test_any_lvm_command_text_gets_an_answer(harness, caplog):
    caplog.set_level(logging.INFO)
    set_up_team(harness, ALICE)

    @EXAMPLES
    @given(text=TYPED, who=st.sampled_from([ALICE, BOB]))
    def command(text: str, who: str) -> None:
        response = harness.slack.command(who, text, channel_id=TEAM_CHANNEL)
        assert response.status == 200, (text, response.status, response.body)
        assert failures(caplog.records) == [], text

    command()
    settle(harness)
    assert failures(caplog.records) == []


ACTIONS = [
    tip_blocks.ANOTHER,
    tip_blocks.HELPFUL,
    tip_blocks.NOT_FOR_ME,
    tip_blocks.SHARE,
    HOME_TIP,
    pulse_blocks.COMMENT,
    summary_blocks.COMMIT,
    summary_blocks.COMMIT_ANNOUNCE,
    summary_blocks.HOME_SUMMARY,
    summary_blocks.HOME_SETTINGS,
]


def click(harness, user_id: str, action_id: str, value: str) -> Any:
    slack, ws = harness.slack, harness.workspace
    payload: dict[str, Any] = {"type": "block_actions", **slack._common(user_id)}
    payload["container"] = {"type": "message", "message_ts": "1.000001", "channel_id": TEAM_CHANNEL}
    payload["channel"] = {"id": TEAM_CHANNEL, "name": "team"}
    payload["response_url"] = issue_response_url(
        ws, slack.server.base_url, "actions", user_id=user_id, channel_id=TEAM_CHANNEL
    )
    payload["actions"] = [
        {
            "type": "button",
            "action_id": action_id,
            "block_id": "b",
            "value": value,
            "action_ts": "1.000002",
        }
    ]
    return slack._send_interaction(payload)


def test_any_button_value_gets_an_answer(harness, caplog):
    caplog.set_level(logging.INFO)
    set_up_team(harness, ALICE)

    @EXAMPLES
    @given(
        action=st.one_of(
            st.sampled_from(ACTIONS),
            st.integers(min_value=0).map(lambda n: f"{pulse_blocks.ANSWER_PREFIX}{n}"),
        ),
        value=VALUES,
        who=st.sampled_from([ALICE, BOB]),
    )
    def clicked(action: str, value: str, who: str) -> None:
        response = click(harness, who, action, value)
        assert response.status == 200, (action, value, response.status, response.body)
        assert failures(caplog.records) == [], (action, value)

    clicked()
    settle(harness)
    assert failures(caplog.records) == []


SETUP_BLOCKS = {
    pulse_blocks.NAME: lambda v: {"type": "plain_text_input", "value": v},
    pulse_blocks.MANAGERS: lambda v: {"type": "multi_users_select", "selected_users": [v]},
    pulse_blocks.WEEKDAY: lambda v: {"type": "static_select", "selected_option": {"value": v}},
    pulse_blocks.TIME: lambda v: {"type": "timepicker", "selected_time": v},
    pulse_blocks.TIMEZONE: lambda v: {"type": "plain_text_input", "value": v},
    pulse_blocks.OPEN_DAYS: lambda v: {"type": "static_select", "selected_option": {"value": v}},
    pulse_blocks.REMINDER: lambda v: {"type": "static_select", "selected_option": {"value": v}},
    pulse_blocks.QUESTIONS: lambda v: {
        "type": "multi_static_select",
        "selected_options": [{"value": v}],
    },
    pulse_blocks.THRESHOLD: lambda v: {"type": "plain_text_input", "value": v},
    pulse_blocks.ADMINS: lambda v: {"type": "checkboxes", "selected_options": [{"value": v}]},
}
REASONABLE = {
    pulse_blocks.NAME: "Team",
    pulse_blocks.MANAGERS: ALICE,
    pulse_blocks.WEEKDAY: "0",
    pulse_blocks.TIME: "10:00",
    pulse_blocks.TIMEZONE: "Europe/London",
    pulse_blocks.OPEN_DAYS: "3",
    pulse_blocks.REMINDER: "24",
    pulse_blocks.QUESTIONS: "",
    pulse_blocks.THRESHOLD: "3",
    pulse_blocks.ADMINS: "",
}


def submit(harness, user_id: str, callback_id: str, values: dict, metadata: str) -> Any:
    slack = harness.slack
    payload: dict[str, Any] = {"type": "view_submission", **slack._common(user_id)}
    payload["view"] = {
        "id": "V0FUZZ",
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": metadata,
        "state": {"values": values},
        "blocks": [],
    }
    payload["response_urls"] = []
    return slack._send_interaction(payload)


def answered_form(response: Any) -> bool:
    """An empty ack (saved) or errors on the form, each at most 150 characters."""
    if not response.body.strip():
        return True
    body = response.json or {}
    errors = body.get("errors")
    return body.get("response_action") == "errors" and all(
        isinstance(text, str) and 0 < len(text) <= 150 for text in errors.values()
    )


def test_any_setup_form_gets_saved_or_errors_on_the_form(harness, caplog):
    caplog.set_level(logging.INFO)

    @EXAMPLES
    @given(
        fields=st.dictionaries(st.sampled_from(sorted(SETUP_BLOCKS)), VALUES, max_size=10),
        metadata=st.one_of(
            st.just(json.dumps({"channel_id": TEAM_CHANNEL})), VALUES, st.just("[]")
        ),
    )
    def submitted(fields: dict[str, str], metadata: str) -> None:
        chosen = {**REASONABLE, **fields}
        values = {block: {block: SETUP_BLOCKS[block](v)} for block, v in chosen.items()}
        response = submit(harness, ALICE, pulse_blocks.SETUP_VIEW, values, metadata)
        assert response.status == 200, (fields, metadata, response.body)
        assert answered_form(response), response.body
        assert failures(caplog.records) == [], (fields, metadata)

    submitted()
    settle(harness)
    assert failures(caplog.records) == []


def test_any_comment_form_gets_saved_or_errors_on_the_form(harness, caplog):
    caplog.set_level(logging.INFO)
    set_up_team(harness, ALICE)
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)

    @EXAMPLES
    @given(
        comment=st.one_of(st.none(), st.text(max_size=3500)),
        metadata=st.one_of(VALUES, st.integers(min_value=0, max_value=5).map(str)),
    )
    def submitted(comment: str | None, metadata: str) -> None:
        values = {
            pulse_blocks.COMMENT_INPUT: {
                pulse_blocks.COMMENT_INPUT: {"type": "plain_text_input", "value": comment}
            }
        }
        response = submit(harness, BOB, pulse_blocks.COMMENT_VIEW, values, metadata)
        assert response.status == 200, (comment, metadata, response.body)
        assert answered_form(response), response.body
        assert failures(caplog.records) == [], (comment, metadata)

    submitted()
    settle(harness)
    assert failures(caplog.records) == []
