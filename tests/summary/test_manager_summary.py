"""A team's history made through the real request path, then what its manager sees.

Four fixed questions (one per dimension), four members answering with scores a test can
compute by hand, one member who never answers, and one week where too few answered
(`tests/support/team_history.py` makes it).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from math import sqrt

import pytest

from bot.pulse.blocks import ANSWER_PREFIX
from bot.pulse.teams import find_team
from bot.summary.build import build_summary
from bot.summary.store import PulseCommitment
from bot.tips.blocks import ANOTHER
from tests.support.harness import ALICE, BOB, CAROL, DAN, ERIN, QUIET_CHANNEL, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import (
    SETUP_VALUES,
    pulse_dms,
    question_ids,
    set_up_team,
    tick,
)
from tests.support.team_history import (
    ANSWERING,
    FIRST_MONDAY,
    THIN_WEEK,
    WEEKS,
    build_history,
    score,
)
from tests.support.tips import shown_count, shown_practice


@pytest.fixture
def history(harness, bank):
    return build_history(harness, bank)


def expected_average(week: int, question: int, members: int = 4) -> float:
    values = [score(member, week, question) for member in range(members)]
    return round(sum(values) / len(values), 1)


def window_level(weeks: list[int], question: int) -> Decimal:
    """By hand: each week's average rounded half up to one decimal, weighted by its 4 answers
    (13/4 is 3.3, where Python's round() would give 3.2)."""
    rounded = [
        (Decimal(sum(score(member, week, question) for member in range(4))) / 4).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )
        for week in weeks
    ]
    total = sum(value * 4 for value in rounded)
    return (total / (4 * len(weeks))).quantize(Decimal("0.1"), ROUND_HALF_UP)


def test_the_summary_numbers_match_a_hand_computation(harness, bank, history):
    harness.services.now.set(FIRST_MONDAY + timedelta(weeks=WEEKS))
    harness.slack.command(ALICE, "summary weeks:8", channel_id=TEAM_CHANNEL)
    shown = text_of(harness.wait_for_text(ALICE, "Participation"))
    # Week 5 (the latest): direction answers are 1+(m+5+0)%5 for m=0..3 -> 1,2,3,4 -> 2.5.
    assert expected_average(5, 0) == 2.5
    # The level is read over the last four shown weeks (1, 2, 4 and 5: week 3 is hidden),
    # 3.5, 3.3, 2.8 and 2.5 -> 3.0, with 16 answers: normal variation 1.96 / sqrt(16) = 0.49.
    level = window_level([1, 2, 4, 5], 0)
    assert level == Decimal("3.0")
    margin = Decimal(str(1.96 / sqrt(16))).quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert f"*Vision and the why* {level} ±{margin}" in shown
    # Against week 0 (2.5): +0.5, inside 1.96 * sqrt(1/16 + 1/4) = 1.1.
    previous = window_level([0], 0)
    assert abs(level - previous) < Decimal(str(1.96 * sqrt(1 / 16 + 1 / 4)))
    assert "over 4 rounds, latest 2.5 · within normal variation for a team of 4" in shown
    # The hidden week is named, and participation still counts it.
    assert "not enough answers to show" in shown.lower() or "Not enough answers to show" in shown
    assert "4 of 5" in shown


def test_a_round_below_the_threshold_shows_no_scores_anywhere(harness, bank, history):
    with harness.services.database.transaction() as session:
        team = find_team(session, "T0LVM", TEAM_CHANNEL)
        summary = build_summary(
            session,
            bank,
            team,
            weeks=8,
            now=FIRST_MONDAY + timedelta(weeks=WEEKS),
            rng=harness.services.rng,
        )
    thin = summary.rounds[THIN_WEEK]
    assert not thin.shown and thin.scores == {} and (thin.answered, thin.asked) == (2, 5)
    direction = summary.dimension(bank.questions[0].dimension) or summary.dimensions[0]
    shown_weeks = [w for w in range(WEEKS) if w != THIN_WEEK]
    span = round(sum(expected_average(w, 0) for w in shown_weeks) / len(shown_weeks), 1)
    assert summary.dimension("direction").span_average == pytest.approx(span, abs=0.051)
    assert direction is not None


