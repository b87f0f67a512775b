"""Who may see a team's summaries: its managers, and workspace admins where the team allows."""

from __future__ import annotations

import pytest

from bot.platform.refusals import NotAViewer
from bot.pulse.store import PulseTeam
from bot.pulse.teams import require_viewer


def team(*, admins_may_view: bool) -> PulseTeam:
    return PulseTeam(managers=["U0LEAD"], admins_may_view=admins_may_view)


def test_managers_are_never_asked_about_with_slack():
    def ask_slack(user_id: str) -> bool:
        raise AssertionError("no Slack call needed for a manager")

    require_viewer(team(admins_may_view=True), "U0LEAD", ask_slack)


@pytest.mark.parametrize(
    ("admins_may_view", "is_admin", "allowed"),
    [(False, True, False), (True, True, True), (True, False, False), (False, False, False)],
)
def test_others_need_the_teams_consent_and_an_admin_role(admins_may_view, is_admin, allowed):
    asked: list[str] = []

    def ask_slack(user_id: str) -> bool:
        asked.append(user_id)
        return is_admin

    check = team(admins_may_view=admins_may_view)
    if allowed:
        require_viewer(check, "U0OTHER", ask_slack)
    else:
        with pytest.raises(NotAViewer):
            require_viewer(check, "U0OTHER", ask_slack)
    assert asked == (["U0OTHER"] if admins_may_view else [])  # Slack asked only when it matters


def test_the_dm_says_who_sees_the_averages():
    from bot.pulse.blocks import privacy_lines

    assert "Your managers see only averages" in privacy_lines(5)
    assert "Your managers and workspace admins see only averages" in privacy_lines(5, True)


def test_a_team_name_cannot_ping_or_link_in_what_lvm_posts():
    from bot.pulse.blocks import admins_announcement, team_announcement

    name = "<!channel> & <https://example.com|friends>"
    for message in (
        team_announcement(name, "Mondays at 10:00", "U0LEAD", 5),
        admins_announcement(name, "U0LEAD", True),
    ):
        assert "<!channel>" not in str(message) and "<https://" not in str(message)
        assert "&lt;!channel&gt; &amp; &lt;https://example.com|friends&gt;" in message["text"]
