"""Summaries for a team's managers: who may see them, and how they reach the manager.

The numbers come from bot.summary (SQL aggregates, anonymity rules); this module checks the
asker, and turns a summary into messages, a chart upload and a CSV export.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.platform import outbox
from bot.platform.delivery import FILE_CONTENT, FILE_UPLOAD
from bot.platform.refusals import NotAViewer, PulseRefusal
from bot.platform.services import Services
from bot.pulse import teams as pulse_teams
from bot.pulse.schedule import next_opening
from bot.pulse.store import ACTIVE, PulseRound, PulseTeam
from bot.summary.blocks import TeamGlance, digest_message, home_view_for_manager
from bot.summary.build import DEFAULT_WEEKS, MAX_WEEKS, MIN_WEEKS, build_summary, parse_weeks
from bot.summary.chart import ChartData, alt_text, chart_data, draw_chart, render_chart
from bot.summary.export import export_csv
from bot.summary.trends import TeamSummary

logger = logging.getLogger(__name__)

CHANNEL_MENTION = re.compile(r"<#([A-Z0-9]+)(?:\|[^>]*)?>")
DIGEST = "summary.digest"
DIGEST_CHART = "summary.digest_chart"
# In a digest chart's outbox row: the chart's data as at the close, drawn when it is sent.
CHART_DATA = "chart_data"
HOME_WEEKS = 8
EXPORT_WEEKS = 104


@dataclass(frozen=True)
class SummaryRequest:
    channel_id: str
    weeks: int
    export: bool


SUMMARY_FORMS = (
    "`/lvm summary` accepts a channel (`#team`), a span (`weeks:26`, `weeks 26` or `26 weeks`, "
    f"{MIN_WEEKS} to {MAX_WEEKS}) and `export`, in any order: for example "
    "`/lvm summary #team 26 weeks`."
)
WEEK_WORD = re.compile(r"^(?:weeks?|wks?)(?:[:=](.*))?$")
NUMBER_OF_WEEKS = re.compile(r"^(\S+?)(?:weeks?|wks?|w)?$")
EXPORT_WORDS = frozenset({"export", "csv"})


def _weeks_from(text: str) -> int:
    """A number of weeks as typed; ASCII digits only (`²` is a digit to Python, not to int)."""
    if not text:
        raise PulseRefusal(f"`weeks` needs a number after it. {SUMMARY_FORMS}")
    if not (text.isascii() and text.isdigit()) or not MIN_WEEKS <= int(text) <= MAX_WEEKS:
        raise PulseRefusal(
            f"`{text[:20]}` is not a number of weeks from {MIN_WEEKS} to {MAX_WEEKS}. "
            + SUMMARY_FORMS
        )
    return int(text)


def read_request(text: str, here: str) -> SummaryRequest:
    """`[#channel] [weeks:N | weeks N | N weeks] [export]`, in any order; the channel defaults
    to where it was typed."""
    mention = CHANNEL_MENTION.search(text)
    words = CHANNEL_MENTION.sub(" ", text).lower().split()
    weeks: int | None = None
    export = False
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word in EXPORT_WORDS:
            export = True
            continue
        if word.startswith("#"):
            raise PulseRefusal(
                f"There is no channel `{word[:40]}` that I can see. Type `#` and pick the team's "
                "channel from Slack's list so it becomes a link (for a private channel, invite "
                "me there first), or run `/lvm summary` in that channel."
            )
        named = WEEK_WORD.match(word)
        if named:  # `weeks:26`, `weeks=26`, or `weeks` then the number
            number = named.group(1)
            if not number and index < len(words):
                number, index = words[index].lstrip(":="), index + 1
            weeks = _weeks_from(number or "")
            continue
        counted = NUMBER_OF_WEEKS.match(word)
        if counted and counted.group(1)[:1].isdigit():  # `26 weeks`, `26w`, or just `26`
            if index < len(words) and WEEK_WORD.match(words[index]):
                index += 1
            weeks = _weeks_from(counted.group(1))
            continue
        raise PulseRefusal(f"I don't understand `{word[:40]}`. {SUMMARY_FORMS}")
    return SummaryRequest(
        channel_id=mention.group(1) if mention else here,
        # An export covers two years unless a span is asked for.
        weeks=weeks or (EXPORT_WEEKS if export else DEFAULT_WEEKS),
        export=export,
    )


def team_for_viewer(
    session: Session,
    team_id: str,
    channel_id: str,
    user_id: str,
    is_workspace_admin: Callable[[str], bool] | None,
) -> PulseTeam:
    """The channel's team if this person may see its summaries (a manager, or a workspace
    admin where the team allows it); a refusal (and a log line) otherwise.

    With `is_workspace_admin` None, Slack is not asked: someone who is not a manager passes
    where the team lets admins see its summaries, to be asked about later."""
    team = pulse_teams.find_team(session, team_id, channel_id)
    if team is None:
        raise PulseRefusal(
            f"<#{channel_id}> has no pulse, so there is nothing to summarize. A lead can start "
            "one there with `/lvm pulse setup`."
        )
    try:
        pulse_teams.require_viewer(team, user_id, is_workspace_admin or _asked_later)
    except NotAViewer:
        logger.info("summary of %s/%s refused to %s: not a manager", team_id, channel_id, user_id)
        raise
    if is_workspace_admin is not None and user_id not in team.managers:
        # An admin: worth a line for the team's audit.
        logger.info("summary of %s/%s shown to workspace admin %s", team_id, channel_id, user_id)
    return team


def _asked_later(_user_id: str) -> bool:
    return True


def summary_of(
    services: Services,
    team_id: str,
    channel_id: str,
    user_id: str,
    weeks: int,
    is_workspace_admin: Callable[[str], bool],
) -> TeamSummary:
    with services.database.reading() as session:
        team = team_for_viewer(session, team_id, channel_id, user_id, is_workspace_admin)
        return build_summary(
            session,
            services.bank,
            team,
            weeks=weeks,
            now=services.now(),
            rng=services.rng,
            for_admin=user_id not in team.managers,
        )


def chart_upload_args(summary: TeamSummary, manager_dm: str) -> dict[str, Any]:
    png, _alt = render_chart(summary)
    return {**_chart_file(summary, manager_dm), FILE_CONTENT: base64.b64encode(png).decode()}


def _chart_file(summary: TeamSummary, channel: str) -> dict[str, Any]:
    """The chart's file upload arguments, but its content."""
    stamp = summary.generated_at.strftime("%Y-%m-%d")
    return {
        "channel": channel,
        "filename": f"lvm-{summary.team_name.replace(' ', '-').lower()}-{stamp}.png",
        "title": f"{summary.team_name}: pulse over {summary.weeks} weeks",
        "alt_txt": alt_text(chart_data(summary)),
    }


