"""Only requests signed with the signing secret, and recent, reach a listener."""

from __future__ import annotations

import time

import pytest

from tests.support.signing import FORM, TIP_COMMAND
from tests.support.tips import shown_count


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda slack: {}, id="missing"),
        pytest.param(
            lambda slack: slack.signed_headers(TIP_COMMAND, secret="not-the-secret"),
            id="wrong-secret",
        ),
        pytest.param(
            lambda slack: slack.signed_headers(TIP_COMMAND, timestamp=int(time.time()) - 600),
            id="stale",
        ),
        pytest.param(
            lambda slack: slack.signed_headers(TIP_COMMAND + b"&text=summary"), id="tampered-body"
        ),
    ],
)
def test_bad_signatures_are_refused_with_401_and_change_nothing(harness, forge):
    response = harness.slack.post_raw(TIP_COMMAND, {"Content-Type": FORM, **forge(harness.slack)})
    assert response.status == 401
    assert shown_count(harness) == 0


def test_a_correct_signature_is_accepted(harness):
    response = harness.slack.post_raw(
        TIP_COMMAND, {"Content-Type": FORM, **harness.slack.signed_headers(TIP_COMMAND)}
    )
    assert response.status == 200
    assert shown_count(harness) == 1


def test_a_malformed_payload_gets_a_clear_answer(harness):
    body = b"payload=%7Bnot-json"
    response = harness.slack.post_raw(
        body, {"Content-Type": FORM, **harness.slack.signed_headers(body)}
    )
    assert response.status in (400, 404)
    assert shown_count(harness) == 0
