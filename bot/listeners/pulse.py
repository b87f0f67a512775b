"""Pulse listeners: `/lvm pulse ...`, answer buttons, the comment and setup modals."""

from __future__ import annotations

import json
import re
from datetime import time
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import local_time
from bot.bank import Bank
from bot.blocks import notices
from bot.blocks import pulse as pulse_blocks
from bot.listeners.failures import message_for
from bot.pulse import automation, rounds
from bot.pulse import schedule as schedules
from bot.pulse import teams as pulse_teams
from bot.pulse.questions import QuestionSetError, validate_pinned
from bot.pulse.refusals import (
    NoOpenRound,
    NoTeamHere,
    PulseRefusal,
    TeamOff,
)
from bot.scheduler import build_sender, drain_outbox
from bot.services import Services
from bot.slack_directory import SlackDirectory
from bot.store.pulse import ACTIVE, OFF, PAUSED

REPLY = "lvm_reply"
OPEN_COMMENT = "lvm_open_comment"
SAVED = "lvm_saved"
Message = dict[str, Any]
FollowUp = dict[str, Any]

STATUS_WORDS = {"pause": PAUSED, "resume": ACTIVE, "off": OFF}
SETUP = "pulse.setup"
START = "pulse.start"


# ---------------------------------------------------------------- /lvm pulse


def _status(services: Services, command: dict[str, Any]) -> Message:
    with services.database.transaction() as session:
        team = pulse_teams.find_team(session, command["team_id"], command["channel_id"])
        if team is None:
            raise NoTeamHere()
        schedule = pulse_teams.schedule_of(team)
        open_round = rounds.open_round_of(session, team)
        progress = None
        if open_round is not None:
            answered, asked = rounds.participation(session, open_round)
            progress = (open_round.closes_at, answered, asked)
        status = pulse_blocks.TeamStatus(
            name=team.name,
            channel_id=team.channel_id,
            managers=list(team.managers),
            status=team.status,
            schedule=schedules.describe(schedule),
            next_opening=schedules.next_opening(schedule, services.now())
            if team.status == ACTIVE
            else None,
            open_round=progress,
            question_count=f"{len(team.question_ids)} pinned"
            if team.question_ids
            else "a weekly rotation of 5 covering every area",
            threshold=team.anonymity_threshold,
            opted_out=command["user_id"] in pulse_teams.opted_out(session, team),
        )
    return pulse_blocks.team_status_message(status)


def _set_status(services: Services, command: dict[str, Any], word: str) -> Message:
    with services.database.transaction() as session:
        team = pulse_teams.find_team(session, command["team_id"], command["channel_id"])
        if team is None:
            raise NoTeamHere()
        pulse_teams.set_status(
            session, team, STATUS_WORDS[word], command["user_id"], services.now()
        )
        name = team.name
    explanation = {
        "pause": "No new rounds open until a manager types `/lvm pulse resume`.",
        "resume": "Rounds open on schedule again.",
        "off": "No rounds will open. History is kept; `/lvm pulse resume` turns it back on.",
    }[word]
    return notices.notice(
        f":white_check_mark: The pulse for *{name}* is now {STATUS_WORDS[word]}. {explanation}"
    )


def _opt(services: Services, command: dict[str, Any], out: bool) -> Message:
    with services.database.transaction() as session:
        team = pulse_teams.find_team(session, command["team_id"], command["channel_id"])
        if team is None:
            raise NoTeamHere()
        pulse_teams.set_opt_out(session, team, command["user_id"], out)
        name = team.name
    if out:
        return notices.notice(
            f"You won't get pulse DMs for *{name}* any more. `/lvm pulse optin` brings them back."
        )
    return notices.notice(
        f"You're back in the pulse for *{name}*. The next round will reach you by DM."
    )


def _check_can_start(services: Services, command: dict[str, Any]) -> None:
    with services.database.transaction() as session:
        team = pulse_teams.find_team(session, command["team_id"], command["channel_id"])
        if team is None:
            raise NoTeamHere()
        pulse_teams.require_manager(team, command["user_id"])
        if team.status != ACTIVE:
            raise TeamOff(team.status)


def _close(services: Services, command: dict[str, Any]) -> Message:
    with services.database.transaction() as session:
        team = pulse_teams.find_team(session, command["team_id"], command["channel_id"])
        if team is None:
            raise NoTeamHere()
        pulse_teams.require_manager(team, command["user_id"])
        open_round = rounds.open_round_of(session, team)
        if open_round is None:
            raise NoOpenRound()
        rounds.close_round(session, open_round, services.now())
        answered, asked = rounds.participation(session, open_round)
    return notices.notice(f":lock: Round closed early: {answered} of {asked} answered.")


