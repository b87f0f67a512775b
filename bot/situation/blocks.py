"""`/lvm situation`'s surfaces: the form that asks about the situation, and the answer.

Every word of advice comes from the bank (content/situation_guide.yaml); these builders only
lay it out. The two practices are shown as tips (bot/tips/blocks.py), each its own message so
its buttons ("Another tip", "Helpful", ...) act on it alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.bank import Bank, Lens, Practice, SituationEvent
from bot.platform.messages import Message, message_of
from bot.platform.mrkdwn import escape
from bot.situation.guide import EVENT, SIDE, Advice, Counted, PracticePool, StyleCall
from bot.tips.blocks import tip_message

FORM_VIEW = "situation.form"
# Each input's block_id is its action_id too, as `lvm-bot try`'s :set expects.
FACTORS = "factors"
EVENT_INPUT = "event"

NOTHING_CHOSEN = "Tick at least one thing that describes the situation, or pick what just happened."
UNKNOWN_FACTOR = (
    "This form offered something I no longer know ({ids}). Close it and type "
    "`/lvm situation` again."
)
UNKNOWN_EVENT = "I don't know that moment any more. Close the form and type `/lvm situation` again."

SIDE_HEADLINE = {
    Lens.LEADERSHIP: "Lean on leading",
    Lens.MANAGEMENT: "Lean on managing",
    Lens.BOTH: "Lean on both, in balance",
}
SIDE_NAME = {Lens.LEADERSHIP: "leading", Lens.MANAGEMENT: "managing"}


@dataclass(frozen=True)
class FormTarget:
    """Where the answer goes: the channel `/lvm situation` was typed in."""

    channel_id: str | None = None

    def to_metadata(self) -> str:
        return json.dumps({"channel": self.channel_id})

    @classmethod
    def from_metadata(cls, text: str) -> FormTarget:
        """What to_metadata wrote; anything else carries no channel (the answer goes by DM)."""
        try:
            data = json.loads(text)
        except ValueError:
            return cls()
        channel = data.get("channel") if isinstance(data, dict) else None
        return cls(channel if isinstance(channel, str) and channel else None)


def _event_option(event: SituationEvent) -> Option:
    return Option(value=event.situation, label=event.label)


def situation_form(
    bank: Bank,
    target: FormTarget,
    *,
    event: SituationEvent | None = None,
    unrecognized: str | None = None,
) -> dict[str, Any]:
    """The form: checkboxes for the factors, and "What just happened?" (pre-filled with
    `event`); `unrecognized` is typed text that named no moment, said back at the top."""
    guide = bank.situation_guide
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text="Tick what describes the situation you are in. I'll say which side of "
                "the role to lean on, the style that fits and the one to avoid, and two "
                "practices to try."
            )
        )
    ]
    if unrecognized:
        shown = escape(unrecognized if len(unrecognized) <= 60 else unrecognized[:59] + "…")
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f":mag: `{shown}` is not one of the moments below; pick one if "
                        "it fits, or leave it empty."
                    )
                ]
            )
        )
    blocks.append(
        InputBlock(
            block_id=FACTORS,
            label="What is the situation like?",
            optional=True,
            element=CheckboxesElement(
                action_id=FACTORS,
                options=[Option(value=f.id, label=f.label) for f in guide.factors],
            ),
        )
    )
    blocks.append(
        InputBlock(
            block_id=EVENT_INPUT,
            label="What just happened?",
            optional=True,
            hint="Each moment brings its own factors, and a practice made for it.",
            element=StaticSelectElement(
                action_id=EVENT_INPUT,
                placeholder="Nothing in particular",
                options=[_event_option(e) for e in guide.events],
                initial_option=_event_option(event) if event else None,
            ),
        )
    )
    return View(
        type="modal",
        callback_id=FORM_VIEW,
        private_metadata=target.to_metadata(),
        title="Your situation",
        submit="Advise me",
        close="Cancel",
        blocks=blocks,
    ).to_dict()


def read_submission(view: dict[str, Any]) -> tuple[str, list[str], str | None] | None:
    """(Slack's view id, the ticked factor ids, the moment) of a submitted form; None for
    one without an id or whose state is not shaped as Slack sends it."""
    view_id = view.get("id")
    if not isinstance(view_id, str) or not view_id:
        return None
    try:
        factor_ids, event = read_form(view["state"]["values"])
    except (KeyError, TypeError, AttributeError):
        return None
    return view_id, factor_ids, event


def read_form(values: dict[str, Any]) -> tuple[list[str], str | None]:
    """(the ticked factor ids, the chosen moment's situation id) from a submitted form."""
    factors = (values.get(FACTORS) or {}).get(FACTORS) or {}
    chosen = [
        str(option.get("value", ""))
        for option in factors.get("selected_options") or []
        if isinstance(option, dict)
    ]
    selected = ((values.get(EVENT_INPUT) or {}).get(EVENT_INPUT) or {}).get("selected_option")
    event = str(selected.get("value", "")) if isinstance(selected, dict) else None
    return chosen, event or None


def _factor_line(counted: Counted) -> str:
    factor = counted.factor
    brought = " _(comes with the moment)_" if counted.from_event else ""
    return f"• *{factor.label}*{brought}: {factor.why}"


def _side_text(advice: Advice) -> str:
    leading = advice.on_side(Lens.LEADERSHIP)
    managing = advice.on_side(Lens.MANAGEMENT)
    tally = (
        f"{len(leading)} of what you described call{'s' if len(leading) == 1 else ''} for "
        f"leading, {len(managing)} for managing."
    )
    lines = [f"*{SIDE_HEADLINE[advice.side]}*  ·  {tally}"]
    if advice.event is not None:
        lines.append(f"*What just happened:* {advice.event.label}")
    for side, counted in ((Lens.LEADERSHIP, leading), (Lens.MANAGEMENT, managing)):
        if counted:
            lines.append(f"_Calls for {SIDE_NAME[side]}:_")
            lines += [_factor_line(c) for c in counted]
    return "\n".join(lines)


def _fits_text(call: StyleCall) -> str:
    reasons = (
        f"\n_Here it helps with: {', '.join(call.helps)}._"
        if call.helps
        else "\n_Nothing you described argues for one style; this one costs least here._"
    )
    return f"*Style that fits: {call.style.name}.* {call.style.guidance}{reasons}"


def _avoid_text(call: StyleCall) -> str:
    reasons = (
        f"\n_Here it works against: {', '.join(call.hurts)}._"
        if call.hurts
        else "\n_Of the four, it does the least for what you described._"
    )
    return f"*Style to avoid here: {call.style.name}.* {call.style.caution}{reasons}"


def advice_message(advice: Advice) -> Message:
    """The answer: the side to lean on and why, the style that fits and the one to avoid."""
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=_side_text(advice))),
        SectionBlock(text=MarkdownTextObject(text=_fits_text(advice.fits))),
        SectionBlock(text=MarkdownTextObject(text=_avoid_text(advice.avoid))),
        ContextBlock(
            elements=[MarkdownTextObject(text=":point_down: Two practices for it follow.")]
        ),
    ]
    text = (
        f"{SIDE_HEADLINE[advice.side]}. Style that fits: {advice.fits.style.name}; "
        f"to avoid here: {advice.avoid.style.name}."
    )
    return message_of(text, blocks)


def practice_note(pool: PracticePool, advice: Advice) -> str:
    """The line above a practice saying why it was chosen."""
    if pool.kind == EVENT and advice.event is not None:
        return f":round_pushpin: Made for this moment: {advice.event.label}."
    if pool.kind == SIDE:
        if advice.side is Lens.BOTH:
            return ":scales: For holding both sides at once."
        return f":compass: For leaning on {SIDE_NAME[advice.side]}."
    return f":bulb: In the {advice.fits.style.name} style."


def practice_message(practice: Practice, pool: PracticePool, advice: Advice, bank: Bank) -> Message:
    """A chosen practice as a tip, with the tip's buttons; "Another tip" asks its pool again."""
    return tip_message(
        practice, bank, query_text=pool.query_text, search_note=practice_note(pool, advice)
    )