def test_only_the_teams_managers_see_it_and_refusals_are_logged(harness, history, caplog):
    harness.services.now.set(FIRST_MONDAY + timedelta(weeks=WEEKS))
    with caplog.at_level("INFO", logger="bot.summary.access"):
        harness.slack.command(BOB, "summary", channel_id=TEAM_CHANNEL)
    assert "Only this team's managers" in text_of(harness.last_message(BOB))
    assert any("refused to U0BOB" in r.getMessage() for r in caplog.records)
    assert harness.workspace.files == [] or all(
        BOB not in f.shared_with_users for f in harness.workspace.files
    )


def test_workspace_admins_see_it_only_where_the_team_allows(harness, history, caplog):
    admin = "U0ADMIN"
    harness.workspace.add_user(admin, "admin", is_admin=True)
    harness.services.now.set(FIRST_MONDAY + timedelta(weeks=WEEKS))
    harness.slack.command(admin, "summary", channel_id=TEAM_CHANNEL)
    refusal = text_of(harness.last_message(admin))
    assert "Only this team's managers" in refusal and "workspace admins" not in refusal

    # A manager opens the settings again and lets workspace admins see the summaries.
    set_up_team(harness, ALICE, admins={"admins": ["admins_may_view"]})
    with harness.services.database.reading() as session:
        assert find_team(session, harness.workspace.team_id, TEAM_CHANNEL).admins_may_view
    # The team answered under "managers only": the channel is told, and so is every DM.
    harness.workspace.wait_for(
        lambda: any(
            "let workspace admins and owners see" in text_of(m)
            for m in harness.workspace.channel_messages(TEAM_CHANNEL)
        ),
        what="the announcement in the team's channel",
    )
    with caplog.at_level("INFO", logger="bot.summary.access"):
        harness.slack.command(admin, "summary", channel_id=TEAM_CHANNEL)
        summary = harness.wait_for_text(admin, "Participation")
        harness.slack.command(BOB, "summary", channel_id=TEAM_CHANNEL)
    # No scores, so no chart either.
    assert all(
        harness.workspace.dm_channel_id(admin) not in f.channels for f in harness.workspace.files
    )
    assert "Participation" in text_of(summary)
    # Rounds answered under "managers only" keep their scores from the admin.
    assert "opened before this team let workspace admins see its results" in text_of(summary)
    assert any("shown to workspace admin U0ADMIN" in r.getMessage() for r in caplog.records)
    # Being in the team's channel is still not enough (Slack is asked after the ack).
    refusal = text_of(harness.wait_for_text(BOB, "Only this team's managers"))
    assert "Only this team's managers" in refusal and "and workspace admins" in refusal


def test_admins_see_scores_only_of_rounds_opened_after_the_team_allowed_it(harness, history, bank):
    set_up_team(harness, ALICE, admins={"admins": ["admins_may_view"]})
    opens = FIRST_MONDAY + timedelta(weeks=WEEKS)  # the week after the history, still BST
    tick(harness, opens)
    for user in ANSWERING:
        for question in question_ids(pulse_dms(harness, user)[-1]):
            harness.slack.click(user, pulse_dms(harness, user)[-1], f"{ANSWER_PREFIX}{question}:4")
    after_close = opens + timedelta(days=3, minutes=1)
    tick(harness, after_close)
    with harness.services.database.reading() as session:
        team = find_team(session, harness.workspace.team_id, TEAM_CHANNEL)

        def shown(for_admin: bool) -> list[bool]:
            summary = build_summary(
                session,
                bank,
                team,
                weeks=12,
                now=after_close,
                rng=harness.services.rng,
                for_admin=for_admin,
            )
            return [view.shown for view in summary.rounds]

        as_manager, as_admin = shown(False), shown(True)
    assert as_manager == [week != THIN_WEEK for week in range(WEEKS)] + [True]
    assert as_admin == [False] * WEEKS + [True]


