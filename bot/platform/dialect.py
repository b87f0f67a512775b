"""INSERT ... ON CONFLICT for the two databases lvm runs on: one upsert, one insert-or-skip.

Clicks that arrive together (a double click, Slack's retries, twenty people at once) must
each get the answer a single click gets: an upsert makes the second writer wait for the
first and then update or skip the row, where a select-then-insert fails on the unique key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def dialect_insert(session: Session) -> Callable[..., Any]:
    """The dialect's `insert`, which has `on_conflict_do_nothing` / `on_conflict_do_update`."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert
    if name == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"no conflict-aware insert for {name}")


def upsert(
    session: Session,
    table: Table,
    values: Mapping[str, Any],
    *,
    key: Sequence[str],
    update: Sequence[str],
    keep: Sequence[str] = (),
) -> None:
    """Insert `values`, or on a row with the same `key` columns set its `update` columns,
    and its `keep` columns only where the row has none yet (NULL)."""
    statement = dialect_insert(session)(table).values(dict(values))
    changes: dict[str, Any] = {column: statement.excluded[column] for column in update}
    changes.update(
        {column: func.coalesce(table.c[column], statement.excluded[column]) for column in keep}
    )
    session.execute(statement.on_conflict_do_update(index_elements=list(key), set_=changes))


def insert_unless_present(
    session: Session, table: Table, values: Mapping[str, Any], *, key: Sequence[str]
) -> bool:
    """Insert `values` unless a row with the same `key` columns exists; True if inserted.

    RETURNING tells the two apart: rowcount is not reliable here on every driver.
    """
    statement = (
        dialect_insert(session)(table)
        .values(dict(values))
        .on_conflict_do_nothing(index_elements=list(key))
        .returning(*table.primary_key.columns)
    )
    return session.execute(statement).first() is not None
