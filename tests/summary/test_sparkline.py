from __future__ import annotations

import pytest

from bot.summary.sparkline import sparkline


def test_one_bar_per_value_on_a_fixed_scale():
    assert sparkline([1, 2, 3, 4, 5], low=1, high=5) == "▁▃▅▇█"
    assert sparkline([4.5, 4.5, 4.5], low=1, high=5) == "███"  # steady and high looks high
    assert sparkline([2.0, 2.0], low=1, high=5) == "▃▃"


def test_gaps_are_left_out_and_values_outside_the_scale_are_clamped():
    assert sparkline([None, 1.0, None, 5.0], low=1, high=5) == "▁█"
    assert sparkline([0.0, 9.0], low=1, high=5) == "▁█"
    assert sparkline([], low=0, high=100) == ""
    assert sparkline([0, 50, 100], low=0, high=100) == "▁▅█"


def test_a_scale_needs_room():
    with pytest.raises(ValueError):
        sparkline([1.0], low=3, high=3)
