"""`/lvm summary` as a manager sends it: the ack over HTTP, then the summary arriving at Slack.

The fake Slack's own `SlackSide` sends the signed command to `lvm-bot serve` and lets the
response_url through once the ack is shown, as Slack does. lvm acks with a "working on it"
notice, builds the summary after the ack, replaces the notice through the response_url and
uploads the chart to the manager's DM; each is timed from the moment the command was sent
until it reaches the fake.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bench.processes import ServedApp
from bench.slack_requests import EVENTS_PATH, SIGNING_SECRET
from slack_standin import FakeSlackServer, SlackSide
from slack_standin.records import ApiCall

DELIVERY_WAIT_S = 120.0
WORKING_ON_IT = "Working on the summary"
CHART_UPLOAD = "files.completeUploadExternal"


@dataclass(frozen=True)
class SummaryRequest:
    status: int
    acked_ms: float  # the HTTP answer to the command
    delivered_ms: float | None  # the summary replacing the notice, through the response_url
    chart_ms: float | None  # the chart's upload completed
    working_notice: bool  # the ack was the "working on it" notice
    summary_shown: bool  # what arrived is the team's summary, not an error


def send_summary(
    app: ServedApp,
    fake: FakeSlackServer,
    *,
    manager: str,
    channel_id: str,
    team_name: str,
    text: str,
) -> SummaryRequest:
    """One command, waiting until its summary and chart have arrived (or a time limit)."""
    slack = SlackSide(
        f"http://127.0.0.1:{app.port}{EVENTS_PATH}", SIGNING_SECRET, fake.workspace, fake
    )
    workspace = fake.workspace
    replies_before = len(workspace.calls_to("response_url"))
    charts_before = len(workspace.calls_to(CHART_UPLOAD))
    sent = time.monotonic()
    response = slack.command(manager, text, channel_id=channel_id)
    acked = time.monotonic()
    reply = _wait_for_call(fake, "response_url", replies_before)
    delivered = time.monotonic() if reply else None
    chart = _wait_for_call(fake, CHART_UPLOAD, charts_before)
    charted = time.monotonic() if chart else None
    return SummaryRequest(
        status=response.status,
        acked_ms=(acked - sent) * 1000,
        delivered_ms=None if delivered is None else (delivered - sent) * 1000,
        chart_ms=None if charted is None else (charted - sent) * 1000,
        working_notice=WORKING_ON_IT in response.body,
        summary_shown=reply is not None
        and reply.status == 200
        and f"Pulse summary: {team_name}" in str(reply.params.get("blocks"))
        and chart is not None
        and chart.ok,
    )


def _wait_for_call(fake: FakeSlackServer, method: str, seen: int) -> ApiCall | None:
    """The next call to `method` after the first `seen`, as soon as the fake records it."""
    workspace = fake.workspace
    try:
        return workspace.wait_for(
            lambda: workspace.calls_to(method)[seen], timeout=DELIVERY_WAIT_S, what=method
        )
    except AssertionError:
        return None
