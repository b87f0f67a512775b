"""Who is in a channel, and where they are: the few Slack reads that behaviour needs.

Behaviour modules take anything with these methods, so they stay free of Slack's transport.
"""

from __future__ import annotations

from typing import Any, Protocol

from slack_sdk import WebClient

MEMBERS_PAGE = 200
SLACKBOT = "USLACKBOT"


class Directory(Protocol):
    def human_members(self, channel_id: str) -> list[str]: ...
    def timezone_of(self, user_id: str) -> str | None: ...
    def app_is_member(self, channel_id: str) -> bool: ...


class SlackDirectory:
    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._bot_user_id: str | None = None

    def _own_user_id(self) -> str:
        if self._bot_user_id is None:
            self._bot_user_id = str(self.client.auth_test()["user_id"])
        return self._bot_user_id

    def _user(self, user_id: str) -> dict[str, Any]:
        return dict(self.client.users_info(user=user_id)["user"])

    def human_members(self, channel_id: str) -> list[str]:
        """Members who are people: not bots, not deactivated, not this app; every page."""
        member_ids: list[str] = []
        cursor: str | None = None
        while True:
            page = self.client.conversations_members(
                channel=channel_id, limit=MEMBERS_PAGE, cursor=cursor
            )
            member_ids.extend(page["members"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                break
        own = self._own_user_id()
        humans: list[str] = []
        for user_id in dict.fromkeys(member_ids):
            if user_id in (own, SLACKBOT):
                continue
            user = self._user(user_id)
            if user.get("is_bot") or user.get("is_app_user") or user.get("deleted"):
                continue
            humans.append(user_id)
        return humans

    def timezone_of(self, user_id: str) -> str | None:
        return self._user(user_id).get("tz")

    def app_is_member(self, channel_id: str) -> bool:
        channel = self.client.conversations_info(channel=channel_id)["channel"]
        return bool(channel.get("is_member"))
