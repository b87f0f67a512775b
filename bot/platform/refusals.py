"""Why a pulse request was refused, phrased for the person who made it."""

from __future__ import annotations

from datetime import datetime


class PulseRefusal(Exception):
    """Nothing was changed; str(refusal) tells the person why and what to do."""


class NoTeamHere(PulseRefusal):
    def __init__(self) -> None:
        super().__init__(
            "This channel has no pulse yet. A team lead can start one with `/lvm pulse setup`."
        )


def _mentions(managers: list[str]) -> str:
    return ", ".join(f"<@{m}>" for m in managers) or "nobody yet"


class NotAManager(PulseRefusal):
    def __init__(self, managers: list[str]) -> None:
        super().__init__(
            f"Only this team's managers ({_mentions(managers)}) can change its pulse. "
            "Ask one of them."
        )


class NotTheChannelsNudgeManager(PulseRefusal):
    """A team channel's scheduled tips are its managers' to set, replace or stop."""

    def __init__(self, managers: list[str], *, focus: bool = False) -> None:
        if focus:
            text = (
                "A `focus` nudge follows this team's pulse results, so only its managers "
                f"({_mentions(managers)}) can set one up here. Ask one of them, or get tips on "
                "a topic for yourself in a DM with me (`/lvm nudge weekly mon 09:00 feedback`)."
            )
        else:
            text = (
                f"Only this team's managers ({_mentions(managers)}) can set up, replace or stop "
                "the scheduled tips in this channel. Ask one of them, or get tips for yourself "
                "in a DM with me."
            )
        super().__init__(text)


class NotAViewer(PulseRefusal):
    def __init__(self, managers: list[str], admins_may_view: bool) -> None:
        admins = " and workspace admins" if admins_may_view else ""
        super().__init__(
            f"Only this team's managers ({_mentions(managers)}){admins} can see its pulse "
            "summaries, so "
            "scores stay with the people the team agreed on. Ask one of them."
        )


class RoundClosed(PulseRefusal):
    def __init__(self) -> None:
        super().__init__(
            "This round has closed, so that answer was not recorded. Thanks all the same: "
            "the next round will reach you by DM."
        )


class NotARecipient(PulseRefusal):
    def __init__(self) -> None:
        super().__init__(
            "This poll was not sent to you, so I can't record an answer from you. "
            "If you are on the team, you will get the next round by DM."
        )


class UnknownRound(PulseRefusal):
    def __init__(self) -> None:
        super().__init__(
            "I can't find that pulse round (it may belong to another team or workspace). "
            "Nothing was recorded; answer from the latest DM I sent you."
        )


class BadAnswer(PulseRefusal):
    def __init__(self, detail: str) -> None:
        super().__init__(f"That answer doesn't fit this round ({detail}); nothing was recorded.")


class AlreadyThisWeek(PulseRefusal):
    def __init__(self, opened_at: datetime) -> None:
        day = f"<!date^{int(opened_at.timestamp())}^{{date_short}}|{opened_at:%d %b %Y}>"
        super().__init__(
            f"This team already had a round this week (it opened {day}); people get at most "
            "one a week from a team. The next scheduled round will run as planned."
        )


class NoOpenRound(PulseRefusal):
    def __init__(self) -> None:
        super().__init__(
            "No round is open for this team right now. Start one with `/lvm pulse start`."
        )


class RoundAlreadyOpen(PulseRefusal):
    def __init__(self) -> None:
        super().__init__(
            "A round is already open for this team. Close it with `/lvm pulse close` first."
        )


class TeamOff(PulseRefusal):
    def __init__(self, status: str) -> None:
        super().__init__(
            f"This team's pulse is {status}. Turn it back on with `/lvm pulse resume` first."
        )


class ChannelUnreadable(PulseRefusal):
    """Slack did not say who is in the channel, so no round was opened."""

    def __init__(self, code: str, *, transient: bool) -> None:
        self.code = code
        self.transient = transient
        if transient:
            advice = (
                f"Slack had a problem on its side (`{code}`) while I read who is in this "
                "channel, even after asking again. No round was opened; please try "
                "`/lvm pulse start` again in a few minutes."
            )
        else:
            advice = (
                f"Slack would not tell me who is in this channel (`{code}`), so no round was "
                "opened. Make sure I'm still a member (`/invite @lvm`), then try again."
            )
        super().__init__(f":warning: {advice}")


class ManagesTeamsAlone(PulseRefusal):
    """`/lvm forget me` from the only manager of a pulse team: its results would have no
    one to go to, so the person hands the team over first."""

    def __init__(self, channels: list[str]) -> None:
        where = ", ".join(f"<#{channel}>" for channel in channels)
        super().__init__(
            f"You are the only manager of the pulse in {where}, so I can't forget you yet: "
            "its results would have nobody to go to. Add another manager in `/lvm pulse setup` "
            "in that channel, then ask again with `/lvm forget me`."
        )
