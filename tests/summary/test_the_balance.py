"""Leading and managing, through the real request path: members answer in their DMs, the
round closes, and the summary, the digest, App Home and the CSV show each side's score as
worked out by hand here, a side withheld while too few answered its statements and shown
once enough did."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from math import sqrt

import pytest

from bot.pulse.blocks import ANSWER_PREFIX
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import pulse_dms, set_up_team, tick

FIRST_OPENING = datetime(2026, 11, 2, 10, 0, 30, tzinfo=UTC)  # Monday 10:00 London (GMT)
MEMBERS = (BOB, CAROL, DAN, ERIN)
# Two of the articles' contrasts, each asked on both sides, and one team condition.
DIRECTION = "direction-lead-explains-why"  # leading, vision vs goals
TRUST = "trust-lead-checks-in"  # leading, people vs tasks
GOALS = "goals-lead-clear-priorities"  # managing, vision vs goals
MONITORING = "monitoring-lead-follows-up"  # managing, people vs tasks
WORKLOAD = "workload-sustainable-pace"  # about the team: on neither side
QUESTIONS = [DIRECTION, TRUST, GOALS, MONITORING, WORKLOAD]
LEADING, MANAGING = (DIRECTION, TRUST), (GOALS, MONITORING)

# Scores per statement in members' order. In week 1 only Bob and Carol answer the managing
# statements: two answers, below the threshold of 3.
WEEK_ONE = {
    DIRECTION: [2, 3, 2, 3],
    TRUST: [3, 3, 4, 3],
    GOALS: [5, 4],
    MONITORING: [4, 4],
    WORKLOAD: [3, 3, 3, 3],
}
WEEK_TWO = {
    DIRECTION: [3, 2, 3, 2],
    TRUST: [3, 4, 3, 3],
    GOALS: [5, 4, 5, 4],
    MONITORING: [4, 5, 4, 4],
    WORKLOAD: [3, 3, 3, 3],
}


def half_up(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP)


def pooled(week: dict[str, list[int]], statements: tuple[str, ...]) -> tuple[Decimal, int, int]:
    """A round's side by hand: (average of every shown score, answers, 4s and 5s)."""
    scores = [s for q in statements if len(week[q]) >= 3 for s in week[q]]
    return half_up(Decimal(sum(scores)) / len(scores)), len(scores), sum(s >= 4 for s in scores)


def level(rounds: list[tuple[Decimal, int, int]]) -> Decimal:
    """Rounded round values weighted by their answers, rounded again."""
    return half_up(
        sum(value * answers for value, answers, _ in rounds) / sum(a for _, a, _ in rounds)
    )


def margin(people: int) -> Decimal:
    return half_up(Decimal(str(1.96 / sqrt(people))))


def percent(part: int, whole: int) -> int:
    return int((Decimal(100 * part) / whole).quantize(Decimal(1), ROUND_HALF_UP))


def answer_round(harness, week: dict[str, list[int]]) -> None:
    for index, user in enumerate(MEMBERS):
        for question, scores in week.items():
            if index < len(scores):
                harness.slack.click(
                    user,
                    pulse_dms(harness, user)[-1],
                    f"{ANSWER_PREFIX}{question}:{scores[index]}",
                )


def latest_digest(harness, count: int) -> str:
    def digests() -> list[dict]:
        return [m for m in harness.workspace.dm_messages(ALICE) if "closed:" in m["text"]]

    harness.workspace.wait_for(lambda: len(digests()) >= count, what=f"digest {count}")
    return text_of(digests()[-1])


def exported_rows(harness) -> dict[str, list[dict]]:
    before = len(harness.workspace.files)
    harness.slack.command(ALICE, "summary export", channel_id=TEAM_CHANNEL)
    exported = harness.workspace.wait_for(
        lambda: next(
            (f for f in harness.workspace.files[before:] if f.filename.endswith(".csv")), None
        ),
        what="the CSV",
    )
    by_round: dict[str, list[dict]] = {}
    for row in csv.DictReader(io.StringIO(exported.content.decode())):
        by_round.setdefault(row["opened_on"], []).append(row)
    return by_round


def run_week(harness, opens: datetime, week: dict[str, list[int]]) -> None:
    tick(harness, opens)
    answer_round(harness, week)
    tick(harness, opens + timedelta(days=3, minutes=1))  # closes; the digest goes out


@pytest.fixture
def first_week(harness):
    harness.services.now.set(FIRST_OPENING - timedelta(days=3))
    set_up_team(harness, ALICE, questions={"questions": QUESTIONS})
    run_week(harness, FIRST_OPENING, WEEK_ONE)


