"""Steps a self-assessment test takes, the way a person does: type `/lvm assess`, answer the
form, press its buttons."""

from __future__ import annotations

from collections.abc import Mapping

from bot.bank import Assessment, Pole
from slack_standin.slack_side import AppResponse
from tests.support.harness import TEAM_CHANNEL, Harness


def open_form(harness: Harness, user: str, channel: str = TEAM_CHANNEL) -> dict:
    opened = len(harness.workspace.calls_to("views.open"))
    response = harness.slack.command(user, "assess", channel_id=channel)
    assert response.status == 200, response.body
    harness.workspace.wait_for(
        lambda: len(harness.workspace.calls_to("views.open")) > opened, what="the form to open"
    )
    view = harness.workspace.top_view(user)
    assert view is not None and view["callback_id"] == "assess.form"
    return view


def form_values(answers: Mapping[str, int]) -> dict[str, dict[str, object]]:
    """The form's values for these answers ({statement id: 1..5})."""
    return {statement_id: {statement_id: str(score)} for statement_id, score in answers.items()}


def submit(harness: Harness, user: str, view: dict, answers: Mapping[str, int]) -> AppResponse:
    response = harness.slack.submit_view(user, view, form_values(answers))
    assert response.status == 200, response.body
    return response


def take(
    harness: Harness, user: str, answers: Mapping[str, int], channel: str = TEAM_CHANNEL
) -> AppResponse:
    """Type `/lvm assess`, answer every statement, submit; wait until the result is shown."""
    results = len(result_messages(harness, user))
    response = submit(harness, user, open_form(harness, user, channel), answers)
    assert not (response.json or {}).get("errors"), response.json
    harness.workspace.wait_for(
        lambda: len(result_messages(harness, user)) > results, what="the result"
    )
    harness.wait_until_idle()
    return response


def result_messages(harness: Harness, user: str) -> list[dict]:
    return [
        m
        for m in harness.workspace.messages_for(user)
        if (m.get("text") or "").startswith("Your balance between leading and managing")
    ]


def answers_by_pole(
    assessment: Assessment, *, leading: int, managing: int, agree_with_reverse: bool = False
) -> dict[str, int]:
    """Each statement answered so that its pole scores `leading` or `managing` (a reverse
    statement is answered 6 minus that, unless `agree_with_reverse`: then as written)."""
    answers = {}
    for statement in assessment.statements:
        wanted = leading if statement.pole is Pole.LEADING else managing
        answers[statement.id] = (
            6 - wanted if statement.reverse and not agree_with_reverse else wanted
        )
    return answers
