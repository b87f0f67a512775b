"""Two workspaces installed by OAuth in one process, whose user and channel IDs collide, each
holding everything lvm keeps (tests/support/rich_workspaces.py): a week of the clock serves
each with its own token and data; everything beta's people sent, and every control they are
shown, sent again from acme (carrying beta's rounds, comments, commitments, plans in its
values and forms); every `/lvm` subcommand typed in acme. Each is refused or acts on acme's
own data: beta's rows, its Slack and its words stay where they are.

The two are built once per database (a few seconds) and shared by the tests here; each test
reads what the build recorded, or compares beta with how it found it, so they hold in any
order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from bot.platform.subcommands import CATALOG
from bot.platform.timekeeping import ManualClock
from bot.pulse.commands import PULSE_WORDS
from tests.support.databases import iterate_databases, open_database
from tests.support.harness import ALICE, BOB, TEAM_CHANNEL, Harness
from tests.support.installs import token_of, two_workspaces
from tests.support.replays import Replay, controls_on_screen, listeners_not_reached, replay
from tests.support.rich_workspaces import OPENED, Built, build, profile
from tests.support.stored_rows import Row, links_across_workspaces, workspace_rows

UNEXPECTED = "Something went wrong"  # lvm's words for a failure it did not foresee
# Listeners no request here reaches, and why.
NOT_REPLAYED = {
    # app_uninstalled and tokens_revoked: tests/rights/test_many_workspaces.py removes lvm
    # from one of two workspaces and shows the other untouched.
    "register.workspace_removed",
    # team_access_revoked and team_access_granted: an organization's, about the workspaces
    # of it they name (tests/rights/test_org_removal.py); no workspace sends them.
    "register.access_revoked",
    "register.access_given",
}


# The module's tests share one costly build: under pytest-xdist they stay on one worker.
pytestmark = pytest.mark.xdist_group("workspace_isolation")


@pytest.fixture(scope="module", params=list(iterate_databases()))
def built(
    request: pytest.FixtureRequest, bank, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Built]:
    database = open_database(request.param, request, tmp_path_factory.mktemp("isolation"))
    clock = ManualClock(OPENED - timedelta(hours=2))
    try:
        with two_workspaces(database, bank, clock) as two:
            yield build(two)
    finally:
        database.dispose()


def mentions(shown: list[str], word: str) -> list[str]:
    return [text[:300] for text in shown if word in text]


def leaks(tales: Iterable[str], replays: list[Replay]) -> list[tuple[str, str]]:
    """(request, tell-tale) for each tell-tale the app showed in answer to a request: in its
    ack, in a Web API call it made meanwhile, in a file it uploaded."""
    return [
        (done.what, tale)
        for done in replays
        for tale in tales
        if tale in done.response.body + json.dumps([call.params for call in done.calls])
        or any(tale in text for text in done.uploads)
    ]


@pytest.fixture
def beta_untouched(built: Built) -> Iterator[None]:
    """Beta's rows, its record of Web API calls and what its people see: the same after the
    test as before it, table by table."""
    beta = built.two.beta
    rows, calls, shown = (
        workspace_rows(beta.services.database, team_id(beta)),
        beta.workspace.calls,
        beta.workspace.all_messages(),
    )
    yield
    after = workspace_rows(beta.services.database, team_id(beta))
    changed = {
        table: diff(rows[table], after[table]) for table in rows if rows[table] != after[table]
    }
    assert changed == {}
    assert [(call.method, call.params) for call in beta.workspace.calls[len(calls) :]] == []
    assert beta.workspace.all_messages() == shown
    assert links_across_workspaces(beta.services.database) == []


def team_id(harness: Harness) -> str:
    return harness.workspace.team_id


def diff(before: list[Row], after: list[Row]) -> dict[str, list[Row]]:
    return {
        "gone": [row for row in before if row not in after],
        "new": [row for row in after if row not in before],
    }


def test_a_week_of_the_clock_serves_each_workspace_with_its_own_token_and_data(built):
    for harness, other in (built.both, built.both[::-1]):
        week = built.calls_of_the_week(harness)
        said = "\n".join(json.dumps(call.params) for call in week)
        team = profile(harness).team_name
        # The week did each kind of work in each workspace...
        for work in (
            f"Weekly pulse for {team}",  # the next round
            f"Friendly reminder: the pulse for *{team}*",  # its reminder
            f"The pulse for {team} closed",  # its digests
            "Halfway check-in",  # the commitment's
            "Week 1 of your growth plan",  # the plan's step and its check-in
            "Practice of the week",  # the team's focus nudge
            "Your scheduled practice",  # Bob's own
            "The comment's author in a conversation",  # the author's answer, relayed
        ):
            assert work in said, (harness.workspace.team_id, work)
        # ...with its own token, and its own people's words and choices, only.
        assert {call.token for call in week} == {token_of(harness)}
        # (Each tell-tale shows in its own workspace, so it would show if it leaked.)
        own, others, shown = profile(harness), profile(other), built.shown[team_id(harness)]
        assert all(mentions(shown, tale) for tale in (*own.tell_tales, own.lean))
        found = {tale: mentions(shown, tale) for tale in (*others.tell_tales, others.lean)}
        assert found == {tale: [] for tale in found}


def test_what_one_workspace_s_people_sent_and_see_sent_from_the_other_stays_there(
    built, beta_untouched
):
    acme, beta = built.two.acme, built.two.beta
    sent = [request for request in beta.slack.sent if "command" not in request]
    requests = sent + controls_on_screen(beta.slack)
    # Every button, menu, form and event the app listens to is among them.
    assert set(listeners_not_reached(acme.local.app, requests)) == NOT_REPLAYED | {
        "register.answer_command"  # /lvm: the next test
    }
    replays = list(replay(acme, beta, requests, profile(beta).tell_tales))
    check_answers(acme, replays)
    # Beta's lead's balance is not among the tell-tales here: her form, sent from acme,
    # makes acme's Alice's own assessment with the same answers.
    assert leaks(profile(beta).tell_tales, replays) == []


def every_subcommand() -> list[str]:
    """Each example of each `/lvm` subcommand in the catalog help is built from, and each
    word `/lvm pulse` takes."""
    typed = [example for subcommand in CATALOG for example in subcommand.examples]
    typed += [f"pulse {word}" for word in PULSE_WORDS]
    return list(dict.fromkeys(typed))


def test_every_subcommand_typed_in_one_workspace_shows_and_changes_nothing_of_the_other(
    built, beta_untouched
):
    acme, beta = built.two.acme, built.two.beta
    forms = [
        {"command": "/lvm", "text": text, "user_id": user, "channel_id": channel}
        for text in every_subcommand()
        for user, channel in [(ALICE, TEAM_CHANNEL), (BOB, acme.workspace.dm_channel_id(BOB))]
    ]
    typed_in_beta = [request for request in beta.slack.sent if "command" in request]
    assert {request["text"].split()[0] for request in forms} == {s.name for s in CATALOG}
    replays = list(replay(acme, beta, forms + typed_in_beta, profile(beta).tell_tales))
    check_answers(acme, replays)
    assert leaks([*profile(beta).tell_tales, profile(beta).lean], replays) == []


def check_answers(harness: Harness, replays: list[Replay]) -> None:
    """Each request was acknowledged; each person who acted was answered (a message in a
    channel, which lvm leaves alone, aside), never with a failure lvm did not foresee."""
    assert [done.what for done in replays if done.response.status != 200] == []
    unanswered = [
        done.what
        for done in replays
        if done.person and not done.told(harness.workspace) and not is_channel_chatter(done)
    ]
    assert unanswered == []
    failed = [
        done.what
        for done in replays
        if UNEXPECTED in done.response.body + json.dumps([c.params for c in done.calls])
    ]
    assert failed == []


def is_channel_chatter(done: Replay) -> bool:
    event: dict[str, Any] = done.request.get("event") or {}
    return event.get("type") == "message" and event.get("channel_type") != "im"