def _check_can_set_up(services: Services, command: dict[str, Any]) -> None:
    if command["channel_id"].startswith("D"):
        raise PulseRefusal(
            "A pulse belongs to a team's channel. Run `/lvm pulse setup` in that channel."
        )
    with services.database.transaction() as session:
        team = pulse_teams.find_team(session, command["team_id"], command["channel_id"])
        if team is not None:
            pulse_teams.require_manager(team, command["user_id"])


def answer_pulse_command(
    services: Services, command: dict[str, Any], args: str
) -> tuple[Message | None, FollowUp | None]:
    """The ack's answer to `/lvm pulse <word>`, and what to do after the ack, if anything."""
    word = args.strip().lower()
    try:
        if word == "":
            return _status(services, command), None
        if word == "setup":
            _check_can_set_up(services, command)
            return None, {"name": SETUP}
        if word in STATUS_WORDS:
            return _set_status(services, command, word), None
        if word in ("optout", "optin"):
            return _opt(services, command, out=word == "optout"), None
        if word == "start":
            _check_can_start(services, command)
            return notices.notice(":hourglass_flowing_sand: Opening a round for this team..."), {
                "name": START
            }
        if word == "close":
            return _close(services, command), None
    except PulseRefusal as refusal:
        return notices.notice(str(refusal)), None
    return notices.notice(
        f"I don't know `/lvm pulse {word[:50]}`. Try `/lvm pulse`, `setup`, `start`, `close`, "
        "`pause`, `resume`, `off`, `optout` or `optin`."
    ), None


def open_setup(
    services: Services, task: FollowUp, command: dict[str, Any], client: WebClient, respond: Respond
) -> None:
    directory = SlackDirectory(client)
    channel_id = command["channel_id"]
    try:
        is_member = directory.app_is_member(channel_id)
    except SlackApiError:
        is_member = False
    if not is_member:
        respond(
            **notices.notice(
                ":wave: I need to be in this channel to run its pulse (I read who is in it). "
                "Invite me with `/invite @lvm`, then run `/lvm pulse setup` again."
            )
        )
        return
    with services.database.transaction() as session:
        team = pulse_teams.find_team(session, command["team_id"], channel_id)
        if team is not None:
            defaults = pulse_blocks.SetupDefaults(
                channel_id=channel_id,
                name=team.name,
                managers=list(team.managers),
                weekday=team.weekday,
                local_time=team.local_time,
                timezone=team.timezone,
                open_days=team.open_days,
                remind_after_hours=team.remind_after_hours,
                question_ids=team.question_ids,
                threshold=team.anonymity_threshold,
            )
        else:
            defaults = pulse_blocks.SetupDefaults(
                channel_id=channel_id,
                name=command.get("channel_name") or "Our team",
                managers=[command["user_id"]],
                timezone=directory.timezone_of(command["user_id"]) or "UTC",
            )
    try:
        client.views_open(
            trigger_id=command["trigger_id"], view=pulse_blocks.setup_modal(defaults, services.bank)
        )
    except SlackApiError as error:
        code = error.response.get("error", "")
        reason = (
            "Slack took too long to let me open the form"
            if code in ("expired_trigger_id", "invalid_trigger_id")
            else f"Slack refused to open the form (`{code}`)"
        )
        respond(**notices.notice(f":warning: {reason}. Please run `/lvm pulse setup` again."))


def start_round(
    services: Services, task: FollowUp, command: dict[str, Any], client: WebClient, respond: Respond
) -> None:
    try:
        opened = automation.open_round_now(
            services,
            SlackDirectory(client),
            team_id=command["team_id"],
            channel_id=command["channel_id"],
            opened_by=command["user_id"],
        )
    except PulseRefusal as refusal:
        respond(**notices.notice(str(refusal)))
        return
    drain_outbox(build_sender(services))
    respond(
        **notices.notice(
            f":incoming_envelope: Round {opened.period} is open: DMs went to {opened.recipients} "
            f"people. It closes {pulse_blocks.slack_date(opened.closes_at)}."
        )
    )


# ---------------------------------------------------------------- modal values


def _value(values: dict[str, Any], block: str) -> dict[str, Any]:
    return values.get(block, {}).get(block, {})


