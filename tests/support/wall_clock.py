"""The moment the whole suite runs at, when $LVM_TEST_NOW names one (see tests/conftest.py)."""

from __future__ import annotations

import os
from datetime import UTC, datetime

TEST_NOW = os.environ.get("LVM_TEST_NOW", "").strip()


def pinned_start() -> datetime | None:
    """The moment named by $LVM_TEST_NOW (UTC unless it has an offset), if any."""
    if not TEST_NOW:
        return None
    moment = datetime.fromisoformat(TEST_NOW)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
