"""Reading the pulse setup modal: Slack's view state in, validated team settings out."""

from __future__ import annotations

import json
from datetime import time
from typing import Any

from bot.bank import Bank
from bot.platform import local_time
from bot.pulse import blocks as pulse_blocks
from bot.pulse import schedule as schedules
from bot.pulse import teams as pulse_teams
from bot.pulse.questions import QuestionSetError, validate_pinned


def field_value(values: dict[str, Any], block: str) -> dict[str, Any]:
    """The state of one input; every input's action id equals its block id."""
    return values.get(block, {}).get(block, {})


# The setup modal's block for each field of a schedule.
SCHEDULE_BLOCKS = {
    "weekday": pulse_blocks.WEEKDAY,
    "local_time": pulse_blocks.TIME,
    "open_days": pulse_blocks.OPEN_DAYS,
    "remind_after_hours": pulse_blocks.REMINDER,
}


def setup_channel(metadata: str | None) -> str:
    """The channel the setup form was opened in (its private metadata), or "" if unreadable."""
    try:
        data = json.loads(metadata or "{}")
    except ValueError:
        return ""
    channel = data.get("channel_id") if isinstance(data, dict) else None
    return channel if isinstance(channel, str) else ""


def chosen_number(values: dict[str, Any], block: str, default: int, errors: dict[str, str]) -> int:
    """The number a menu's chosen option carries. Our own options always carry one; anything
    else is reported on the menu rather than failing the whole form."""
    option = field_value(values, block).get("selected_option") or {}
    try:
        return int(option.get("value", default))
    except (TypeError, ValueError):
        errors[block] = "Pick one of the options in this menu."
        return default


def read_setup(
    values: dict[str, Any], bank: Bank
) -> tuple[pulse_teams.TeamSettings | None, dict[str, str]]:
    """Settings from the setup modal, or errors keyed by the block to show them on."""
    errors: dict[str, str] = {}
    name = (field_value(values, pulse_blocks.NAME).get("value") or "").strip()
    if not name:
        errors[pulse_blocks.NAME] = "Give the team a name."
    managers = list(field_value(values, pulse_blocks.MANAGERS).get("selected_users") or [])
    if not managers:
        errors[pulse_blocks.MANAGERS] = "Pick at least one manager."
    weekday = chosen_number(values, pulse_blocks.WEEKDAY, 0, errors)
    try:
        at = local_time.parse_local_time(
            field_value(values, pulse_blocks.TIME).get("selected_time") or ""
        )
    except local_time.ScheduleError as error:
        errors[pulse_blocks.TIME] = str(error)
        at = time(10, 0)
    zone = local_time.canonical_zone(field_value(values, pulse_blocks.TIMEZONE).get("value") or "")
    try:
        local_time.zone_or_error(zone)
    except local_time.ScheduleError as error:
        errors[pulse_blocks.TIMEZONE] = str(error)
    open_days = chosen_number(values, pulse_blocks.OPEN_DAYS, 3, errors)
    remind = chosen_number(values, pulse_blocks.REMINDER, 24, errors)
    picked = [
        o["value"]
        for o in field_value(values, pulse_blocks.QUESTIONS).get("selected_options") or []
    ]
    if picked:
        try:
            picked = validate_pinned(bank, picked)
        except QuestionSetError as error:
            errors[pulse_blocks.QUESTIONS] = str(error)
    threshold_text = str(field_value(values, pulse_blocks.THRESHOLD).get("value") or "5")
    try:
        threshold = int(threshold_text)
        if threshold < pulse_teams.MIN_THRESHOLD:
            raise ValueError
    except ValueError:
        errors[pulse_blocks.THRESHOLD] = "Use a whole number of 3 or more."
        threshold = pulse_teams.DEFAULT_THRESHOLD
    admins_may_view = any(
        o.get("value") == pulse_blocks.ADMINS_MAY_VIEW
        for o in field_value(values, pulse_blocks.ADMINS).get("selected_options") or []
    )
    managers_answer = any(
        o.get("value") == pulse_blocks.MANAGERS_ANSWER
        for o in field_value(values, pulse_blocks.MANAGERS_ANSWER).get("selected_options") or []
    )
    schedule = schedules.Schedule(weekday, at, zone, open_days, remind)
    # Checked whatever else is wrong, so one submit reports every problem at once.
    for field, problem in schedules.problems(schedule).items():
        errors.setdefault(SCHEDULE_BLOCKS[field], problem)
    if errors:
        return None, errors
    return (
        pulse_teams.TeamSettings(
            name=name,
            managers=managers,
            schedule=schedule,
            question_ids=picked or None,
            anonymity_threshold=threshold,
            admins_may_view=admins_may_view,
            managers_answer=managers_answer,
        ),
        {},
    )
