"""Two teams on overlapping channels in the same week: subtracting one team's numbers from
the other's must recover nobody's answers (issue 14, item 1).

A manager runs the team's pulse on #team (six people) and sets up a second pulse on a
channel holding the same people but one, with the same questions, threshold 5 and schedule.
Everyone answers both rounds; the sixth person answers only the first. Through the real
request path (signed `/lvm summary export` in each channel), the attack subtracts the second
team's per-area totals from the first's.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.pulse.blocks import ANSWER_PREFIX
from bot.pulse.store import PulseRound
from bot.summary.overlap import can_be_told_apart
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import (
    MANAGERS_ANSWER,
    SETUP_VALUES,
    pinned_questions,
    pulse_dms,
    tick,
)

FRANK = "U0FRANK"  # the person the attack singles out
TWIN_CHANNEL = "C0TWIN"  # everyone in #team but Frank
OTHER_CHANNEL = "C0OTHER"  # five other people
OTHERS = [f"U0OTHER{n}" for n in range(5)]
EVERYONE = [ALICE, BOB, CAROL, DAN, ERIN, FRANK]
MONDAY = datetime(2026, 11, 23, 10, 0, 30, tzinfo=UTC)  # 10:00 London, the teams' opening
FRANKS_SCORE = 1
OTHERS_SCORE = 4


def set_up(harness, channel: str, questions: list[str]) -> None:
    harness.slack.command(ALICE, "pulse setup", channel_id=channel)
    modal = harness.workspace.wait_for(lambda: harness.workspace.top_view(ALICE), what="setup")
    # Alice, who manages both teams, is asked too: the attack needs her answers in both.
    values = {**SETUP_VALUES, **MANAGERS_ANSWER, "threshold": {"threshold": "5"}}
    values["questions"] = {"questions": questions}
    response = harness.slack.submit_view(ALICE, modal, values)
    assert response.status == 200 and not (response.json or {}).get("errors"), response.json


def answer_all(harness, person: str, team_name_hint: str, score: int) -> None:
    """Answer every question of this person's DM from the round of the given channel."""
    dm = next(m for m in reversed(pulse_dms(harness, person)) if team_name_hint in text_of(m))
    questions = list(
        dict.fromkeys(
            element["action_id"].split(":")[1]
            for block in dm["blocks"]
            if block["type"] == "actions"
            for element in block["elements"]
            if element["action_id"].startswith(ANSWER_PREFIX)
        )
    )
    for question in questions:
        current = next(
            m for m in reversed(pulse_dms(harness, person)) if team_name_hint in text_of(m)
        )
        response = harness.slack.click(person, current, f"{ANSWER_PREFIX}{question}:{score}")
        assert response.status == 200


def exported_rows(harness, channel: str) -> list[dict[str, str]]:
    before = len(harness.workspace.files)
    harness.slack.command(ALICE, "summary export", channel_id=channel)
    harness.workspace.wait_for(lambda: len(harness.workspace.files) > before, what="the CSV")
    return list(csv.DictReader(io.StringIO(harness.workspace.files[-1].content.decode())))


def run_two_rounds(harness, bank, second_channel: str, second_members: list[str]) -> None:
    workspace = harness.workspace
    workspace.add_user(FRANK, "frank", tz="Europe/London")
    for person in OTHERS:
        workspace.add_user(person, person.lower(), tz="Europe/London")
    workspace.add_channel(TEAM_CHANNEL, "team", EVERYONE)
    workspace.add_channel(second_channel, second_channel.lower(), [ALICE, *second_members])
    harness.services.now.set(MONDAY - timedelta(days=3))
    questions = pinned_questions(bank)
    set_up(harness, TEAM_CHANNEL, questions)
    set_up(harness, second_channel, questions)

    tick(harness, MONDAY)  # both rounds open, the same week
    for person in EVERYONE:
        answer_all(harness, person, "*team*", FRANKS_SCORE if person == FRANK else OTHERS_SCORE)
    for person in dict.fromkeys([ALICE, *second_members]):
        answer_all(harness, person, f"*{second_channel.lower()}*", OTHERS_SCORE)
    tick(harness, MONDAY + timedelta(days=3, minutes=1))  # both close
    harness.services.now.set(MONDAY + timedelta(days=4))


def totals_by_area(rows: list[dict[str, str]]) -> dict[str, tuple[float, int]]:
    return {
        row["dimension_id"]: (float(row["average"]), int(row["answers"]))
        for row in rows
        if row["status"] == "shown"
    }


def test_subtracting_an_overlapping_teams_numbers_recovers_nothing(harness, bank):
    run_two_rounds(harness, bank, TWIN_CHANNEL, [BOB, CAROL, DAN, ERIN])

    first = totals_by_area(exported_rows(harness, TEAM_CHANNEL))
    second_rows = exported_rows(harness, TWIN_CHANNEL)
    second = totals_by_area(second_rows)

    # The attack: for every area both exports show, the difference of the totals is the
    # answers of whoever is in one round and not the other.
    recovered = {
        area: round(first[area][0] * first[area][1] - second[area][0] * second[area][1])
        for area in first.keys() & second.keys()
        if first[area][1] - second[area][1] == 1
    }
    assert recovered == {}
    assert len(first) == 4  # the team that asked first keeps its numbers
    assert second == {}  # the overlapping round shows participation only...
    assert {row["status"] for row in second_rows} == {
        "not shown: another team asked nearly the same people that week"
    }
    assert {row["answered"] for row in second_rows} == {"5"}  # ...and says why
    harness.slack.command(ALICE, "summary", channel_id=TWIN_CHANNEL)
    note = text_of(harness.wait_for_text(ALICE, "another team asked nearly the same people"))
    assert str(FRANKS_SCORE) + ".0" not in note

    # Once the clock has stored both rounds' totals, the exports are the same.
    tick(harness, MONDAY + timedelta(days=3, minutes=30))
    with harness.services.database.transaction() as session:
        stored = session.scalars(select(PulseRound.totals_stored_at)).all()
    assert len(stored) == 2 and all(stored)
    harness.services.now.set(MONDAY + timedelta(days=4))
    assert totals_by_area(exported_rows(harness, TEAM_CHANNEL)) == first
    assert exported_rows(harness, TWIN_CHANNEL) == second_rows


def test_a_second_team_of_other_people_in_the_same_week_is_shown(harness, bank):
    run_two_rounds(harness, bank, OTHER_CHANNEL, OTHERS)  # shares only Alice, the manager

    first = totals_by_area(exported_rows(harness, TEAM_CHANNEL))
    second = totals_by_area(exported_rows(harness, OTHER_CHANNEL))

    assert len(first) == 4 and len(second) == 4
    assert {average for average, _ in second.values()} == {float(OTHERS_SCORE)}


def test_the_bound_counts_only_answerers_outside_the_shared_people():
    # Six answered, five of them shared with a round that five answered: one person apart.
    assert not can_be_told_apart(6, 5, shared=5, threshold=5)
    # A department of 20 answerers and a sub-team of 7 inside it: 12 people apart at least.
    assert can_be_told_apart(20, 7, shared=8, threshold=5)
    # Teams sharing one person.
    assert can_be_told_apart(6, 6, shared=1, threshold=5)
    # The other round still open counts as 0 answers: only this round's outsiders count.
    assert not can_be_told_apart(6, 0, shared=5, threshold=5)
