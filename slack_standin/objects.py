"""Builders for Slack-shaped JSON objects (users, conversations, views, ids).

Kept separate from the workspace state so the shapes can be compared with
Slack's API reference in one place.
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

# zoneinfo only knows abbreviations ("EDT"); Slack shows long names in tz_label.
_TZ_LABELS: dict[str, str] = {
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "AKST": "Alaska Standard Time",
    "AKDT": "Alaska Daylight Time",
    "HST": "Hawaii-Aleutian Standard Time",
    "GMT": "Greenwich Mean Time",
    "UTC": "Coordinated Universal Time",
    "BST": "British Summer Time",
    "WET": "Western European Time",
    "WEST": "Western European Summer Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "EET": "Eastern European Time",
    "EEST": "Eastern European Summer Time",
    "IST": "India Standard Time",
    "JST": "Japan Standard Time",
    "KST": "Korea Standard Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
    "NZST": "New Zealand Standard Time",
    "NZDT": "New Zealand Daylight Time",
}

_id_counter = itertools.count(1)


def new_id(prefix: str) -> str:
    """A Slack-looking id (e.g. "V0A1B2C3D4"): prefix + 10 upper-case hex chars."""
    return f"{prefix}{next(_id_counter):04X}{secrets.token_hex(3).upper()}"


def tz_fields(tz: str, now: datetime | None = None) -> dict[str, Any]:
    """tz, tz_label and tz_offset (seconds east of UTC) as Slack reports them today."""
    moment = (now or datetime.now(ZoneInfo("UTC"))).astimezone(ZoneInfo(tz))
    abbr = moment.tzname() or tz
    offset = moment.utcoffset()
    offset_s = int(offset.total_seconds()) if offset is not None else 0
    label = _TZ_LABELS.get(abbr)
    if label is None:
        sign = "+" if offset_s >= 0 else "-"
        hours, minutes = divmod(abs(offset_s) // 60, 60)
        label = f"GMT{sign}{hours:02d}:{minutes:02d}"
    return {"tz": tz, "tz_label": label, "tz_offset": offset_s}


def _images(seed: str) -> dict[str, str]:
    digest = hashlib.md5(seed.encode(), usedforsecurity=False).hexdigest()
    return {
        f"image_{size}": f"https://secure.gravatar.com/avatar/{digest}.jpg?s={size}"
        for size in (24, 32, 48, 72, 192, 512)
    }


def user_object(
    *,
    team_id: str,
    user_id: str,
    name: str,
    real_name: str,
    tz: str,
    email: str | None,
    is_bot: bool,
    deleted: bool,
    is_admin: bool,
    bot_id: str | None = None,
    app_id: str | None = None,
) -> dict[str, Any]:
    """A users.info `user` object. Deactivated users come back stripped down
    (no tz/admin flags), which is a classic source of KeyErrors in real apps."""
    first, _, last = real_name.partition(" ")
    profile: dict[str, Any] = {
        "title": "",
        "phone": "",
        "skype": "",
        "real_name": real_name,
        "real_name_normalized": real_name,
        "display_name": name,
        "display_name_normalized": name,
        "fields": None,
        "status_text": "",
        "status_emoji": "",
        "status_emoji_display_info": [],
        "status_expiration": 0,
        "avatar_hash": hashlib.sha1(user_id.encode(), usedforsecurity=False).hexdigest()[:12],
        "first_name": first,
        "last_name": last,
        **_images(user_id),
        "team": team_id,
    }
    if is_bot:
        profile.update({"bot_id": bot_id, "api_app_id": app_id or "", "always_active": True})
    elif email:
        profile["email"] = email
    updated = int(time.time())
    if deleted:
        return {
            "id": user_id,
            "team_id": team_id,
            "name": name,
            "deleted": True,
            "profile": profile,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": updated,
        }
    return {
        "id": user_id,
        "team_id": team_id,
        "name": name,
        "deleted": False,
        "color": "9f69e7",
        "real_name": real_name,
        **tz_fields(tz),
        "profile": profile,
        "is_admin": is_admin,
        "is_owner": False,
        "is_primary_owner": False,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": is_bot,
        "is_app_user": False,
        "updated": updated,
        "is_email_confirmed": not is_bot,
        "who_can_share_contact_card": "EVERYONE",
    }


def channel_object(
    *,
    channel_id: str,
    name: str,
    created: int,
    creator: str,
    context_team_id: str,
    is_private: bool,
    is_archived: bool,
    is_member: bool,
    is_mpim: bool = False,
) -> dict[str, Any]:
    """A conversations.info `channel` object for a public/private channel or mpim."""
    return {
        "id": channel_id,
        "name": name,
        "is_channel": not is_private and not is_mpim,
        "is_group": is_private and not is_mpim,
        "is_im": False,
        "is_mpim": is_mpim,
        "is_private": is_private or is_mpim,
        "created": created,
        "is_archived": is_archived,
        "is_general": name == "general",
        "unlinked": 0,
        "name_normalized": name,
        "is_shared": False,
        "is_org_shared": False,
        "is_pending_ext_shared": False,
        "pending_shared": [],
        "context_team_id": context_team_id,
        "updated": created * 1000,
        "parent_conversation": None,
        "creator": creator,
        "is_ext_shared": False,
        "shared_team_ids": [context_team_id],
        "pending_connected_team_ids": [],
        "is_member": is_member,
        "topic": {"value": "", "creator": "", "last_set": 0},
        "purpose": {"value": "", "creator": "", "last_set": 0},
        "previous_names": [],
    }


def im_object(*, channel_id: str, user_id: str, created: int, user_deleted: bool) -> dict[str, Any]:
    """A conversations.info / conversations.open(return_im) `channel` object for a DM."""
    return {
        "id": channel_id,
        "created": created,
        "is_archived": False,
        "is_im": True,
        "is_org_shared": False,
        "context_team_id": None,
        "updated": created * 1000,
        "user": user_id,
        "is_user_deleted": user_deleted,
        "priority": 0,
    }


def view_hash() -> str:
    """Slack view hashes look like "1700000000.AbCdEf12"."""
    return f"{int(time.time())}.{secrets.token_hex(4)}"


def view_object(
    view: dict[str, Any],
    *,
    view_id: str,
    team_id: str,
    app_id: str,
    bot_id: str,
    root_view_id: str | None = None,
    previous_view_id: str | None = None,
) -> dict[str, Any]:
    """The `view` object Slack returns from views.* and sends in payloads."""
    is_modal = view.get("type") == "modal"
    return {
        "id": view_id,
        "team_id": team_id,
        "type": view.get("type"),
        "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "state": {"values": {}},
        "hash": view_hash(),
        "title": view.get("title", {"type": "plain_text", "text": "View Title", "emoji": True}),
        "clear_on_close": bool(view.get("clear_on_close", False)),
        "notify_on_close": bool(view.get("notify_on_close", False)),
        "close": view.get("close") if is_modal else None,
        "submit": view.get("submit") if is_modal else None,
        "previous_view_id": previous_view_id,
        "root_view_id": root_view_id or view_id,
        "app_id": app_id,
        "external_id": view.get("external_id", ""),
        "app_installed_team_id": team_id,
        "bot_id": bot_id,
    }