def draw_digest_chart(args: dict[str, Any]) -> dict[str, Any]:
    """The outbox's renderer for a digest chart: its upload, drawn from the data the close
    kept (`plan_digests`), just before it is sent and outside any transaction."""
    if CHART_DATA not in args:
        return args  # planned by an earlier version, with the chart drawn in
    data = ChartData.from_json(args.pop(CHART_DATA))
    return {**args, "content": draw_chart(data)}


# Given to the outbox's senders by the composition root (bot/bootstrap.py).
OUTBOX_RENDERERS = {DIGEST_CHART: draw_digest_chart}


def upload(client: Any, args: dict[str, Any]) -> None:
    content = base64.b64decode(args[FILE_CONTENT])
    rest = {k: v for k, v in args.items() if k != FILE_CONTENT}
    client.files_upload_v2(content=content, **rest)


def dm_channel(client: Any, user_id: str) -> str:
    return str(client.conversations_open(users=user_id)["channel"]["id"])


def export_upload_args(summary: TeamSummary, services: Services, manager_dm: str) -> dict[str, Any]:
    csv_text = export_csv(summary, services.bank)
    stamp = summary.generated_at.strftime("%Y-%m-%d")
    return {
        "channel": manager_dm,
        "filename": f"lvm-{summary.team_name.replace(' ', '-').lower()}-{stamp}.csv",
        "title": f"{summary.team_name}: pulse aggregates per round and dimension",
        "initial_comment": "Averages per round and dimension, only for rounds with enough "
        "answers; never individual answers.",
        FILE_CONTENT: base64.b64encode(csv_text.encode()).decode(),
    }


def plan_digests(
    services: Services, session: Session, closed: list[PulseRound], now: datetime
) -> int:
    """After rounds close, one digest DM (and its chart) for each manager, via the outbox.

    This runs in the close's transaction, so it draws nothing: a chart's row keeps the
    chart's data, drawn when the row is sent (`draw_digest_chart`)."""
    planned = 0
    for pulse_round in closed:
        team = session.get(PulseTeam, pulse_round.pulse_team_id)
        if team is None:
            continue
        summary = build_summary(
            session, services.bank, team, weeks=parse_weeks(""), now=now, rng=services.rng
        )
        message = digest_message(summary, services.bank, team.name)
        chart = chart_data(summary).to_json()
        for manager in team.managers:
            key = f"{DIGEST}:{team.team_id}:{pulse_round.id}:{manager}"
            planned += outbox.enqueue(
                session,
                team_id=team.team_id,
                dedupe_key=key,
                kind=DIGEST,
                payload={"method": "chat.postMessage", "args": {"channel": manager, **message}},
                due_at=now,
                now=now,
            )
            if summary.dimensions:
                # A user id as the channel: Slack shares the file in the DM with that person.
                outbox.enqueue(
                    session,
                    team_id=team.team_id,
                    dedupe_key=f"{DIGEST_CHART}:{team.team_id}:{pulse_round.id}:{manager}",
                    kind=DIGEST_CHART,
                    payload={
                        "method": FILE_UPLOAD,
                        "args": {**_chart_file(summary, manager), CHART_DATA: chart},
                    },
                    due_at=now + timedelta(seconds=1),
                    now=now,
                )
    return planned


def glances_for(services: Services, team_id: str, user_id: str) -> list[dict[str, Any]]:
    """App Home blocks for the teams this person manages (none for everyone else)."""
    with services.database.reading() as session:
        teams = pulse_teams.teams_managed_by(session, team_id, user_id)
        if not teams:
            return []
        now = services.now()
        glances = [
            TeamGlance(
                summary=build_summary(
                    session, services.bank, team, weeks=HOME_WEEKS, now=now, rng=services.rng
                ),
                next_round=next_opening(pulse_teams.schedule_of(team), now)
                if team.status == ACTIVE
                else None,
            )
            for team in teams
        ]
    return home_view_for_manager(glances)
