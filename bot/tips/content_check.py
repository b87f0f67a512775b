"""`lvm-bot content check`: the loader's checks, plus every practice rendered as Slack sees it."""

from __future__ import annotations

from collections import Counter

from slack_sdk.errors import SlackObjectFormationError

from bot.bank.loader import BankError
from bot.bank.models import Bank, Lens


def check_rendering(bank: Bank) -> None:
    """Build each practice's tip and shared messages; Block Kit limits raise BankError."""
    from bot.tips.blocks import shared_tip_message, tip_message

    problems: list[str] = []
    for practice in bank.practices:
        try:
            tip_message(practice, bank, query_text=practice.primary_topic)
            shared_tip_message(practice, bank, shared_by="U00000000")
        except SlackObjectFormationError as error:
            problems.append(f"content: practice '{practice.id}': breaks a Block Kit limit: {error}")
    if problems:
        raise BankError(problems)


def describe(bank: Bank) -> list[str]:
    """What the bank holds, one line per fact, for a person reading the check's output."""
    per_lens = Counter(practice.lens for practice in bank.practices)
    lines = [
        f"{len(bank.practices)} practices, {len(bank.topics)} topics, "
        f"{len(bank.situations)} situations, {len(bank.dimensions)} pulse dimensions, "
        f"{len(bank.asked_questions)} pulse statements "
        f"({len(bank.questions) - len(bank.asked_questions)} retired), "
        f"{len(bank.contrasts)} contrasts, "
        f"{len(bank.followups)} follow-up statements (one per area about the lead)",
        "practices per lens: " + ", ".join(f"{lens.value} {per_lens[lens]}" for lens in Lens),
        f"bound to a situation (never served at random): "
        f"{sum(1 for p in bank.practices if p.event_bound)}; asking in every 1:1 (spaced): "
        f"{sum(1 for p in bank.practices if p.every_one_on_one)}",
        f"situation guide: {len(bank.situation_guide.factors)} factors, "
        f"{len(bank.situation_guide.styles)} styles, "
        f"{len(bank.situation_guide.events)} moments with practices bound to them",
        "practices per topic:",
    ]
    width = max((len(topic.id) for topic in bank.topics), default=0)
    for topic in bank.topics:
        count = len(bank.practices_for_topic(topic.id))
        lines.append(f"  {topic.id.ljust(width)}  {count}")
    lines.append("practices per pulse dimension (a focus on it draws from these):")
    width = max((len(dimension.id) for dimension in bank.dimensions), default=0)
    for dimension in bank.dimensions:
        count = len(bank.practices_for_dimension(dimension.id))
        lines.append(f"  {dimension.id.ljust(width)}  {count:>2}  {dimension.name}")
    unmapped = sum(1 for practice in bank.practices if not practice.dimensions)
    lines.append(f"  (acting on no dimension: {unmapped})")
    return lines
