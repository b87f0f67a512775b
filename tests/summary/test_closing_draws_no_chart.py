"""Closing a round draws no chart: not in the close's transaction, not before its ack.

A close with five managers plans five digests and five charts. Drawing a chart costs a
matplotlib import and a fraction of a second per chart: inside the close's transaction it
held SQLite's one write lock meanwhile, and inside `/lvm pulse close` it delayed the ack.
Now the close's rows keep the chart's data, and each chart is drawn when its upload is sent.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.platform import outbox
from bot.platform.delivery import FILE_CONTENT
from bot.pulse.store import CLOSED, PulseRound
from bot.summary.digests import DIGEST_CHART
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL
from tests.support.pulse_steps import (
    MANAGERS_ANSWER,
    answer,
    pulse_dms,
    question_ids,
    set_up_team,
    tick,
)

MANAGERS = [ALICE, BOB, CAROL, DAN, ERIN]
A_WEDNESDAY = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def closed_round_with_scores(harness) -> int:
    """A round all five managers answered, closed by `/lvm pulse close`; its id."""
    harness.services.now.set(A_WEDNESDAY)
    set_up_team(harness, ALICE, managers={"managers": MANAGERS}, **MANAGERS_ANSWER)
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "5 people asked, the questions delivered to 5.")
    for person in MANAGERS:
        dm = pulse_dms(harness, person)[-1]
        for question in question_ids(dm):
            assert answer(harness, person, dm, question, 4).ok
    ack = harness.slack.command(ALICE, "pulse close", channel_id=TEAM_CHANNEL)
    assert "Round closed early: 5 of 5 answered" in (ack.json or {}).get("text", "")
    harness.wait_until_idle()  # the command sends what its close planned after its ack
    with harness.services.database.reading() as session:
        return session.scalars(select(PulseRound.id)).one()


def chart_rows(harness) -> list[outbox.OutboxMessage]:
    with harness.services.database.reading() as session:
        return [m for m in outbox.messages(session) if m.kind == DIGEST_CHART]


def test_a_close_with_five_managers_draws_their_charts_only_when_they_are_sent(harness):
    round_id = closed_round_with_scores(harness)

    # The ack is back and the close committed: it planned a chart for each manager, and
    # drew none of them (a drawn chart's bytes would be in its row).
    planned = chart_rows(harness)
    assert sorted(row.args["channel"] for row in planned) == sorted(MANAGERS)
    assert all(FILE_CONTENT not in row.args and "content" not in row.args for row in planned)

    # The charts are drawn by the sender, each outside any transaction: the close is
    # committed and seen by others, and another writer can commit while the chart is drawn.
    drawn: list[dict[str, Any]] = []
    one_at_a_time = threading.Lock()
    draw_digest_chart = harness.services.outbox_renderers[DIGEST_CHART]

    def drawing_after_the_close(args: dict[str, Any]) -> dict[str, Any]:
        database = harness.services.database
        with database.reading() as session:
            closed = session.get(PulseRound, round_id).status == CLOSED
        # Fails on any write lock still held by someone else, on SQLite the database's, on
        # PostgreSQL the round's row (NOWAIT). The sender draws from several threads: they
        # take turns here, or they would fail on each other's check.
        with one_at_a_time, database.transaction() as session:
            session.execute(
                select(PulseRound.id).where(PulseRound.id == round_id).with_for_update(nowait=True)
            )
        drawn.append({"channel": args["channel"], "close_committed": closed})
        return draw_digest_chart(args)

    harness.services.outbox_renderers = {
        **harness.services.outbox_renderers,
        DIGEST_CHART: drawing_after_the_close,
    }
    assert drawn == []
    tick(harness, A_WEDNESDAY + timedelta(seconds=2))  # the charts are due a second after
    assert sorted(d["channel"] for d in drawn) == sorted(MANAGERS)
    assert all(d["close_committed"] for d in drawn)

    uploads = [f for f in harness.workspace.files if (f.content or b"").startswith(PNG_SIGNATURE)]
    for manager in MANAGERS:
        dm = harness.workspace.dm_channel_id(manager)
        [chart] = [f for f in uploads if dm in f.channels]
        assert chart.alt_txt and "4.0" in chart.alt_txt
    assert all(row.status == outbox.SENT for row in chart_rows(harness))
