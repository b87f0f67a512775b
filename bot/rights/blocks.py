"""What lvm says about the data it keeps: `/lvm privacy`, and `/lvm forget me`'s confirmation
and answers. Pure builders: they are handed what to list, and read no table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.platform.messages import Message, message_of

FORGET_CONFIRM = "rights.forget_confirm"
FORGET_CANCEL = "rights.forget_cancel"

ANSWERS_STAY = (
    "Your pulse answers and comments are not deleted: they were stored under a key that "
    "changes every round and keeps no list of whose answers are whose, so lvm does not pick "
    "them out, and they stay counted in your teams' results (a closed round's numbers never "
    "change). They are deleted with every other answer once they are older than the "
    "retention period."
)


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def privacy_message(
    forgets: Sequence[str], *, retain_weeks: int, delete_after_days: int
) -> Message:
    """`/lvm privacy`: what lvm keeps about anyone who asks, what it does not, for how long,
    and what they can have deleted. `forgets`: what `/lvm forget me` deletes, step by step."""
    answers = _bullets(
        [
            "Your answers are stored under a key made from your user id and a server secret, "
            "different in every round. The database alone cannot link an answer to you, or "
            "your answers across weeks.",
            "The database keeps who was asked, not who answered or when: only lvm's server, "
            "with its secret, can tell whether you answered, to remind you once. Someone who "
            "copies the database without the secret cannot link any answer or comment to you.",
            "What is asked: statements about what your lead did, on the leading side (where "
            "the team is heading and why, change, influence, care, coaching) and the managing "
            "side (priorities, steady plans, clearing the way, follow-through, delegation); a "
            "few about the team's conditions (speaking up, workload); and whether you would "
            "want to keep working for your lead.",
            "Managers see averages per statement and per area, a leading and a managing score "
            "pooled from the statements about them, the share of 4s and 5s, and comments "
            "without names in random order, only once the round has closed (its numbers never "
            "change after that) and only from statements at least the team's threshold (3 or "
            "more) answered. Below it they see participation alone. Workspace admins see the "
            "same only where a team's managers allow it, which lvm announces in the team's "
            "channel.",
            "Managers are not asked about the team they manage, and do not count toward its "
            "threshold: a manager who had answered would know their own scores, and so could "
            "work out what the others gave together. A team may choose to ask its managers "
            "too; then each manager who answers hides among one person fewer, the team's "
            "announcement and pulse DMs say so, and a higher threshold makes up for it.",
            "A manager may answer a comment, or thank you for it, through lvm: it reaches you "
            "by DM and you may answer back, mute or close the conversation. lvm keeps the link "
            "from your comment to you sealed with its secret, never shows or logs it, relays "
            "your answers without your name at its next delivery (not as you write; a mute is "
            "not shown), lets each side send a few messages a day, and deletes the link when "
            f"the conversation closes or {retain_weeks} weeks after the round closed, when "
            "your comment goes too. The conversation itself is kept for the team's managers. "
            "`/lvm forget me` makes the links from your comments open to nobody: no "
            "conversation reaches you again, and the managers are not told which was yours.",
            "You can change an answer until the round closes, and `/lvm pulse optout` stops "
            "the DMs for a team.",
        ]
    )
    assessment = _bullets(
        [
            "Your self-assessment (`/lvm assess`) is not anonymous, and only you see it: lvm "
            "keeps your answers to its statements under your user id, when you took it, the "
            "practices its result offered and the ones you add to your growth plan, with your "
            "check-ins on them.",
            "The result goes to you alone (a reply only you see, your DM with lvm, your App "
            "Home), never to your managers, workspace admins, a team's pulse, a summary, a "
            "digest or an export, unless you show your plan to someone you choose.",
            "If you manage a team, your own summary, digest and Home set your ratings beside "
            "your team's where enough of them answered; its other managers never see yours.",
        ]
    )
    kept = _bullets(
        [
            "Tips: which practices lvm showed you, and whether you found them helpful, so it "
            "does not repeat itself and can rank practices by what people found useful.",
            "Nudges: the schedules you set for yourself, and who set up a channel's.",
            "Pulse: the teams whose rounds asked you (not whether you answered), the teams "
            "you opted out of, and, if you manage a team, its settings with you among its "
            "managers, your commitments with their check-ins and reflections, and a focus "
            "you chose.",
            "Messages lvm sends on its own (pulse DMs, digests, nudges), for 30 days after "
            "they were due, so none goes out twice; then they are deleted.",
            "Whether it greeted you on its Home tab.",
        ]
    )
    not_kept = _bullets(
        [
            "Your name or user id next to any pulse answer or comment, or when you answered.",
            "What you type to lvm beyond the moment it answers: a command's text is read, "
            "not stored (a scheduled tip's topic or words are kept with its schedule).",
            "Your messages in channels, your profile, or anything about you from Slack besides "
            "your user id (lvm asks Slack for names and time zones when it needs them).",
        ]
    )
    how_long = _bullets(
        [
            f"Pulse answers and comments, and the list of who each round asked, are deleted "
            f"{retain_weeks} weeks after their round closed, once the round's totals are "
            "stored; summaries, trends, the chart and the export keep working from those "
            "totals. (Only where two teams' rounds of one week were stored by an older version "
            "of lvm is that week's list kept: their summaries still read it.)",
            "If the workspace removes lvm, it stops sending at once, and deletes everything it "
            f"keeps about the workspace {delete_after_days} days later unless lvm is added "
            "back before then.",
        ]
    )
    rights = _bullets(
        [
            "`/lvm forget me` deletes what lvm keeps about you in this workspace, after "
            "asking you first: " + "; ".join(forgets) + ".",
            ANSWERS_STAY,
            "Whoever runs lvm can export a workspace's settings and results, with the records "
            "above that name people (opt-outs, tips shown and verdicts, commitments, "
            "schedules), or delete all of it. An export never holds answers, comments, who "
            "was asked, reflections or self-assessments.",
        ]
    )
    blocks: list[Block] = [
        HeaderBlock(text="What lvm keeps, and who sees what"),
        _section(f"*Your pulse answers*\n{answers}"),
        _section(f"*Your self-assessment*\n{assessment}"),
        _section(f"*What else lvm keeps about you*\n{kept}"),
        _section(f"*What it does not keep*\n{not_kept}"),
        _section(f"*For how long*\n{how_long}"),
        _section(f"*What you can have deleted*\n{rights}"),
    ]
    return message_of("What lvm keeps about you, and who sees what", blocks)


@dataclass(frozen=True)
class ForgetPreview:
    """What forgetting this person changes besides deleting: the confirmation says it."""

    co_managed: tuple[str, ...]  # channels whose pulse they stop managing (others keep it)
    opted_out: tuple[str, ...]  # channels whose next round asks them again
    channel_nudges: tuple[str, ...]  # channels whose nudge they set up (it stays, unnamed)


def _channels(channels: Sequence[str]) -> str:
    return ", ".join(f"<#{channel}>" for channel in channels)


def forget_confirmation(forgets: Sequence[str], preview: ForgetPreview) -> Message:
    """`/lvm forget me`: what will go, and two buttons. Nothing is deleted before the click."""
    notes: list[str] = []
    if preview.co_managed:
        notes.append(
            f"You stop managing the pulse in {_channels(preview.co_managed)}; its other "
            "managers keep it and its results."
        )
    if preview.opted_out:
        notes.append(
            f"Your opt-out from the pulse in {_channels(preview.opted_out)} goes too, so its "
            "next round asks you again; opt out again there with `/lvm pulse optout` if you "
            "want to stay out."
        )
    if preview.channel_nudges:
        notes.append(
            f"The scheduled tips you set up in {_channels(preview.channel_nudges)} keep "
            "going for the channel, without your name."
        )
    text = (
        f":warning: *Delete what lvm keeps about you in this workspace?*\n{_bullets(list(forgets))}"
    )
    blocks: list[Block] = [_section(text)]
    if notes:
        blocks.append(_section(_bullets(notes)))
    blocks.append(_section(ANSWERS_STAY))
    blocks.append(
        ActionsBlock(
            elements=[
                ButtonElement(
                    text="Delete my data", action_id=FORGET_CONFIRM, value="me", style="danger"
                ),
                ButtonElement(text="Cancel", action_id=FORGET_CANCEL, value="me"),
            ]
        )
    )
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="This cannot be undone. Messages already in your Slack stay there."
                )
            ]
        )
    )
    return message_of(
        "Delete what lvm keeps about you? Nothing is deleted until you confirm.", blocks
    )


def forgotten_message(changed: int) -> Message:
    """After the click (a second click, or Slack's retry, finds nothing left to delete)."""
    if changed:
        text = (
            ":white_check_mark: Done: lvm has deleted what it kept about you in this "
            "workspace, or removed your name where others still rely on a row "
            f"({changed} in all). {ANSWERS_STAY}"
        )
    else:
        text = (
            ":white_check_mark: lvm keeps nothing about you in this workspace any more: "
            f"there was nothing left to delete. {ANSWERS_STAY}"
        )
    return message_of(text, [_section(text)])


def forget_canceled_message() -> Message:
    text = "Nothing was deleted. `/lvm forget me` asks again whenever you want."
    return message_of(text, [_section(text)])


def forget_usage_message(typed: str) -> Message:
    text = (
        f":thinking_face: `/lvm forget {typed[:60]}` is not something I know. "
        "`/lvm forget me` deletes what lvm keeps about you (it asks first); "
        "`/lvm privacy` says what that is."
    )
    return message_of(text, [_section(text)])
