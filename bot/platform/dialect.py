"""INSERT ... ON CONFLICT for the two databases lvm runs on.

Clicks that arrive together (a double click, Slack's retries, twenty people at once) must
each get the answer a single click gets: an upsert makes the second writer wait for the
first and then update or skip the row, where a select-then-insert fails on the unique key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
