"""The comment modal carries its round and the DM it came from in private_metadata."""

from __future__ import annotations

import pytest

from bot.pulse.blocks import CommentTarget, comment_modal


def test_the_modal_carries_the_round_and_the_dm():
    target = CommentTarget(42, "D0BOB", "1700000000.000100")
    modal = comment_modal(target, current="")
    assert CommentTarget.from_metadata(modal["private_metadata"]) == target


def test_a_modal_opened_before_the_dm_was_carried_still_saves():
    assert CommentTarget.from_metadata("42") == CommentTarget(42)


@pytest.mark.parametrize("broken", ["", "{}", "not json", '{"round": "x"}'])
def test_broken_metadata_is_refused(broken):
    with pytest.raises((ValueError, KeyError)):
        CommentTarget.from_metadata(broken)