def read_setup(values: dict[str, Any], bank: Bank) -> tuple[pulse_teams.TeamSettings | None, dict[str, str]]:
    """Settings from the setup modal, or errors keyed by the block to show them on."""
    errors: dict[str, str] = {}
    name = (_value(values, pulse_blocks.NAME).get("value") or "").strip()
    if not name:
        errors[pulse_blocks.NAME] = "Give the team a name."
    managers = list(_value(values, pulse_blocks.MANAGERS).get("selected_users") or [])
    if not managers:
        errors[pulse_blocks.MANAGERS] = "Pick at least one manager."
    weekday = int(
        (_value(values, pulse_blocks.WEEKDAY).get("selected_option") or {}).get("value", 0)
    )
    try:
        at = local_time.parse_local_time(
            _value(values, pulse_blocks.TIME).get("selected_time") or ""
        )
    except local_time.ScheduleError as error:
        errors[pulse_blocks.TIME] = str(error)
        at = time(10, 0)
    zone = (_value(values, pulse_blocks.TIMEZONE).get("value") or "").strip()
    try:
        local_time.zone_or_error(zone)
    except local_time.ScheduleError as error:
        errors[pulse_blocks.TIMEZONE] = str(error)
    open_days = int(
        (_value(values, pulse_blocks.OPEN_DAYS).get("selected_option") or {}).get("value", 3)
    )
    remind = int(
        (_value(values, pulse_blocks.REMINDER).get("selected_option") or {}).get("value", 24)
    )
    picked = [
        o["value"] for o in _value(values, pulse_blocks.QUESTIONS).get("selected_options") or []
    ]
    if picked:
        try:
            picked = validate_pinned(bank, picked)
        except QuestionSetError as error:
            errors[pulse_blocks.QUESTIONS] = str(error)
    threshold_text = str(_value(values, pulse_blocks.THRESHOLD).get("value") or "5")
    try:
        threshold = int(threshold_text)
        if threshold < pulse_teams.MIN_THRESHOLD:
            raise ValueError
    except ValueError:
        errors[pulse_blocks.THRESHOLD] = "Use a whole number of 3 or more."
        threshold = pulse_teams.DEFAULT_THRESHOLD
    if errors:
        return None, errors
    schedule = schedules.Schedule(weekday, at, zone, open_days, remind)
    try:
        schedules.validate(schedule)
    except local_time.ScheduleError as error:
        block = pulse_blocks.REMINDER if "reminder" in str(error) else pulse_blocks.TIME
        return None, {block: str(error)}
    return (
        pulse_teams.TeamSettings(
            name=name,
            managers=managers,
            schedule=schedule,
            question_ids=picked or None,
            anonymity_threshold=threshold,
        ),
        {},
    )


# ---------------------------------------------------------------- registration


