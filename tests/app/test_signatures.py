"""Only requests signed with the signing secret, and recent, reach a listener."""

from __future__ import annotations

import time
import urllib.parse

import pytest

from tests.support.harness import ALICE, TEAM_CHANNEL
from tests.support.tips import shown_count

FORM = urllib.parse.urlencode(
    {
        "command": "/lvm",
        "text": "tip",
        "user_id": ALICE,
        "channel_id": TEAM_CHANNEL,
        "team_id": "T0LVM",
        "response_url": "http://127.0.0.1:9/nowhere",
        "trigger_id": "1.2.3",
    }
).encode()
FORM_TYPE = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda slack: {}, id="missing"),
        pytest.param(
            lambda slack: slack.signed_headers(FORM, secret="not-the-secret"), id="wrong-secret"
        ),
        pytest.param(
            lambda slack: slack.signed_headers(FORM, timestamp=int(time.time()) - 600), id="stale"
        ),
        pytest.param(
            lambda slack: slack.signed_headers(FORM + b"&text=summary"), id="tampered-body"
        ),
    ],
)
def test_bad_signatures_are_refused_with_401_and_change_nothing(harness, forge):
    response = harness.slack.post_raw(FORM, {**FORM_TYPE, **forge(harness.slack)})
    assert response.status == 401
    assert shown_count(harness) == 0


def test_a_correct_signature_is_accepted(harness):
    response = harness.slack.post_raw(FORM, {**FORM_TYPE, **harness.slack.signed_headers(FORM)})
    assert response.status == 200
    assert shown_count(harness) == 1


def test_a_malformed_payload_gets_a_clear_answer(harness):
    body = b"payload=%7Bnot-json"
    response = harness.slack.post_raw(body, {**FORM_TYPE, **harness.slack.signed_headers(body)})
    assert response.status in (400, 404)
    assert shown_count(harness) == 0
