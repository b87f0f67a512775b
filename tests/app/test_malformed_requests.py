"""Bodies Bolt cannot read, and timestamps Slack would never send, through the real HTTP path."""

from __future__ import annotations

import logging

import pytest

from tests.support.signing import FORM, JSON, TIP_COMMAND
from tests.support.tips import shown_count

NOT_AN_OBJECT = [
    (b"[]", JSON),
    (b"null", JSON),
    (b"1", JSON),
    (b'"text"', JSON),
    (b"[{}]", JSON),
    (b"payload=[]", FORM),
    (b"payload=null", FORM),
    (b"payload=1", FORM),
    (b"payload=%22x%22", FORM),
    (b"payload=[1,2]&x=1", FORM),
]


@pytest.mark.parametrize(("body", "content_type"), NOT_AN_OBJECT)
def test_a_body_that_is_not_a_json_object_gets_400_without_a_traceback(
    harness, caplog, body, content_type
):
    caplog.set_level(logging.DEBUG)
    unsigned = harness.slack.post_raw(body, {"Content-Type": content_type})
    signed = harness.slack.post_raw(
        body, {"Content-Type": content_type, **harness.slack.signed_headers(body)}
    )
    assert (unsigned.status, signed.status) == (400, 400)
    assert "Traceback" not in caplog.text
    assert not any(record.exc_info for record in caplog.records)
    assert shown_count(harness) == 0


@pytest.mark.parametrize("shape", ["{now:_}", " {now}", "+{now}", "{now}.0"])
def test_a_timestamp_that_is_not_plain_digits_gets_401_even_with_a_matching_signature(
    harness, shape
):
    import time

    timestamp = shape.format(now=int(time.time()))
    headers = harness.slack.signed_headers(TIP_COMMAND, timestamp=timestamp)
    response = harness.slack.post_raw(TIP_COMMAND, {"Content-Type": FORM, **headers})
    assert response.status == 401
    assert shown_count(harness) == 0


def test_a_signed_object_of_an_unexpected_shape_gets_400_not_500(harness, caplog):
    body = b'{"type": "block_actions", "authorizations": 7, "team": []}'
    response = harness.slack.post_raw(
        body, {"Content-Type": JSON, **harness.slack.signed_headers(body)}
    )
    assert response.status < 500
    assert "Traceback" not in caplog.text