def register(app: App, services: Services) -> None:
    def record_answer(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        user_id = body["user"]["id"]
        try:
            round_id, question_id, score = pulse_blocks.parse_answer_value(
                body["actions"][0].get("value", "")
            )
        except ValueError:
            context[REPLY] = {
                "replace_original": False,
                **notices.notice(
                    "That button didn't carry a valid answer, so nothing was recorded. "
                    "Please answer from the latest pulse DM."
                ),
            }
            return
        try:
            with services.database.transaction() as session:
                pulse_round = rounds.record_answer(
                    session,
                    secret=services.secret,
                    team_id=body["team"]["id"],
                    round_id=round_id,
                    user_id=user_id,
                    question_id=question_id,
                    score=score,
                    now=services.now(),
                )
                context[REPLY] = {
                    "replace_original": True,
                    **_dm_for(services, session, pulse_round, user_id),
                }
        except PulseRefusal as refusal:
            context[REPLY] = {"replace_original": False, **notices.notice(str(refusal))}
        except Exception as error:
            context[REPLY] = {
                "replace_original": False,
                **message_for(error, "recording a pulse answer"),
            }

    def check_comment(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        user_id = body["user"]["id"]
        try:
            round_id = int(body["actions"][0].get("value", ""))
            with services.database.transaction() as session:
                pulse_round = rounds.find_round(session, body["team"]["id"], round_id)
                rounds.check_can_answer(session, pulse_round, user_id, services.now())
                current = rounds.comment_of(
                    session, secret=services.secret, pulse_round=pulse_round, user_id=user_id
                )
            context[OPEN_COMMENT] = {"round_id": round_id, "current": current}
        except (ValueError, PulseRefusal) as refusal:
            text = str(refusal) if isinstance(refusal, PulseRefusal) else "That button is broken."
            context[REPLY] = {"replace_original": False, **notices.notice(text)}

    def open_comment(
        body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        task = context.get(OPEN_COMMENT)
        if not task:
            reply = context.get(REPLY)
            if reply:
                respond(**reply)
            return
        try:
            client.views_open(
                trigger_id=body["trigger_id"],
                view=pulse_blocks.comment_modal(task["round_id"], task["current"]),
            )
        except SlackApiError as error:
            code = error.response.get("error", "")
            respond(
                replace_original=False,
                **notices.notice(
                    f":warning: Slack did not let me open the comment form (`{code}`). Please click again."
                ),
            )

    def save_comment(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        text = _value(view["state"]["values"], pulse_blocks.COMMENT_INPUT).get("value") or ""
        try:
            with services.database.transaction() as session:
                rounds.record_comment(
                    session,
                    secret=services.secret,
                    team_id=body["team"]["id"],
                    round_id=int(view.get("private_metadata") or 0),
                    user_id=body["user"]["id"],
                    text=text,
                    now=services.now(),
                )
        except PulseRefusal as refusal:
            ack(response_action="errors", errors={pulse_blocks.COMMENT_INPUT: str(refusal)[:150]})
            return
        ack()

    def save_setup(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        settings, errors = read_setup(view["state"]["values"], services.bank)
        if settings is None:
            ack(response_action="errors", errors=errors)
            return
        channel_id = json.loads(view.get("private_metadata") or "{}").get("channel_id", "")
        user_id = body["user"]["id"]
        try:
            with services.database.transaction() as session:
                team, created = pulse_teams.save_team(
                    session,
                    team_id=body["team"]["id"],
                    channel_id=channel_id,
                    settings=settings,
                    actor=user_id,
                    now=services.now(),
                )
                schedule = pulse_teams.schedule_of(team)
                context[SAVED] = {
                    "channel_id": channel_id,
                    "user_id": user_id,
                    "created": created,
                    "name": team.name,
                    "schedule": schedules.describe(schedule),
                    "next": schedules.next_opening(schedule, services.now()).isoformat(),
                    "threshold": team.anonymity_threshold,
                }
        except PulseRefusal as refusal:
            ack(response_action="errors", errors={pulse_blocks.NAME: str(refusal)[:150]})
            return
        ack()

    def confirm_setup(context: BoltContext, client: WebClient) -> None:
        from datetime import datetime

        saved = context.get(SAVED)
        if not saved:
            return
        next_opening = datetime.fromisoformat(saved["next"])
        client.chat_postEphemeral(
            channel=saved["channel_id"],
            user=saved["user_id"],
            **pulse_blocks.team_saved_message(
                saved["name"], saved["schedule"], next_opening, saved["created"]
            ),
        )
        if saved["created"]:
            client.chat_postMessage(
                channel=saved["channel_id"],
                **pulse_blocks.team_announcement(
                    saved["name"], saved["schedule"], saved["user_id"], saved["threshold"]
                ),
            )

    def deliver_reply(context: BoltContext, respond: Respond) -> None:
        reply = context.get(REPLY)
        if reply:
            respond(**reply)

    app.action(re.compile("^" + re.escape(pulse_blocks.ANSWER_PREFIX)))(
        ack=record_answer, lazy=[deliver_reply]
    )
    app.action(pulse_blocks.COMMENT)(ack=check_comment, lazy=[open_comment])
    app.view(pulse_blocks.COMMENT_VIEW)(save_comment)
    app.view(pulse_blocks.SETUP_VIEW)(ack=save_setup, lazy=[confirm_setup])


def _dm_for(services: Services, session: Any, pulse_round: Any, user_id: str) -> Message:
    from bot.store.pulse import PulseTeam

    team = session.get(PulseTeam, pulse_round.pulse_team_id)
    return pulse_blocks.pulse_dm(
        pulse_blocks.PulseDm(
            round_id=pulse_round.id,
            team_name=team.name,
            questions=automation.round_questions(services, pulse_round),
            closes_at=pulse_round.closes_at,
            threshold=team.anonymity_threshold,
            answers=rounds.answers_of(
                session, secret=services.secret, pulse_round=pulse_round, user_id=user_id
            ),
            comment=rounds.comment_of(
                session, secret=services.secret, pulse_round=pulse_round, user_id=user_id
            ),
        )
    )
