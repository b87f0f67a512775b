"""Who is in a channel, and where they are: the few Slack reads that behavior needs.

Behavior modules take anything with these methods, so they stay free of Slack's transport.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

logger = logging.getLogger(__name__)

MEMBERS_PAGE = 200
USERS_PAGE = 200
SLACKBOT = "USLACKBOT"
# From this many members on, a channel's people are looked up with users.list (200 a call,
# Tier 2: about 20 calls a minute) rather than users.info (one a call, Tier 4: about 100 a
# minute). Below it, users.info is quicker whatever the workspace's size; above it users.list
# wins unless the workspace has over 40 times as many people as the channel. A 5,000-member
# channel then takes minutes to read instead of 50.
BULK_LOOKUP_FROM = 500
# users.info answers for a member Slack will not describe to this app (a guest from another
# organization, an account removed meanwhile): that person is skipped, not the whole channel.
UNRESOLVABLE = frozenset({"user_not_found", "users_not_found", "account_inactive"})
# Errors Slack itself calls temporary: asked again after a short pause (429s are waited out
# by the WebClient's own handler).
TRANSIENT = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})
TRANSIENT_PAUSES = (0.5, 1.5)  # seconds before the second and third try


@dataclass(frozen=True)
class ChannelMembers:
    """The channel's people, and the members Slack would not tell us about."""

    people: list[str]
    unreachable: list[str] = field(default_factory=list)


def is_transient(error: SlackApiError) -> bool:
    response = error.response
    return (
        response.status_code == 429
        or response.status_code >= 500
        or response.get("error") in TRANSIENT
    )


class UserKind(enum.Enum):
    """What a user id names, as Slack says now."""

    PERSON = "person"
    BOT = "bot"  # a bot or an app's user
    DEACTIVATED = "deactivated"
    UNKNOWN = "unknown"  # Slack will not describe them to this app (UNRESOLVABLE)


class Directory(Protocol):
    def members_of(self, channel_id: str) -> ChannelMembers: ...
    def timezone_of(self, user_id: str) -> str | None: ...
    def kind_of(self, user_id: str) -> UserKind: ...
    def app_is_member(self, channel_id: str) -> bool: ...
    def is_workspace_admin(self, user_id: str) -> bool: ...


class SlackDirectory:
    def __init__(self, client: WebClient, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.client = client
        self._sleep = sleep
        self._bot_user_id: str | None = None

    def _ask(self, call: Callable[..., Any], **arguments: Any) -> Any:
        """One Web API call, tried again after a pause while Slack says the error is its own."""
        for pause in (*TRANSIENT_PAUSES, None):
            try:
                return call(**arguments)
            except SlackApiError as error:
                if pause is None or not is_transient(error):
                    raise
                logger.info("Slack answered %s; asking again", error.response.get("error"))
                self._sleep(pause)
        raise AssertionError("unreachable")

    def _own_user_id(self) -> str:
        if self._bot_user_id is None:
            self._bot_user_id = str(self._ask(self.client.auth_test)["user_id"])
        return self._bot_user_id

    def _user(self, user_id: str) -> dict[str, Any]:
        return dict(self._ask(self.client.users_info, user=user_id)["user"])

    def members_of(self, channel_id: str) -> ChannelMembers:
        """The channel's people, every page, less bots, deactivated people and this app.

        A member Slack will not look up (UNRESOLVABLE) is listed as unreachable rather than
        failing the read: one guest must not stop a whole team's round.
        """
        member_ids: list[str] = []
        cursor: str | None = None
        while True:
            page = self._ask(
                self.client.conversations_members,
                channel=channel_id,
                limit=MEMBERS_PAGE,
                cursor=cursor,
            )
            member_ids.extend(page["members"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                break
        own = self._own_user_id()
        candidates = [u for u in dict.fromkeys(member_ids) if u not in (own, SLACKBOT)]
        known = self._everyone(set(candidates)) if len(candidates) >= BULK_LOOKUP_FROM else {}
        people: list[str] = []
        unreachable: list[str] = []
        for user_id in candidates:
            # Anyone users.list did not return (a guest from another organization, say) is
            # looked up by themselves.
            user = known.get(user_id) or self._lookup(user_id)
            if user is None:
                unreachable.append(user_id)
            elif _is_person(user):
                people.append(user_id)
        return ChannelMembers(people, unreachable)

    def _lookup(self, user_id: str) -> dict[str, Any] | None:
        try:
            return self._user(user_id)
        except SlackApiError as error:
            if error.response.get("error") not in UNRESOLVABLE:
                raise
            logger.info("channel member %s cannot be looked up: %s", user_id, error)
            return None

    def _everyone(self, wanted: set[str]) -> dict[str, dict[str, Any]]:
        """The workspace's users who are in `wanted`, read with users.list, page by page."""
        found: dict[str, dict[str, Any]] = {}
        cursor: str | None = None
        while True:
            page = self._ask(self.client.users_list, limit=USERS_PAGE, cursor=cursor)
            found.update((u["id"], dict(u)) for u in page["members"] if u["id"] in wanted)
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor or len(found) == len(wanted):
                return found

    def timezone_of(self, user_id: str) -> str | None:
        return self._user(user_id).get("tz")

    def kind_of(self, user_id: str) -> UserKind:
        """A person, a bot, a deactivated account, or someone Slack will not describe; any
        other error (Slack down) is raised for the caller to report."""
        user = self._lookup(user_id)
        if user is None:
            return UserKind.UNKNOWN
        if user.get("deleted"):
            return UserKind.DEACTIVATED
        if user.get("is_bot") or user.get("is_app_user") or user_id == SLACKBOT:
            return UserKind.BOT
        return UserKind.PERSON

    def is_workspace_admin(self, user_id: str) -> bool:
        """An admin or owner of the workspace, as Slack says now (not a cached role).

        If Slack cannot say, the answer is no: access is refused rather than guessed.
        """
        try:
            user = self._user(user_id)
        except SlackApiError as error:
            logger.warning("could not check whether %s is a workspace admin: %s", user_id, error)
            return False
        return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))

    def app_is_member(self, channel_id: str) -> bool:
        """Whether this app is in the channel. If Slack cannot say (a private channel it was
        never invited to answers channel_not_found), the answer is no: the person is asked to
        invite it."""
        try:
            channel = self.client.conversations_info(channel=channel_id)["channel"]
        except SlackApiError as error:
            logger.info("could not check whether lvm is in %s: %s", channel_id, error)
            return False
        return bool(channel.get("is_member"))


def _is_person(user: dict[str, Any]) -> bool:
    return not (user.get("is_bot") or user.get("is_app_user") or user.get("deleted"))
