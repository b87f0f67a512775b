"""Steps a pulse test takes, the way people and the clock do."""

from __future__ import annotations

from datetime import datetime

from bot import clock as scheduler
from bot.bank import Bank
from bot.pulse.blocks import ANSWER_PREFIX
from tests.support.harness import TEAM_CHANNEL, Harness, text_of

SETUP_VALUES = {
    "weekday": {"weekday": "0"},
    "time": {"time": "10:00"},
    "timezone": {"timezone": "Europe/London"},
    "open_days": {"open_days": "3"},
    "reminder": {"reminder": "24"},
    "threshold": {"threshold": "3"},
}
# The setup option that asks the managers too (by default they are not asked).
MANAGERS_ANSWER = {"managers_answer": {"managers_answer": ["managers_answer"]}}


def set_up_team(harness: Harness, manager: str, **overrides: dict) -> None:
    harness.slack.command(manager, "pulse setup", channel_id=TEAM_CHANNEL)
    modal = harness.workspace.wait_for(
        lambda: harness.workspace.top_view(manager), what="the setup modal"
    )
    response = harness.slack.submit_view(manager, modal, {**SETUP_VALUES, **overrides})
    assert response.status == 200, response.body
    assert not (response.json or {}).get("errors"), response.json


def tick(harness: Harness, at: datetime) -> int:
    harness.services.now.set(at)  # type: ignore[attr-defined]
    return scheduler.tick(harness.services, at, sender=scheduler.build_sender(harness.services))


def pulse_dms(harness: Harness, user: str) -> list[dict]:
    return [
        m
        for m in harness.workspace.dm_messages(user)
        if m["source"] == "chat.postMessage" and "Weekly pulse" in text_of(m)
    ]


def answer_ids(message: dict) -> list[str]:
    return [
        element["action_id"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"].startswith(ANSWER_PREFIX)
    ]


def answer(harness: Harness, user: str, message: dict, question_id: str, score: int):
    return harness.slack.click(user, message, f"{ANSWER_PREFIX}{question_id}:{score}")


def question_ids(message: dict) -> list[str]:
    return list(dict.fromkeys(a.split(":")[1] for a in answer_ids(message)))


def pinned_questions(bank: Bank) -> list[str]:
    """The anchor of each of four dimensions, to pin a team's questions to."""
    return [bank.anchor_of(d).id for d in ["direction", "trust", "goals", "workload"]]
