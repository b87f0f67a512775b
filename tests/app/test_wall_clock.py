"""The suite's own promise: no result depends on the day or hour it runs.

`LVM_TEST_NOW=<ISO date and time> pytest` runs every test as if the suite started then (see
tests/conftest.py). These checks prove the pinning takes hold, and that the code a person
meets first (the demo and its walk-through) takes its time from what it is given.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.support.wall_clock import pinned_start


def test_lvm_test_now_moves_this_process_and_the_demo_there():
    start = pinned_start()
    if start is None:
        pytest.skip("LVM_TEST_NOW is not set: the suite runs at the real time")
    assert abs(datetime.now(UTC) - start) < timedelta(minutes=30)
    assert date.today() == datetime.now().date()
    assert datetime.fromisoformat(os.environ["LVM_TRY_START"]) == start
