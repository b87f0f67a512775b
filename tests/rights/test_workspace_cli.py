"""`lvm-bot workspace export` and `delete`, run as an operator runs them: every table is
covered by the metadata, the archive holds no answer, and deletion spares other workspaces."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, select

from bot.migrations.schema import metadata
from bot.pulse.store import PulseAnswer, PulseComment, PulseRecipient
from bot.rights.archive import (
    ARCHIVED,
    NO_WORKSPACE,
    WITHHELD,
    UnscopedTable,
    count_rows,
    workspace_scopes,
)
from bot.summary.store import MIDPOINT, CommitmentCheckIn, PulseCommitment
from tests.support import installs
from tests.support.command_line import lvm_bot
from tests.support.harness import BOB, TEAM_CHANNEL
from tests.support.stored_rows import all_rows
from tests.support.summary_history import (
    CHANNEL,
    HIDDEN_COMMENT,
    MANAGER,
    WEEK_THREE_COMMENTS,
    WORKSPACE,
    make_team,
    platform_history,
)

OTHER_WORKSPACE = "T0OTHER"


def test_every_table_is_archived_or_withheld_and_reaches_a_workspace():
    names = set(metadata.tables)
    named = [*ARCHIVED, *WITHHELD, *NO_WORKSPACE]
    assert set(named) == names, "name each new table in ARCHIVED, WITHHELD or NO_WORKSPACE"
    assert len(named) == len(set(named))  # each once
    assert {scope.table.name for scope in workspace_scopes(metadata)} == names - set(NO_WORKSPACE)


def test_a_table_a_workspace_cannot_reach_is_refused():
    extra = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(extra)
    Table("orphans", extra, Column("id", Integer, primary_key=True), Column("note", String(10)))
    with pytest.raises(UnscopedTable, match="orphans has no team_id"):
        workspace_scopes(extra)
    # A child reached through its parent is fine, however deep.
    Table(
        "notes_on_checkins",
        extra,
        Column("id", Integer, primary_key=True),
        Column("checkin_id", ForeignKey("pulse_commitment_checkins.id")),
    )
    extra.remove(extra.tables["orphans"])
    assert "notes_on_checkins" in {scope.table.name for scope in workspace_scopes(extra)}


REFLECTION = "Held the one-on-ones; skipped the retro."


@pytest.fixture
def two_workspaces(database, bank):
    with database.transaction() as session:
        for workspace in (WORKSPACE, OTHER_WORKSPACE):
            team = make_team(session, workspace=workspace)
            platform_history(session, bank, team)
            commitment = PulseCommitment(
                team_id=workspace,
                pulse_team_id=team.id,
                user_id=MANAGER,
                dimension_id="goals",
                practice_id=bank.practices[0].id,
                committed_at=datetime(2026, 11, 2, tzinfo=UTC),
            )
            session.add(commitment)
            session.flush()
            session.add(
                CommitmentCheckIn(
                    commitment_id=commitment.id,
                    stage=MIDPOINT,
                    planned_at=datetime(2026, 11, 9, tzinfo=UTC),
                    answer="partly",
                    reflection=REFLECTION,
                )
            )
    return database


def url_of(database) -> str:
    return database.url.render_as_string(hide_password=False)


def test_export_holds_settings_and_results_but_no_answer(two_workspaces, bank, tmp_path):
    database = two_workspaces
    out = tmp_path / "archive.json"
    result = lvm_bot(
        "workspace",
        "export",
        WORKSPACE,
        "--out",
        str(out),
        cwd=tmp_path,
        DATABASE_URL=url_of(database),
    )
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stdout
    text = out.read_text()
    archive = json.loads(text)
    assert archive["team_id"] == WORKSPACE and archive["format"] == "lvm-workspace-archive"
    assert set(archive["tables"]) == set(ARCHIVED)
    assert "bot_token" not in text
    [team] = archive["tables"]["pulse_teams"]
    assert (team["channel_id"], team["managers"]) == (CHANNEL, [MANAGER])
    assert len(archive["tables"]["pulse_rounds"]) == 5
    assert all(row["team_id"] == WORKSPACE for row in archive["tables"]["pulse_rounds"])
    # Results as summaries show them: the round too few answered says so, with no average.
    [results] = archive["results"].values()
    statuses = {row["period"]: row["status"] for row in results["rounds"]}
    assert "not shown: fewer than 3 people answered this round" in statuses.values()
    assert any(row["average"] for row in results["rounds"])
    with database.reading() as session:
        keys = {
            *session.scalars(select(PulseAnswer.respondent_key)),
            *session.scalars(select(PulseComment.respondent_key)),
        }
        people = set(session.scalars(select(PulseRecipient.user_id)))
    # Nothing joinable to an answer: no respondent key, no comment, nobody who was asked.
    assert keys and not [key for key in keys if key in text]
    assert not [comment for comment in (*WEEK_THREE_COMMENTS, HIDDEN_COMMENT) if comment in text]
    assert people and not [person for person in people if person in text]
    assert OTHER_WORKSPACE not in text
    # A commitment's check-in is there, its reflection (the manager's alone) is not.
    [checkin] = archive["tables"]["pulse_commitment_checkins"]
    assert checkin["answer"] == "partly" and "reflection" not in checkin
    assert REFLECTION not in text

    unknown = lvm_bot(
        "workspace", "export", "T0NOBODY", cwd=tmp_path, DATABASE_URL=url_of(database)
    )
    assert unknown.returncode == 1 and "nothing is stored for workspace T0NOBODY" in unknown.stderr
    malformed = lvm_bot(
        "workspace", "export", "T0;drop", cwd=tmp_path, DATABASE_URL=url_of(database)
    )
    assert malformed.returncode == 2 and "is not a Slack workspace id" in malformed.stderr


def test_delete_asks_for_the_id_and_spares_other_workspaces(two_workspaces, tmp_path):
    database = two_workspaces
    before = all_rows(database)
    with database.reading() as session:
        others = count_rows(session, metadata, OTHER_WORKSPACE)

    def delete(*extra: str, typed: str = ""):
        return lvm_bot(
            "workspace",
            "delete",
            WORKSPACE,
            *extra,
            cwd=tmp_path,
            typed=typed,
            DATABASE_URL=url_of(database),
        )

    refused = delete(typed="T0WRONG\n")
    assert refused.returncode == 1 and "not deleted" in refused.stderr
    assert "pulse_answers" in refused.stdout  # it said what it would delete
    assert delete().returncode == 1  # no answer at all (EOF) deletes nothing either
    assert all_rows(database) == before

    confirmed = delete(typed=f"{WORKSPACE}\n")
    assert confirmed.returncode == 0, confirmed.stderr
    assert f"rows of workspace {WORKSPACE}" in confirmed.stdout
    with database.reading() as session:
        assert count_rows(session, metadata, WORKSPACE) == {}
        assert count_rows(session, metadata, OTHER_WORKSPACE) == others
    again = delete("--yes")
    assert again.returncode == 0 and "nothing to delete" in again.stdout


def test_delete_refuses_a_workspace_lvm_is_still_installed_in_unless_forced(
    database, bank, clock, tmp_path
):
    clock.set(datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    with installs.two_workspaces(database, bank, clock) as two:
        for harness in (two.acme, two.beta):
            harness.slack.command(BOB, "tip delegation", channel_id=TEAM_CHANNEL)
            harness.wait_until_idle()
        # beta removed lvm in Slack; acme still uses it.
        assert two.beta.slack.event({"type": "app_uninstalled"}).ok
        two.beta.wait_until_idle()

    def delete(team_id: str, *extra: str, typed: str = ""):
        return lvm_bot(
            "workspace",
            "delete",
            team_id,
            *extra,
            cwd=tmp_path,
            typed=typed,
            DATABASE_URL=url_of(database),
        )

    before = all_rows(database)
    refused = delete("T0ACME", "--yes")
    assert refused.returncode == 1
    assert "not deleted: lvm is still installed in workspace T0ACME" in refused.stderr
    assert "bot token" in refused.stderr and "--force" in refused.stderr
    assert all_rows(database) == before

    removed = delete("T0BETA", "--yes")  # removed from Slack: no --force needed
    assert removed.returncode == 0, removed.stderr
    assert "warning" not in removed.stdout

    forced = delete("T0ACME", "--force", typed="T0ACME\n")
    assert forced.returncode == 0, forced.stderr
    assert "warning: lvm is still installed in workspace T0ACME" in forced.stdout
    with database.reading() as session:
        assert count_rows(session, metadata, "T0ACME") == {}
        assert count_rows(session, metadata, "T0BETA") == {}
