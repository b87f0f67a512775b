"""Greeting once: when lvm joins a channel, and on a person's first visit to its Home tab.

The greeting is claimed in the database before it is sent (so a redelivered event, or a
second process, never greets twice) and released if sending failed (so it is tried again
next time rather than never).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from bot.platform.database import Database
from bot.welcome import store as welcomes

T = TypeVar("T")


def greet_once(
    database: Database, team_id: str, kind: str, target_id: str, greet: Callable[[bool], T]
) -> T:
    """Call greet(first), with first True only the first time for this target; a failed
    first greeting leaves it first for next time."""
    with database.transaction() as session:
        first = welcomes.claim(session, team_id, kind, target_id)
    try:
        return greet(first)
    except Exception:
        if first:
            with database.transaction() as session:
                welcomes.release(session, team_id, kind, target_id)
        raise
