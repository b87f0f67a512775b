"""Which workspace a request from Slack comes from: the one place a listener learns it.

A workspace's own install makes this easy: Bolt's `context.team_id`, the interaction's
`team.id`. An org-wide install (Enterprise Grid) is not a workspace's: Slack then sends
`authorizations[0].team_id` null, so Bolt sets no `context.team_id` for an event, and an
interaction may carry `team: null`. The workspace is still in the request: the envelope's
`team_id` for events, the person's `user.team_id` or the view's `team_id` for interactions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class NoWorkspace(LookupError):
    """A request that names no workspace anywhere (none Slack sends to lvm's listeners)."""


def _team(value: Any) -> str | None:
    """A `team` field: an id ("T1") in events, an object ({"id": "T1"}) in interactions."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, Mapping):
        return value.get("id") or None
    return None


def workspace_of(body: Mapping[str, Any]) -> str:
    """The workspace (team_id) a command, an interaction or an event comes from.

    Bolt's order first, so a workspace install reads as Bolt reads it (a form opened from a
    shared channel belongs to the workspace that installed lvm, `view.app_installed_team_id`;
    an event, to the workspace its authorization names), then what an org-wide install's
    requests carry instead.
    """
    view = body.get("view") if isinstance(body.get("view"), Mapping) else {}
    event = body.get("event") if isinstance(body.get("event"), Mapping) else {}
    user = body.get("user") if isinstance(body.get("user"), Mapping) else {}
    authorizations = body.get("authorizations") or [{}]
    event_view = event.get("view") if isinstance(event.get("view"), Mapping) else {}
    for candidate in (
        view.get("app_installed_team_id"),
        _team(body.get("team")),
        authorizations[0].get("team_id"),
        body.get("team_id"),  # a command's form; an event's envelope
        user.get("team_id"),  # an interaction: the person's own workspace
        view.get("team_id"),
        event.get("user_team"),
        _team(event.get("team")),
        event_view.get("team_id"),
    ):
        if isinstance(candidate, str) and candidate:
            return candidate
    raise NoWorkspace("the request names no workspace")


def workspace_named(body: Mapping[str, Any]) -> str | None:
    """`workspace_of`, or None for the few events about no one workspace (an organization
    revoking lvm's access to some of its workspaces names them in the event instead)."""
    try:
        return workspace_of(body)
    except NoWorkspace:
        return None
