"""Reading who is in a channel: people only, in as few Slack calls as the channel's size allows."""

from __future__ import annotations

import pytest

from bot.platform.directory import BULK_LOOKUP_FROM, USERS_PAGE, SlackDirectory
from bot.platform.slack_client import build_web_client
from slack_standin import FakeSlackServer, Workspace
from slack_standin.workspace import BOT_USER_ID


def workspace_with_channel(members: int, *, bystanders: int) -> tuple[Workspace, list[str]]:
    """A channel of `members` people plus a bot, a deactivated person and the app itself,
    in a workspace with `bystanders` more people who are not in it."""
    workspace = Workspace()
    people = [f"U0P{n:05d}" for n in range(members)]
    for user_id in people:
        workspace.add_user(user_id, user_id.lower())
    for n in range(bystanders):
        workspace.add_user(f"U0X{n:05d}", f"bystander{n}")
    workspace.add_user("U0ROBOT", "robot", is_bot=True)
    workspace.add_user("U0GONE", "gone", deleted=True)
    workspace.add_channel("C0BIG", "big", [*people, "U0ROBOT", "U0GONE", BOT_USER_ID])
    return workspace, people


@pytest.mark.parametrize("members", [BULK_LOOKUP_FROM - 2, BULK_LOOKUP_FROM + 100])
def test_people_are_found_with_users_info_or_users_list_by_channel_size(members):
    workspace, people = workspace_with_channel(members, bystanders=300)
    with FakeSlackServer(workspace) as fake:
        directory = SlackDirectory(build_web_client(fake.bot_token, fake.api_url))
        found = directory.members_of("C0BIG").people
    assert found == people  # in channel order; no bot, no deactivated person, not the app
    lookups = len(workspace.calls_to("users.info")), len(workspace.calls_to("users.list"))
    if members + 2 < BULK_LOOKUP_FROM:
        assert lookups == (members + 2, 0)
    else:
        # Every page of the workspace at most, and no one looked up by themselves.
        everyone = members + 300 + 3
        assert lookups[0] == 0
        assert 1 <= lookups[1] <= -(-everyone // USERS_PAGE)


def test_members_that_users_list_does_not_return_are_looked_up_by_themselves():
    workspace, people = workspace_with_channel(BULK_LOOKUP_FROM, bystanders=0)
    with FakeSlackServer(workspace) as fake:
        directory = SlackDirectory(build_web_client(fake.bot_token, fake.api_url))
        real_list = directory.client.users_list

        def without_first_person(**kwargs):  # e.g. a guest from another organization
            page = real_list(**kwargs)
            page.data["members"] = [u for u in page["members"] if u["id"] != people[0]]
            return page

        directory.client.users_list = without_first_person  # type: ignore[method-assign]
        found = directory.members_of("C0BIG").people
    assert found == people
    assert [call.params.get("user") for call in workspace.calls_to("users.info")] == [people[0]]
