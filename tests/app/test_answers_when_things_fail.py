"""What a person sees when the database is down, when Slack is slow, and when two managers
change a setting at once; what /healthz says; and team names that try to link in lvm's own
Home tab."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.platform.database import Database
from bot.platform.notices import DATABASE_DOWN_IN_FORM
from tests.support.harness import ALICE, BOB, TEAM_CHANNEL, text_of
from tests.support.pulse_steps import pulse_dms, set_up_team

DATABASE_DOWN = "can't reach my database"
DISGUISED = "<https://evil.example|Payroll update>"


def start_round(harness, **setup: dict) -> dict:
    harness.services.now.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    set_up_team(harness, ALICE, **setup)
    harness.slack.command(ALICE, "pulse start", channel_id=TEAM_CHANNEL)
    harness.wait_for_text(ALICE, "the questions delivered to")
    return pulse_dms(harness, BOB)[0]


def break_database(harness, tmp_path) -> None:
    harness.services.database = Database(f"sqlite:///{tmp_path}/missing-dir/none.sqlite3")


def test_a_team_name_cannot_link_on_a_members_home_or_in_the_pulse_fallback(harness):
    start_round(harness, name={"name": DISGUISED})  # Bob is asked, so his Home names the team
    home = harness.open_home(BOB)
    assert "Payroll update" in str(home) and "<https://evil" not in str(home)
    harness.slack.command(BOB, "pulse", channel_id=TEAM_CHANNEL)
    status = harness.last_message(BOB)
    assert "Payroll update" in status["text"] and "<https://evil" not in status["text"]


def test_with_the_database_down_the_comment_button_says_so(harness, tmp_path):
    dm = start_round(harness)
    break_database(harness, tmp_path)
    assert harness.slack.click(BOB, dm, "pulse.comment").status == 200
    shown = text_of(harness.wait_for_text(BOB, DATABASE_DOWN))
    assert "try again" in shown.lower()


def test_with_the_database_down_forms_say_so_on_the_form(harness, tmp_path):
    dm = start_round(harness)
    harness.slack.click(BOB, dm, "pulse.comment")
    comment_form = harness.workspace.wait_for(
        lambda: harness.workspace.top_view(BOB), what="the comment form"
    )
    harness.slack.command(ALICE, "pulse setup", channel_id=TEAM_CHANNEL)
    setup_form = harness.workspace.wait_for(
        lambda: harness.workspace.top_view(ALICE), what="the setup form"
    )
    break_database(harness, tmp_path)
    saved = harness.slack.submit_view(BOB, comment_form, {"comment": {"comment": "More focus"}})
    assert saved.json["errors"] == {"comment": DATABASE_DOWN_IN_FORM}
    from tests.support.pulse_steps import SETUP_VALUES

    saved = harness.slack.submit_view(ALICE, setup_form, {**SETUP_VALUES, "name": {"name": "T"}})
    assert saved.json["errors"] == {"name": DATABASE_DOWN_IN_FORM}


def test_with_the_database_down_the_home_tab_and_its_summary_button_say_so(harness, tmp_path):
    start_round(harness)
    home = harness.open_home(ALICE)
    assert "home.summary" in str(home)
    break_database(harness, tmp_path)
    assert DATABASE_DOWN in text_of(harness.open_home(BOB))
    assert harness.slack.click_in_view(ALICE, home, "home.summary").status == 200
    harness.wait_for_text(ALICE, DATABASE_DOWN)


def test_the_home_tab_is_published_after_the_ack(harness):
    # Slack is slow to publish (a 429 for a second): the event is answered meanwhile.
    harness.fake.fail_next("views.publish", "ratelimited", status=429, retry_after=1)
    assert harness.slack.app_home_opened(ALICE).status == 200
    published = [c for c in harness.workspace.calls_to("views.publish") if c.status == 200]
    assert published == []
    harness.workspace.wait_for(lambda: harness.workspace.home_view(ALICE), what="the Home tab")


def test_an_admins_summary_asks_slack_for_the_role_after_the_ack(harness):
    admin = "U0ADMIN"
    harness.workspace.add_user(admin, "admin", is_admin=True)
    set_up_team(harness, ALICE, admins={"admins": ["admins_may_view"]})
    # The setup form counts the channel (users.info per member) after it opens; let that
    # finish, so the only users.info from here on is the admin's role.
    harness.workspace.wait_for(
        lambda: harness.workspace.calls_to("views.update"), what="the setup form's count"
    )
    asked_before = len(harness.workspace.calls_to("users.info"))
    harness.fake.fail_next("users.info", "ratelimited", status=429, retry_after=1)
    response = harness.slack.command(admin, "summary", channel_id=TEAM_CHANNEL)
    assert response.status == 200
    answered = [c for c in harness.workspace.calls_to("users.info")[asked_before:] if c.ok]
    assert answered == []  # the ack did not wait for Slack's answer
    assert "Working on the summary" in text_of(harness.last_message(admin))
    harness.workspace.wait_for(
        lambda: "Working on" not in text_of(harness.last_message(admin)), what="the summary"
    )


def test_two_managers_toggling_admin_access_leave_the_channel_told_what_stands(harness):
    managers = {"managers": [ALICE, BOB]}
    set_up_team(harness, ALICE, managers=managers)
    harness.workspace.wait_for(
        lambda: harness.workspace.channel_messages(TEAM_CHANNEL), what="the team's announcement"
    )
    # Alice's announcement is held up by Slack (a 429 for a second); Bob undoes her change
    # meanwhile, and his announcement lands first.
    harness.fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=1)
    set_up_team(harness, ALICE, managers=managers, admins={"admins": ["admins_may_view"]})
    harness.workspace.wait_for(
        lambda: any(c.status == 429 for c in harness.workspace.calls_to("chat.postMessage")),
        what="Alice's announcement to be held up",
    )
    set_up_team(harness, BOB, managers=managers, admins={"admins": []})

    def about_admins() -> list[str]:
        return [
            text_of(m)
            for m in harness.workspace.channel_messages(TEAM_CHANNEL)
            if "workspace admins" in text_of(m)
        ]

    harness.workspace.wait_for(
        lambda: len(about_admins()) >= 2 and "let workspace admins" not in about_admins()[-1],
        what="the channel's last word to match the setting (managers only)",
    )
    harness.workspace.wait_for(
        lambda: (
            len([c for c in harness.workspace.calls_to("chat.postMessage") if c.ok]) >= 4 or None
        ),
        what="every announcement to land",
    )
    assert "let workspace admins" not in about_admins()[-1]


def test_database_down_gets_a_clear_answer(harness, tmp_path):
    harness.services.database = Database(f"sqlite:///{tmp_path}/missing-dir/none.sqlite3")
    response = harness.slack.command(ALICE, "tip", channel_id=TEAM_CHANNEL)
    assert response.status == 200
    shown = text_of(harness.last_message(ALICE))
    assert "can't reach my database" in shown
    assert "try again" in shown


def test_healthz_reports_the_database(harness, tmp_path):
    import json
    import urllib.error
    import urllib.request

    with urllib.request.urlopen(harness.url + "/healthz") as reply:
        assert json.load(reply) == {"status": "ok", "database": "ok"}
    harness.services.database = Database(f"sqlite:///{tmp_path}/missing-dir/none.sqlite3")
    # /healthz checks the database it was built with; build a second app to see it fail.
    from bot.platform.local_server import LocalServer
    from bot.platform.web import LvmWsgiApp

    broken = LvmWsgiApp(None, harness.services.database)  # type: ignore[arg-type]
    with LocalServer(broken) as server:
        try:
            urllib.request.urlopen(server.url + "/healthz")
            raise AssertionError("expected 503")
        except urllib.error.HTTPError as error:
            assert error.code == 503
            assert json.load(error)["status"] == "unavailable"


def test_a_summary_failing_after_the_ack_tells_the_manager(harness, caplog):
    set_up_team(harness, ALICE)
    harness.fake.fail_next("conversations.open", "fatal_error")  # the DM for the chart
    response = harness.slack.command(ALICE, "summary", channel_id=TEAM_CHANNEL)
    assert response.status == 200
    assert "Working on the summary" in text_of(harness.last_message(ALICE))
    # The failure comes after the ack, so it arrives through the response_url.
    told = harness.wait_for_text(ALICE, "Something went wrong on my side")
    assert "quote `" in text_of(told)
    assert any("failed while answering /lvm summary" in r.getMessage() for r in caplog.records)