def test_a_side_too_few_answered_is_withheld_everywhere(harness, first_week):
    leading = pooled(WEEK_ONE, LEADING)
    # (2+3+2+3 + 3+3+4+3) / 8 = 2.875 -> 2.9, one 4 among eight answers; four people.
    assert leading == (Decimal("2.9"), 8, 1)
    withheld = "*Managing:* not shown: no statement about your managing had at least 3 answers"
    digest = latest_digest(harness, 1)
    assert f"*Leading* {leading[0]} ±{margin(4)} · " in digest
    assert withheld in digest and "stronger at" not in digest

    harness.services.now.set(FIRST_OPENING + timedelta(days=4))
    harness.slack.command(ALICE, "summary", channel_id=TEAM_CHANNEL)
    summary = text_of(harness.wait_for_text(ALICE, "Pulse summary"))
    assert withheld in summary and f"*Leading* {leading[0]} ±" in summary

    home = text_of(harness.open_home(ALICE))
    assert f"Leading {leading[0]}" in home and "Managing" not in home

    [week_rows] = exported_rows(harness).values()
    for row in week_rows:
        assert (row["leadership_average"], row["leadership_answers"]) == ("2.9", "8")
        assert row["management_average"] == row["management_answers"] == ""
        assert row["management_favorable_percent"] == ""
    # One 4 among the eight leading answers: 12.5% -> 13%.
    assert f"*Leading* 2.9 ±1.0 · {percent(1, 8)}% favorable" in digest
    assert {row["leadership_favorable_percent"] for row in week_rows} == {"13"}


def test_both_sides_and_their_balance_equal_a_hand_computation(harness, first_week):
    second = FIRST_OPENING + timedelta(weeks=1)
    run_week(harness, second, WEEK_TWO)

    leading_rounds = [pooled(WEEK_ONE, LEADING), pooled(WEEK_TWO, LEADING)]
    managing_rounds = [pooled(WEEK_TWO, MANAGING)]  # week 1's were withheld
    # Leading 2.9 and 2.9 over 16 answers; managing (5+4+5+4 + 4+5+4+4) / 8 = 4.375 -> 4.4.
    leading, managing = level(leading_rounds), level(managing_rounds)
    assert (leading, managing) == (Decimal("2.9"), Decimal("4.4"))
    # Normal variation counts the people behind each round (four), not every answer.
    assert (margin(8), margin(4)) == (Decimal("0.7"), Decimal("1.0"))
    # 4.4 - 2.9 = 1.5, outside 1.96 * sqrt(1/8 + 1/4) = 1.2: managing is stronger.
    assert managing - leading > Decimal(str(1.96 * sqrt(1 / 8 + 1 / 4)))
    # Widest contrast: vision vs goals, the direction statement (2.5, 2.5) against goals'
    # (4.5); people vs tasks is 3.3 against 4.3.
    vision = level([pooled(WEEK_ONE, (DIRECTION,)), pooled(WEEK_TWO, (DIRECTION,))])
    goals = level([pooled(WEEK_TWO, (GOALS,))])
    assert (vision, goals) == (Decimal("2.5"), Decimal("4.5"))
    # 2.0 apart, beyond 1.96 * sqrt(1/8 + 1/4) = 1.2 for the people behind each pole: named.
    assert goals - vision > Decimal(str(1.96 * sqrt(1 / 8 + 1 / 4)))
    sentence = (
        f"Your team experiences you as stronger at managing ({managing}) than at leading "
        f"({leading}); the widest gap, beyond normal variation, is on vision and goals: "
        f"'Where we are heading' {vision}, "
        f"'What to deliver next' {goals}."
    )

    digest = latest_digest(harness, 2)
    harness.services.now.set(second + timedelta(days=4))
    harness.slack.command(ALICE, "summary", channel_id=TEAM_CHANNEL)
    summary = text_of(harness.wait_for_text(ALICE, "Pulse summary"))
    for shown in (digest, summary):
        assert sentence in shown
        assert f"*Leading* {leading} ±{margin(8)} · " in shown
        assert f"*Managing* {managing} ±{margin(4)} · " in shown
        assert "not shown: no statement" not in shown

    home = text_of(harness.open_home(ALICE))
    assert f"Leading {leading} · Managing {managing}: stronger at managing" in home

    rows = exported_rows(harness)
    assert list(rows) == ["2026-11-02", "2026-11-09"]
    for row in rows["2026-11-09"]:
        assert (row["leadership_average"], row["leadership_answers"]) == ("2.9", "8")
        assert (row["management_average"], row["management_answers"]) == ("4.4", "8")
    # One 4 in each week's leading answers (2 of 16); every managing answer a 4 or 5.
    for shown in (digest, summary):
        assert f"*Leading* {leading} ±{margin(8)} · {percent(2, 16)}% favorable" in shown
        assert f"*Managing* {managing} ±{margin(4)} · 100% favorable" in shown
    assert {r["management_favorable_percent"] for r in rows["2026-11-09"]} == {"100"}


def test_privacy_says_what_is_measured_and_who_sees_the_sides(harness):
    harness.slack.command(BOB, "privacy", channel_id=TEAM_CHANNEL)
    privacy = text_of(harness.wait_for_text(BOB, "What lvm keeps"))
    assert "statements about what your lead did, on the leading side" in privacy
    assert "and the managing side" in privacy
    assert "about the team's conditions" in privacy
    assert "keep working for your lead" in privacy
    assert "Managers see averages per statement and per area, a leading and a managing score" in (
        privacy
    )