def test_a_focus_nudge_aims_the_channel_at_its_pulse_focus(harness, history, bank):
    after = FIRST_MONDAY + timedelta(weeks=WEEKS)
    harness.services.now.set(after)
    harness.slack.command(BOB, "nudge weekly wed 09:00 focus", channel_id=TEAM_CHANNEL)
    assert "only its managers (<@U0ALICE>) can set one up here" in text_of(
        harness.last_message(BOB)
    )
    harness.slack.command(ALICE, "nudge weekly wed 09:00 focus", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "aimed at the area the pulse suggests working on")

    wednesday = datetime(2026, 10, 21, 8, 0, 30, tzinfo=UTC)  # 09:00 in London (BST)
    with harness.services.database.reading() as session:
        team = find_team(session, harness.workspace.team_id, TEAM_CHANNEL)
        expected = build_summary(
            session, bank, team, weeks=12, now=wednesday, rng=harness.services.rng
        ).focus
    assert expected is not None
    tick(harness, wednesday)
    [nudge] = [
        m
        for m in harness.workspace.channel_messages(TEAM_CHANNEL)
        if m.get("text", "").startswith("Practice of the week")
    ]
    text = text_of(nudge)
    assert f"{expected.name}, the area {team.name}'s pulse suggests working on" in text
    practice = next(p for p in bank.practices if p.title in text)
    assert practice in bank.practices_for_dimension(expected.dimension_id)


