"""Column types shared by every aggregate's tables."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """DateTime(timezone=True) that always stores and returns aware UTC datetimes.

    SQLite keeps datetimes as text without an offset and hands back naive values; PostgreSQL
    answers in the session's time zone. Normalizing here keeps comparisons with `now` safe.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("stored datetimes must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# PostgreSQL's `integer`, which every id column is: a larger number is no row of ours.
MAX_ROW_ID = 2**31 - 1


def row_id(value: str | int) -> int:
    """An id read from a button or a form, checked to be one a table can hold.

    Raises ValueError otherwise: PostgreSQL would refuse to even compare a larger number
    with an id column, and the request would fail instead of being told "no such round"."""
    number = int(value)
    if not 0 < number <= MAX_ROW_ID:
        raise ValueError(f"{number} is not a row id")
    return number
