"""Whatever a situation form carries (forged values, lost metadata, no view id), the app answers
it or says on the form what went wrong: never a 5xx, never an unexpected-error log."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.situation import blocks
from tests.support.harness import ALICE, QUIET_CHANNEL, TEAM_CHANNEL

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VALUES = st.one_of(
    st.sampled_from(["change", "people", "routine", "coordination", "crisis", "conflict"]),
    st.text(max_size=80),
)
OPTIONS = st.lists(VALUES.map(lambda v: {"value": v}), max_size=10)
METADATA = st.one_of(
    st.sampled_from(
        [f'{{"channel": "{TEAM_CHANNEL}"}}', f'{{"channel": "{QUIET_CHANNEL}"}}', "", "[]"]
    ),
    st.text(max_size=40),
)


def submit(harness, values: dict[str, Any], metadata: str, view_id: str | None) -> Any:
    slack = harness.slack
    payload: dict[str, Any] = {"type": "view_submission", **slack._common(ALICE)}
    payload["view"] = {
        "type": "modal",
        "callback_id": blocks.FORM_VIEW,
        "private_metadata": metadata,
        "state": {"values": values},
        "blocks": [],
        **({"id": view_id} if view_id is not None else {}),
    }
    payload["response_urls"] = []
    return slack._send_interaction(payload)


def test_any_situation_form_is_answered_or_errors_on_the_form(harness, caplog):
    caplog.set_level(logging.INFO)

    @EXAMPLES
    @given(
        factors=st.one_of(st.none(), OPTIONS),
        event=st.one_of(st.none(), VALUES),
        metadata=METADATA,
        fresh_view=st.sampled_from([True, True, False, None]),
    )
    def submitted(factors, event, metadata: str, fresh_view: bool | None) -> None:
        values: dict[str, Any] = {}
        if factors is not None:
            values[blocks.FACTORS] = {
                blocks.FACTORS: {"type": "checkboxes", "selected_options": factors}
            }
        if event is not None:
            values[blocks.EVENT_INPUT] = {
                blocks.EVENT_INPUT: {"type": "static_select", "selected_option": {"value": event}}
            }
        view_id = {True: f"V{secrets.token_hex(5).upper()}", False: "V0SAME", None: None}[
            fresh_view
        ]
        response = submit(harness, values, metadata, view_id)
        assert response.status == 200, response.body
        if response.body.strip():
            errors = response.json["errors"]
            assert response.json["response_action"] == "errors"
            assert all(isinstance(t, str) and 0 < len(t) <= 150 for t in errors.values())
        failed = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert failed == [], (factors, event, metadata)

    submitted()
    harness.wait_until_idle()  # the answers after the acks, too
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
