"""A workspace's data as a whole: which rows are its, an archive of them, and deleting them.

Read from the tables' metadata, so a table added later is covered without a change here:
- a table with a `team_id` column holds the workspace's rows directly;
- any other table reaches a workspace through a foreign key to a table that does (answers
  through their round, check-ins through their commitment); a table that does neither makes
  `workspace_scopes` fail, and with it the tests.
The archive leaves out, by name, the tables that hold answers or what can be joined to them
(`WITHHELD`, each with its reason); every other table is archived whole, less the columns
`ARCHIVED` leaves out. A table in neither list would be archived whole, so the tests insist
each table is named in one of them.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, MetaData, Table, delete, func, select
from sqlalchemy.orm import Session

from bot.bank import Bank
from bot.pulse.store import PulseTeam
from bot.summary.build import MAX_WEEKS, build_summary
from bot.summary.export import export_csv

FORMAT = "lvm-workspace-archive"

# Tables that hold no workspace's data, so neither an export nor a deletion reads them.
NO_WORKSPACE: Mapping[str, str] = {
    "slack_oauth_states": "install states, used once within minutes, before any workspace is known",
}
VERSION = 1

# Tables an archive never holds, and why (docs/privacy.md, "Data rights").
WITHHELD: Mapping[str, str] = {
    "pulse_answers": "pulse answers, one row per person and statement",
    "pulse_comments": "pulse comments, one row per person",
    "pulse_recipients": "who was asked each round: with the server secret, joinable to answers",
    "pulse_question_totals": "per-statement totals, including groups below the anonymity "
    "threshold; `results` holds what summaries show of them",
    "outbox": "messages waiting to be sent and the 30-day record of those sent: pulse DMs "
    "name who was asked",
    "comment_threads": "conversations about pulse comments: which comment, kept with them",
    "thread_messages": "conversations about pulse comments: the authors' own words",
    "assessments": "a lead's self-assessments, seen by them alone",
    "growth_plan_steps": "a lead's growth plan, with their check-ins and reflections: theirs alone",
    "growth_plan_shares": "whom a lead showed their plan to: theirs alone",
    "slack_bots": "the workspace's bot token (installs by OAuth): a secret",
    "slack_installations": "the workspace's install with its tokens (installs by OAuth): a secret",
}
# Tables an archive holds, with the columns it leaves out of each.
ARCHIVED: Mapping[str, tuple[str, ...]] = {
    "pulse_teams": (),
    "pulse_optouts": (),
    # people_apart is the overlap rule's working, not a result.
    "pulse_rounds": ("people_apart",),
    "pulse_commitments": (),
    # A commitment's reflection is for the manager who wrote it alone.
    "pulse_commitment_checkins": ("reflection",),
    "pulse_focus": (),
    "tip_subscriptions": (),
    "tips_shown": (),
    "tip_feedback": (),
    "welcomes": (),
    "workspace_uninstalls": (),
    "workspace_orgs": (),
    "situation_answers": (),
}


class UnscopedTable(Exception):
    """A table whose rows cannot be told apart by workspace: neither a team_id nor a
    foreign key to a table with one."""


@dataclass(frozen=True)
class Scope:
    """How to find one workspace's rows of one table."""

    table: Table
    # The table's column that points at its parent, and the parent's scope (None: the
    # table has team_id itself).
    via: tuple[str, str, Scope] | None = None

    def rows_of(self, team_id: str) -> ColumnElement[bool]:
        if self.via is None:
            return self.table.c.team_id == team_id
        column, parent_column, parent = self.via
        parents = select(parent.table.c[parent_column]).where(parent.rows_of(team_id))
        return self.table.c[column].in_(parents)


def workspace_scopes(metadata: MetaData) -> list[Scope]:
    """Every workspace table's scope (NO_WORKSPACE left out), parents before children:
    delete in reverse."""
    scopes: dict[str, Scope] = {}
    for table in metadata.sorted_tables:
        if table.name in NO_WORKSPACE:
            continue
        if "team_id" in table.c:
            scopes[table.name] = Scope(table)
            continue
        parent_scope = None
        for key in sorted(table.foreign_keys, key=lambda fk: fk.parent.name):
            parent = scopes.get(key.column.table.name)
            if parent is not None:
                parent_scope = Scope(table, (key.parent.name, key.column.name, parent))
                break
        if parent_scope is None:
            raise UnscopedTable(
                f"{table.name} has no team_id and no foreign key to a table with one: "
                "give it a team_id, so a workspace's data can be exported and deleted"
            )
        scopes[table.name] = parent_scope
    return list(scopes.values())


def count_rows(session: Session, metadata: MetaData, team_id: str) -> dict[str, int]:
    """How many rows of each table belong to the workspace (tables with none left out)."""
    counts = {}
    for scope in workspace_scopes(metadata):
        count = session.scalar(
            select(func.count()).select_from(scope.table).where(scope.rows_of(team_id))
        )
        if count:
            counts[scope.table.name] = int(count or 0)
    return counts


def delete_workspace(session: Session, metadata: MetaData, team_id: str) -> dict[str, int]:
    """Delete every row of the workspace, children first; how many of each table."""
    deleted = {}
    for scope in reversed(workspace_scopes(metadata)):
        result = session.execute(delete(scope.table).where(scope.rows_of(team_id)))
        if result.rowcount:  # type: ignore[attr-defined]
            deleted[scope.table.name] = int(result.rowcount)  # type: ignore[attr-defined]
    return deleted


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _results(session: Session, bank: Bank, team_id: str, now: datetime) -> dict[str, Any]:
    """Each pulse team's results as its CSV export has them: only what summaries show."""
    results: dict[str, Any] = {}
    teams = session.scalars(
        select(PulseTeam).where(PulseTeam.team_id == team_id).order_by(PulseTeam.id)
    )
    for team in teams:
        # The random generator orders comments and picks practices: the CSV has neither.
        summary = build_summary(session, bank, team, weeks=MAX_WEEKS, now=now, rng=random.Random(0))
        rows = list(csv.DictReader(io.StringIO(export_csv(summary, bank))))
        results[str(team.id)] = {"channel_id": team.channel_id, "name": team.name, "rounds": rows}
    return results


def export_workspace(
    session: Session, metadata: MetaData, bank: Bank, team_id: str, now: datetime
) -> dict[str, Any]:
    """The workspace's archive: its tables less WITHHELD ones and the columns ARCHIVED leaves
    out, and its teams' results over the last MAX_WEEKS weeks, as summaries show them."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for scope in workspace_scopes(metadata):
        name = scope.table.name
        if name in WITHHELD:
            continue
        left_out = set(ARCHIVED.get(name, ()))
        columns = [column for column in scope.table.c if column.name not in left_out]
        order = list(scope.table.primary_key.columns)
        rows = session.execute(
            select(*columns).where(scope.rows_of(team_id)).order_by(*order)
        ).mappings()
        tables[name] = [{key: _plain(value) for key, value in row.items()} for row in rows]
    return {
        "format": FORMAT,
        "version": VERSION,
        "team_id": team_id,
        "exported_at": now.isoformat(),
        "withheld": dict(WITHHELD),
        "tables": tables,
        "results": _results(session, bank, team_id, now),
    }


def has_data(session: Session, metadata: MetaData, team_id: str) -> bool:
    return bool(count_rows(session, metadata, team_id))
