"""Who clicks what in the click benchmark, when, and what the database must hold afterwards.

Members open their DM at random moments spread over the window (a minute in a full run)
and answer every question, one click after another. Some click a
button twice in a row, some double-click (both requests in flight at once), and some change
an answer at the end: none of these may add a row, and the last score given must be stored.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from bench.load import Job, Request
from bench.slack_requests import block_action, signed
from bot.pulse.blocks import ANSWER_PREFIX
from slack_standin import FakeSlackServer
from slack_standin.payloads import build_action, find_element
from slack_standin.response_url import issue_response_url

REPEAT_EVERY = 10  # member n % 10 == 3 clicks their last answer again
DOUBLE_EVERY = 10  # member n % 10 == 7 double-clicks their first answer
CHANGE_EVERY = 20  # member n % 20 == 11 changes their first answer at the end
SCORES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Click:
    member: str
    message: dict[str, Any]  # the pulse DM as the member sees it
    question: str
    score: int


@dataclass
class ClickPlan:
    """Per member, steps of clicks sent at once; and the score each answer must end with."""

    steps: list[list[tuple[Click, ...]]] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)  # seconds into the run, ascending
    expected: dict[tuple[str, str], int] = field(default_factory=dict)
    clicks: int = 0
    repeats: int = 0
    doubles: int = 0
    changes: int = 0


def questions_in(message: dict[str, Any]) -> list[str]:
    """The question ids of a pulse DM's answer buttons, in order."""
    ids = [
        element["action_id"][len(ANSWER_PREFIX) :].rsplit(":", 1)[0]
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block.get("elements", [])
        if str(element.get("action_id", "")).startswith(ANSWER_PREFIX)
    ]
    return list(dict.fromkeys(ids))


def plan_clicks(dms: dict[str, dict[str, Any]], window: float, seed: int = 7) -> ClickPlan:
    rng = random.Random(seed)
    plan = ClickPlan(arrivals=sorted(rng.uniform(0.0, window) for _ in dms))
    for n, (member, message) in enumerate(dms.items()):
        answers = [Click(member, message, q, rng.choice(SCORES)) for q in questions_in(message)]
        steps: list[tuple[Click, ...]] = [(click,) for click in answers]
        if n % DOUBLE_EVERY == 7:
            steps[0] = (answers[0], answers[0])
            plan.doubles += 1
        if n % REPEAT_EVERY == 3:
            steps.append((answers[-1],))
            plan.repeats += 1
        if n % CHANGE_EVERY == 11:
            first = answers[0]
            changed = Click(member, message, first.question, first.score % 5 + 1)
            steps.append((changed,))
            plan.changes += 1
        for step in steps:
            for click in step:
                plan.expected[member, click.question] = click.score
                plan.clicks += 1
        plan.steps.append(steps)
    return plan


def click_request(fake: FakeSlackServer, click: Click) -> Request:
    """The signed block_actions request for a click, built when it is sent."""

    def build() -> tuple[bytes, dict[str, str]]:
        message = click.message
        block_id, element = find_element(
            message["blocks"], f"{ANSWER_PREFIX}{click.question}:{click.score}"
        )
        response_url = issue_response_url(
            fake.workspace,
            fake.base_url,
            "actions",
            user_id=click.member,
            channel_id=message["channel"],
            original=(message["channel"], message["ts"]),
        )
        body = block_action(
            click.member,
            channel_id=message["channel"],
            message=message,
            block_id=block_id,
            action=build_action(element, block_id, None),
            response_url=response_url,
        )
        return signed(body)

    return build


def jobs(plan: ClickPlan, fake: FakeSlackServer) -> list[Job]:
    return [
        [tuple(click_request(fake, click) for click in step) for step in steps]
        for steps in plan.steps
    ]
