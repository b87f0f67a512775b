"""No log line, at any level, links a person to what they answered or wrote."""

from __future__ import annotations

import json
import logging
import urllib.parse
from datetime import UTC, datetime

from tests.support.harness import ALICE, BOB, TEAM_CHANNEL
from tests.support.pulse_steps import answer, pulse_dms, question_ids, set_up_team

COMMENT = "Standups run long on Thursdays"


def linking_lines(records: list[logging.LogRecord], person: list[str]) -> list[str]:
    """Lines that carry the comment, or name the person next to an answer."""
    found = []
    for record in records:
        line = record.getMessage()
        names_person = any(p in line for p in person)
        if COMMENT in line or (names_person and ("you said" in line or "Recorded" in line)):
            found.append(line)
    return found


def test_a_pulse_answer_and_comment_leave_no_linking_line_at_debug(harness, caplog):
    caplog.set_level(logging.DEBUG)
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    set_up_team(harness, ALICE)
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "the questions delivered to")
    dm = pulse_dms(harness, BOB)[0]
    answer(harness, BOB, dm, question_ids(dm)[0], 4)
    harness.wait_for_text(BOB, "you said: Agree")
    harness.slack.click(BOB, dm, "pulse.comment")
    modal = harness.workspace.wait_for(
        lambda: harness.workspace.top_view(BOB), what="the comment modal"
    )
    harness.slack.submit_view(BOB, modal, {"comment": {"comment": COMMENT}})
    harness.workspace.wait_for(
        lambda: any("Edit your comment" in str(m["blocks"]) for m in pulse_dms(harness, BOB)),
        what="the comment saved",
    )
    # The same comment, forged: Bolt logs the whole body of a badly signed request.
    forged = urllib.parse.urlencode(
        {"payload": json.dumps({"type": "view_submission", "user": {"id": BOB}, "c": COMMENT})}
    ).encode()
    harness.slack.post_raw(
        forged,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            **harness.slack.signed_headers(forged, secret="not-the-secret"),
        },
    )
    person = [BOB, harness.workspace.dm_channel_id(BOB)]
    # The capture did see the DM's update being sent, at DEBUG: it could have caught it.
    assert any("chat.update" in r.getMessage() for r in caplog.records)
    assert linking_lines(caplog.records, person) == []
