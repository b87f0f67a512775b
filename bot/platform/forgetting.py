"""What a feature does when a person asks lvm to forget them (`/lvm forget me`).

Each feature that stores something about people hands the composition root one
`ForgetStep` (bot/bootstrap.py fills `Services.forget_steps`); bot/rights/forget.py runs
them all in one transaction, and `/lvm privacy` and the confirmation list what each says.
A feature added later adds its step there and is covered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

# Stands where a forgotten person's user id was in a row that others still need (who
# created a channel's nudge, who set up a pulse team, who opened a round by hand).
FORGOTTEN = "forgotten"


@dataclass(frozen=True)
class ForgetStep:
    # What the step deletes or unnames, in plain words after "lvm deletes": said by
    # `/lvm privacy` and in the confirmation.
    what: str
    # (session, workspace, user id, now) -> how many rows it deleted or changed.
    run: Callable[[Session, str, str, datetime], int]
