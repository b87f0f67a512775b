"""Short messages that tell a person what went wrong and what to do next."""

from __future__ import annotations

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.platform.messages import Message


def notice(text: str) -> Message:
    return {"text": text, "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]}


def database_down() -> Message:
    return notice(
        ":warning: I can't reach my database right now, so I couldn't do that and nothing was "
        "changed. Please try again in a minute; if it keeps happening, tell whoever runs lvm "
        "(its /healthz page shows the database state)."
    )


# A form's field error must be short (Slack shows it under the field).
DATABASE_DOWN_IN_FORM = (
    "I can't reach my database right now, so nothing was saved. Please submit again in a minute."
)


def unexpected_error(reference: str) -> Message:
    return notice(
        ":warning: Something went wrong on my side and nothing was changed. Please try again; "
        f"if it keeps happening, tell whoever runs lvm and quote `{reference}`."
    )


def not_in_channel() -> Message:
    return notice(
        ":wave: I'm not a member of this channel, so I can't post here. "
        "Invite me with `/invite @lvm`, then try again."
    )


def practice_gone() -> Message:
    return notice(
        ":mag: That practice is no longer in the bank (it may have been retired). "
        "Ask for a fresh one with `/lvm tip`."
    )
