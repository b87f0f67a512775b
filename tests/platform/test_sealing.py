"""A sealed user id opens only with the same server secret, on the same row, unaltered."""

from __future__ import annotations

import base64

import pytest

from bot.platform.sealing import SealBroken, seal, unopenable_like, unseal

SECRET = "a-server-secret"
ROW = "T0LVM:7:kFQZJPetwCuEu1L0LZdA2Q"


def test_a_seal_opens_with_its_secret_and_row_only():
    sealed = seal(SECRET, "U0CAROL", bound_to=ROW)
    assert unseal(SECRET, sealed, bound_to=ROW) == "U0CAROL"
    assert "U0CAROL" not in sealed and "CAROL" not in base64.urlsafe_b64decode(sealed).decode(
        "latin-1"
    )
    with pytest.raises(SealBroken):
        unseal("another-secret", sealed, bound_to=ROW)
    with pytest.raises(SealBroken):
        unseal(SECRET, sealed, bound_to="T0LVM:7:another-comment")


def test_sealing_twice_gives_unrelated_values():
    first, second = (seal(SECRET, "U0CAROL", bound_to=ROW) for _ in range(2))
    assert first != second
    assert unseal(SECRET, first, bound_to=ROW) == unseal(SECRET, second, bound_to=ROW)


@pytest.mark.parametrize("broken", ["", "not base64 at all!", "AAAA", "A" * 80])
def test_altered_or_foreign_values_do_not_open(broken):
    with pytest.raises(SealBroken):
        unseal(SECRET, broken, bound_to=ROW)


def test_one_flipped_bit_does_not_open():
    raw = bytearray(base64.urlsafe_b64decode(seal(SECRET, "U0CAROL", bound_to=ROW)))
    raw[-1] ^= 1
    with pytest.raises(SealBroken):
        unseal(SECRET, base64.urlsafe_b64encode(bytes(raw)).decode(), bound_to=ROW)


def test_without_a_secret_nothing_is_sealed():
    with pytest.raises(SealBroken):
        seal("", "U0CAROL", bound_to=ROW)


def test_an_unopenable_value_looks_like_a_seal_and_opens_to_nobody():
    sealed = seal(SECRET, "U0CAROL", bound_to=ROW)
    dead = {unopenable_like(sealed) for _ in range(20)}
    assert len(dead) == 20 and sealed not in dead
    assert {len(value) for value in dead} == {len(sealed)}
    for value in dead:
        with pytest.raises(SealBroken):
            unseal(SECRET, value, bound_to=ROW)
