"""Steps a summary test takes, the way a team's manager (or an admin it allows) does: type
`/lvm summary` or `/lvm summary export`, find the focus candidates' buttons; and `shown`,
what blocks show, to compare what someone sees before and after."""

from __future__ import annotations

import json

from bot.bank import Bank
from bot.platform.mrkdwn import escape
from bot.summary.blocks import CHOOSE_FOCUS
from bot.tips.blocks import LENS_LABEL
from tests.support.harness import TEAM_CHANNEL, Harness, text_of

ADMIN = "U0ADMIN"
PRACTICE_LINES = tuple(LENS_LABEL.values())  # a practice's lens, topics and minutes


def summary_for(harness: Harness, user: str) -> dict:
    seen = len(harness.workspace.messages_for(user))
    harness.slack.command(user, "summary", channel_id=TEAM_CHANNEL)
    return harness.workspace.wait_for(
        lambda: next(
            (
                m
                for m in harness.workspace.messages_for(user)[seen:]
                if "Pulse summary for" in text_of(m)
            ),
            None,
        ),
        what=f"{user}'s summary",
    )


def candidate_buttons(message: dict) -> dict[str, str]:
    """dimension id -> its button's action id, for the candidates a summary offers."""
    return {
        accessory["action_id"].removeprefix(f"{CHOOSE_FOCUS}."): accessory["action_id"]
        for block in message["blocks"]
        if (accessory := block.get("accessory")) and accessory["action_id"].startswith(CHOOSE_FOCUS)
    }


def export_of(harness: Harness, user: str) -> bytes:
    files = len(harness.workspace.files)
    harness.slack.command(user, "summary export", channel_id=TEAM_CHANNEL)
    harness.workspace.wait_for(lambda: len(harness.workspace.files) > files, what="the CSV")
    harness.wait_until_idle()
    export = harness.workspace.files[-1]
    assert export.filename.endswith(".csv") and export.content
    return export.content


def shown(blocks: list[dict], bank: Bank) -> str:
    """What blocks show, but the block ids Slack makes up for blocks that have none, and the
    practice a summary offers (each offer picks one its reader has not seen yet)."""

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k != "block_id"}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, str):
            if value.startswith(PRACTICE_LINES):
                return "<a practice>"
            for practice in bank.practices:
                for text in (practice.title, practice.insight, practice.try_this):
                    value = value.replace(escape(text), "<a practice>")
                value = value.replace(practice.id, "<a practice>")
        return value

    return json.dumps(plain(blocks), sort_keys=True)
