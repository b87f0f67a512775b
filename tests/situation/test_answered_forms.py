"""The record of answered situation forms: a form is answered once, and the workspace's
next answer clears its own records older than a day, never another workspace's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.situation.store import KEPT, SituationAnswer, claim_answer

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def kept(database) -> set[tuple[str, str]]:
    with database.reading() as session:
        rows = session.execute(select(SituationAnswer.team_id, SituationAnswer.view_id))
        return {(team_id, view_id) for team_id, view_id in rows}


def test_an_answer_clears_only_its_own_workspace_s_old_records(database):
    with database.transaction() as session:
        assert claim_answer(session, "T0ONE", "V0OLD", MONDAY)
        assert claim_answer(session, "T0TWO", "V0OLD", MONDAY)  # the same view id elsewhere
        assert not claim_answer(session, "T0ONE", "V0OLD", MONDAY)  # sent again
    with database.transaction() as session:
        assert claim_answer(session, "T0ONE", "V0NEW", MONDAY + KEPT + timedelta(minutes=1))
    assert kept(database) == {("T0ONE", "V0NEW"), ("T0TWO", "V0OLD")}
