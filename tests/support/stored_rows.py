"""Every row of every table, read through the schema's metadata: a table added later is
read too, so a test that looks for a person's id cannot miss it.

Given the server secret, a sealed user id (a comment's author link, and its copy in a
message to the author waiting in the outbox) is read as what it opens to, `sealed(U0...)`,
or `sealed(nobody)`: a search for a person then finds the links that still lead to them, and
two reads compare what the links lead to, not their bytes (sealed again, they differ)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.migrations.schema import metadata
from bot.platform.database import Database
from bot.platform.sealing import SealBroken, unseal
from bot.pulse.store import link_bound_to
from bot.rights.archive import NO_WORKSPACE, workspace_scopes

Row = tuple[Any, ...]


def opened(secret: str, sealed: str, bound_to: str) -> str:
    """A sealed value as what it opens to with the secret: `sealed(U0...)` or `sealed(nobody)`."""
    try:
        return f"sealed({unseal(secret, sealed, bound_to=bound_to)})"
    except SealBroken:
        return "sealed(nobody)"


def _open_sealed_values(rows: dict[str, list[Row]], secret: str) -> None:
    """Replace, in place, each sealed value by what it opens to (see the module's docstring)."""
    rounds = metadata.tables["pulse_rounds"].c.keys()
    team_of_round = {
        row[rounds.index("id")]: row[rounds.index("team_id")] for row in rows["pulse_rounds"]
    }
    comments = metadata.tables["pulse_comments"].c.keys()
    at = {name: comments.index(name) for name in ("round_id", "reference", "author_link")}
    for number, row in enumerate(rows["pulse_comments"]):
        link = row[at["author_link"]]
        if link is not None:
            round_id = row[at["round_id"]]
            bound_to = link_bound_to(team_of_round[round_id], round_id, row[at["reference"]])
            values = list(row)
            values[at["author_link"]] = opened(secret, link, bound_to)
            rows["pulse_comments"][number] = tuple(values)
    payload = metadata.tables["outbox"].c.keys().index("payload")
    for number, row in enumerate(rows["outbox"]):
        sealed = (row[payload].get("args") or {}).get("sealed_to")
        if sealed:
            values = list(row)
            args = {**row[payload]["args"], "sealed_to": opened(secret, **sealed)}
            values[payload] = {**row[payload], "args": args}
            rows["outbox"][number] = tuple(values)


def all_rows(database: Database, *, secret: str | None = None) -> dict[str, list[Row]]:
    """Each table's rows, as tuples in column order (sorted, so two reads compare); with
    the secret, sealed values read as what they open to."""
    rows: dict[str, list[Row]] = {}
    with database.reading() as session:
        for table in metadata.sorted_tables:
            rows[table.name] = [tuple(row) for row in session.execute(select(table))]
    if secret is not None:
        _open_sealed_values(rows, secret)
    return {table: sorted(found, key=repr) for table, found in rows.items()}


def mentions(row: Row, text: str) -> bool:
    """Whether any value of the row (a JSON list or object included) holds `text`."""
    return text in json.dumps(row, default=str)


def rows_naming(
    database: Database, user_id: str, *, secret: str | None = None
) -> dict[str, list[Row]]:
    """The rows of every table that hold this id anywhere (with the secret, in a sealed value
    too); tables without any left out."""
    return {
        table: naming
        for table, rows in all_rows(database, secret=secret).items()
        if (naming := [row for row in rows if mentions(row, user_id)])
    }


def split_by_person(
    before: dict[str, list[Row]], after: dict[str, list[Row]], user_id: str
) -> tuple[dict[str, list[Row]], dict[str, list[Row]]]:
    """(the person's rows, everyone else's) among `before`: a row is the person's when it
    names them, or hangs by a foreign key on a row of theirs that is gone `after` (a
    commitment's check-ins); a row that named them and is still there, unnamed (a team they
    managed with others), is not theirs, nor are the rows hanging on it."""
    theirs: dict[str, list[Row]] = {}
    others: dict[str, list[Row]] = {}
    gone: dict[str, set[Any]] = {}  # table -> primary keys of the person's rows now gone
    for table in metadata.sorted_tables:
        columns = [column.name for column in table.c]
        key = [columns.index(column.name) for column in table.primary_key.columns]
        kept = {tuple(row[i] for i in key) for row in after[table.name]}
        links = [
            (columns.index(fk.parent.name), fk.column.table.name)
            for fk in table.foreign_keys
            if fk.column.primary_key
        ]
        theirs[table.name], others[table.name], gone[table.name] = [], [], set()
        for row in before[table.name]:
            hangs = any((row[at],) in gone.get(parent, set()) for at, parent in links)
            if mentions(row, user_id) or hangs:
                theirs[table.name].append(row)
                if tuple(row[i] for i in key) not in kept:
                    gone[table.name].add(tuple(row[i] for i in key))
            else:
                others[table.name].append(row)
    return theirs, others


def workspace_rows(database: Database, team_id: str) -> dict[str, list[Row]]:
    """The workspace's rows of every table (through a foreign key where the table has no
    team_id: answers through their round), and every row of the tables no workspace owns
    (install states), as tuples in column order, sorted."""
    rows: dict[str, list[Row]] = {}
    with database.reading() as session:
        for scope in workspace_scopes(metadata):
            found = session.execute(select(scope.table).where(scope.rows_of(team_id)))
            rows[scope.table.name] = sorted((tuple(row) for row in found), key=repr)
        for name in NO_WORKSPACE:
            found = session.execute(select(metadata.tables[name]))
            rows[name] = sorted((tuple(row) for row in found), key=repr)
    return rows


def links_across_workspaces(database: Database) -> list[str]:
    """Rows that point, by a foreign key, at a row of another workspace (a thread of one
    workspace about another's round): each as `table.column -> parent`, with both ids."""
    found: list[str] = []
    with database.reading() as session:
        for table in metadata.sorted_tables:
            if "team_id" not in table.c:
                continue
            for key in table.foreign_keys:
                parent = key.column.table
                if "team_id" not in parent.c or parent is table:
                    continue
                crossing = session.execute(
                    select(table.c.team_id, parent.c.team_id)
                    .join(parent, table.c[key.parent.name] == key.column)
                    .where(table.c.team_id != parent.c.team_id)
                )
                found += [
                    f"{table.name}.{key.parent.name} -> {parent.name}: {mine} -> {theirs}"
                    for mine, theirs in crossing
                ]
    return found