def test_a_managers_own_focus_nudge_aims_at_their_teams_focus(harness, history, bank):
    harness.services.now.set(FIRST_MONDAY + timedelta(weeks=WEEKS))
    dm = harness.workspace.dm_channel_id(ALICE)
    harness.slack.command(ALICE, "nudge daily 08:30 focus", channel_id=dm)
    harness.wait_for_text(ALICE, "aimed at the area the pulse suggests working on")
    tick(harness, datetime(2026, 10, 20, 7, 30, 30, tzinfo=UTC))  # Tuesday 08:30 in London
    nudge = harness.wait_for_text(ALICE, "pulse suggests working on")
    assert "Another tip" in str(nudge["blocks"])  # a personal nudge keeps its buttons
    # ...and its practice, and any other it offers, come from the focus area's pool.
    [another] = [
        element["value"]
        for block in nudge["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == ANOTHER
    ]
    assert another.startswith("area:")
    pool = bank.practices_for_dimension(another.removeprefix("area:"))
    assert shown_practice(harness, nudge) in pool
    harness.slack.command(
        BOB, "nudge daily 08:30 focus", channel_id=harness.workspace.dm_channel_id(BOB)
    )
    assert "you manage no pulse team yet" in text_of(harness.last_message(BOB))


def test_a_focus_nudge_needs_a_pulse_to_aim_at(harness, history):
    harness.slack.command(ALICE, "nudge daily 08:30 focus", channel_id=QUIET_CHANNEL)
    assert "this channel has no pulse yet" in text_of(harness.last_message(ALICE))


def test_the_chart_is_uploaded_to_the_manager_with_files_upload_v2(harness, history):
    harness.services.now.set(FIRST_MONDAY + timedelta(weeks=WEEKS))
    before = len(harness.workspace.files)
    harness.slack.command(ALICE, "summary", channel_id=TEAM_CHANNEL)
    harness.workspace.wait_for(lambda: len(harness.workspace.files) > before, what="the chart")
    chart = harness.workspace.files[-1]
    assert chart.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart.alt_txt and "Vision and the why" in chart.alt_txt
    assert harness.workspace.dm_channel_id(ALICE) in chart.channels
    for method in ("files.getUploadURLExternal", "files.completeUploadExternal"):
        assert harness.workspace.calls_to(method)


def test_each_closing_sends_the_digest_and_chart_to_managers_only(harness, history):
    digests = [
        m
        for m in harness.workspace.dm_messages(ALICE)
        if "closed:" in m["text"] and "The pulse for" in m["text"]
    ]
    assert len(digests) == WEEKS
    assert not [
        m
        for m in harness.workspace.dm_messages(BOB)
        if "closed:" in m["text"] and "The pulse for" in m["text"]
    ]
    charts = [
        f for f in harness.workspace.files if harness.workspace.dm_channel_id(ALICE) in f.channels
    ]
    assert len(charts) >= WEEKS - 1


def test_app_home_shows_a_manager_their_team(harness, history):
    home = text_of(harness.open_home(ALICE))
    assert "team" in home.lower() and "%" in home
    assert "home.summary" not in str(harness.open_home(BOB))


def test_commit_and_tell_the_team(harness, history):
    harness.services.now.set(FIRST_MONDAY + timedelta(weeks=WEEKS))
    harness.slack.command(ALICE, "summary", channel_id=TEAM_CHANNEL)
    summary = harness.wait_for_text(ALICE, "Participation")
    harness.slack.click(ALICE, summary, "summary.commit_announce")
    harness.wait_for_text(ALICE, "Noted: you'll try")
    announcement = harness.wait_for_text(BOB, "will try this practice")
    assert announcement["channel"] == TEAM_CHANNEL
    with harness.services.database.transaction() as session:
        from sqlalchemy import select

        commitments = list(session.scalars(select(PulseCommitment)))
    assert [(c.user_id, c.announced) for c in commitments] == [(ALICE, True)]


def test_export_is_a_csv_of_aggregates_without_people(harness, history):
    harness.services.now.set(FIRST_MONDAY + timedelta(weeks=WEEKS))
    before = len(harness.workspace.files)
    harness.slack.command(ALICE, "summary export", channel_id=TEAM_CHANNEL)
    harness.workspace.wait_for(lambda: len(harness.workspace.files) > before, what="the CSV")
    exported = harness.workspace.files[-1]
    text = exported.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {"period", "opened_on", "closed_on"} <= set(rows[0])
    # Each round's date in the team's time zone (London), the name summaries give it.
    assert rows[0]["opened_on"] == FIRST_MONDAY.date().isoformat()
    for person in (ALICE, BOB, CAROL, DAN, ERIN):
        assert person not in text
    assert SETUP_VALUES  # the team was set up through the modal


def test_the_focus_practice_and_another_tip_come_from_the_areas_pool(harness, history, bank):
    harness.services.now.set(FIRST_MONDAY + timedelta(weeks=WEEKS))
    harness.slack.command(ALICE, "summary", channel_id=TEAM_CHANNEL)
    message = harness.wait_for_text(ALICE, "Focus:")
    [focused] = [d for d in bank.dimensions if f"Focus: {d.name}" in text_of(message)]
    pool = {p.id for p in bank.practices_for_dimension(focused.id)}
    # Many practices share a topic with the area but are outside its pool.
    by_topic = {p.id for p in bank.practices if set(p.topics) & set(focused.topics)}
    assert by_topic - pool
    assert shown_practice(harness, message).id in pool

    # "Another tip" shows each practice of the pool once before any comes round again,
    # except that of the questions for every 1:1 only one comes within the spacing.
    spaced = {i for i in pool if bank.practice_by_id[i].every_one_on_one}
    free = pool - spaced

    def shown_now() -> dict:
        return next(m for m in harness.workspace.messages_for(ALICE) if m["ts"] == message["ts"])

    def shown_id() -> str:
        return shown_practice(harness, shown_now()).id

    seen: list[str] = []
    for clicks in range(1, len(free) + min(len(spaced), 1) + 1):
        assert harness.slack.click(ALICE, message, ANOTHER).status == 200
        harness.workspace.wait_for(
            lambda n=clicks: (
                shown_count(harness) == n
                and "Focus:" not in text_of(shown_now())  # the summary was replaced
                and shown_id() not in seen[-1:]
            ),
            what="another tip in place of the last",
        )
        seen.append(shown_id())
    assert len(set(seen)) == len(seen)
    assert set(seen) - spaced == free
    assert len(set(seen) & spaced) == min(len(spaced), 1)
