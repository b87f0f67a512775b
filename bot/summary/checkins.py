"""Check-ins on a commitment: a DM to the manager who made it, halfway and on its due date,
asking "done / partly / not yet" with an optional one-line reflection.

The clock plans each DM (`plan_checkins`): the check-in's row (unique per commitment and
stage) and its outbox row (unique key) are written in one transaction, so however many
clocks run, each check-in is sent once. Answers and reflections are stored on the check-in,
read only by the manager who made the commitment (their own DMs and Home tab).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, and_, exists, select
from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.platform import checkin_form, outbox
from bot.platform.dialect import insert_unless_present
from bot.platform.refusals import PulseRefusal
from bot.platform.services import Services
from bot.pulse.store import PulseTeam
from bot.summary import store
from bot.summary.commitment_blocks import HISTORY_SHOWN, CheckIn, HistoryEntry, checkin_message
from bot.summary.commitments import own_commitment
from bot.summary.store import DUE, MIDPOINT, CommitmentCheckIn, PulseCommitment

CHECKIN = "summary.checkin"


class CheckInNotOpen(PulseRefusal):
    """The check-in has not been sent yet, so there is nothing to answer."""


def checkin_of(
    bank: Bank,
    team: PulseTeam,
    commitment: PulseCommitment,
    row: CommitmentCheckIn | None,
    stage: str,
) -> CheckIn:
    followup = bank.followup_by_dimension.get(commitment.dimension_id)
    assert commitment.due_at is not None
    return CheckIn(
        commitment_id=commitment.id,
        stage=stage,
        team_name=team.name,
        practice_title=bank.practice_title(commitment.practice_id),
        dimension_name=bank.dimension_name(commitment.dimension_id),
        due_at=commitment.due_at,
        followup_text=followup.text if followup else None,
        answer=row.answer if row else None,
        reflection=row.reflection if row else None,
    )


def plan_checkins(services: Services, now: datetime) -> int:
    """A clock work kind: plan the check-ins whose time has come (within the grace window:
    after downtime a check-in a day late is still useful, one from weeks ago is not)."""
    grace = timedelta(hours=services.settings.LVM_GRACE_HOURS)
    planned = 0
    with services.database.transaction() as session:
        for stage, moment in (
            (MIDPOINT, PulseCommitment.midpoint_at),
            (DUE, PulseCommitment.due_at),
        ):
            already = exists().where(
                and_(
                    CommitmentCheckIn.commitment_id == PulseCommitment.id,
                    CommitmentCheckIn.stage == stage,
                )
            )
            due = session.execute(
                select(PulseCommitment, PulseTeam)
                .join(PulseTeam, PulseTeam.id == PulseCommitment.pulse_team_id)
                .where(moment.is_not(None), moment <= now, moment > now - grace, ~already)
                .order_by(moment, PulseCommitment.id)
            ).all()
            for commitment, team in due:
                planned += _plan(services.bank, session, team, commitment, stage, now)
    return planned


def _plan(
    bank: Bank,
    session: Session,
    team: PulseTeam,
    commitment: PulseCommitment,
    stage: str,
    now: datetime,
) -> int:
    # Another clock may have planned it since the query: its row makes this insert a no-op.
    if not insert_unless_present(
        session,
        cast(Table, CommitmentCheckIn.__table__),
        {"commitment_id": commitment.id, "stage": stage, "planned_at": now},
        key=["commitment_id", "stage"],
    ):
        return 0
    message = checkin_message(checkin_of(bank, team, commitment, None, stage))
    outbox.enqueue(
        session,
        team_id=commitment.team_id,
        dedupe_key=f"{CHECKIN}:{commitment.id}:{stage}",
        kind=CHECKIN,
        payload=outbox.post_payload(commitment.user_id, message),
        due_at=now,
        now=now,
    )
    return 1


def _own_checkin(
    session: Session, team_id: str, user_id: str, commitment_id: int, stage: str
) -> tuple[PulseCommitment, CommitmentCheckIn, PulseTeam]:
    commitment = own_commitment(session, team_id, user_id, commitment_id)
    row = session.scalar(
        select(CommitmentCheckIn).where(
            CommitmentCheckIn.commitment_id == commitment.id, CommitmentCheckIn.stage == stage
        )
    )
    team = session.get(PulseTeam, commitment.pulse_team_id)
    if row is None or team is None:
        raise CheckInNotOpen("That check-in hasn't started yet: I'll DM you when it does.")
    return commitment, row, team


def record_answer(
    services: Services, *, team_id: str, user_id: str, commitment_id: int, stage: str, answer: str
) -> CheckIn:
    """Store (or change) the manager's answer; returns what their check-in DM shows now."""
    with services.database.transaction() as session:
        commitment, row, team = _own_checkin(session, team_id, user_id, commitment_id, stage)
        row.answer = answer
        row.answered_at = services.now()
        session.flush()
        return checkin_of(services.bank, team, commitment, row, stage)


def reflection_to_edit(
    services: Services, *, team_id: str, user_id: str, commitment_id: int, stage: str
) -> str:
    with services.database.reading() as session:
        _, row, _ = _own_checkin(session, team_id, user_id, commitment_id, stage)
        return row.reflection or ""


def record_reflection(
    services: Services, *, team_id: str, user_id: str, commitment_id: int, stage: str, text: str
) -> CheckIn:
    """Store (or, when empty, remove) the one-line reflection; returns what the DM shows now."""
    cleaned = checkin_form.one_line(text)
    with services.database.transaction() as session:
        commitment, row, team = _own_checkin(session, team_id, user_id, commitment_id, stage)
        row.reflection = cleaned
        row.answered_at = services.now()
        session.flush()
        return checkin_of(services.bank, team, commitment, row, stage)


def history_of(services: Services, team_id: str, user_id: str) -> list[HistoryEntry]:
    """This manager's own commitments in the workspace, newest first, with their check-ins:
    for their Home tab, which nobody else sees."""
    bank = services.bank
    with services.database.reading() as session:
        commitments = store.of_manager(session, team_id, user_id, limit=HISTORY_SHOWN)
        checkins = store.checkins_of(session, [c.id for c in commitments])
        rows = session.execute(
            select(PulseTeam.id, PulseTeam.name).where(
                PulseTeam.id.in_({c.pulse_team_id for c in commitments})
            )
        )
        names: dict[int, str] = {team_id_: name for team_id_, name in rows}
    entries = []
    for commitment in commitments:
        entries.append(
            HistoryEntry(
                team_name=names.get(commitment.pulse_team_id, "a team"),
                practice_title=bank.practice_title(commitment.practice_id),
                dimension_name=bank.dimension_name(commitment.dimension_id),
                committed_at=commitment.committed_at,
                due_at=commitment.due_at,
                checkins=tuple(
                    (row.stage, row.answer, row.reflection) for row in checkins[commitment.id]
                ),
            )
        )
    return entries
