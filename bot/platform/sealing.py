"""Seal a short value (a user id) so that only the server secret opens it.

Used for the link from an anonymous pulse comment to its author (bot.threads), which must
let lvm's server DM the author while telling a database reader nothing. AES-256-GCM from the
`cryptography` package, under a key derived from the server secret with HKDF-SHA256 for
this one purpose, a fresh random nonce every time (so two seals of one user id differ), and
the sealed row's identity as associated data: a sealed value copied onto another row does
not open there.

A sealed value is made unopenable by putting random bytes of its length in its place
(`unopenable_like`): to anyone without the secret it looks like any other sealed value, and
with the secret it opens to nothing.
"""

from __future__ import annotations

import base64
import functools
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PURPOSE = b"lvm: the author of an anonymous comment"
NONCE_BYTES = 12


class SealBroken(ValueError):
    """A sealed value that does not open: another secret, another row, or altered bytes."""


@functools.lru_cache(maxsize=8)
def _cipher(secret: str) -> AESGCM:
    if not secret:
        raise SealBroken("no server secret to seal or open with")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(
        secret.encode()
    )
    return AESGCM(key)


def seal(secret: str, value: str, *, bound_to: str) -> str:
    """`value` encrypted under the secret, opening only with the same `bound_to`."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = _cipher(secret).encrypt(nonce, value.encode(), bound_to.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(secret: str, sealed: str, *, bound_to: str) -> str:
    """The value `seal` sealed with this secret and `bound_to`; SealBroken otherwise."""
    try:
        raw = base64.urlsafe_b64decode(sealed.encode())
        opened = _cipher(secret).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], bound_to.encode())
    except (InvalidTag, ValueError) as error:
        raise SealBroken("the sealed value does not open here") from error
    return opened.decode()


def unopenable_like(sealed: str) -> str:
    """Random bytes as long as `sealed`, encoded alike: a value that opens under no secret
    (its tag matches with odds of 2**-128) and looks like any sealed value of that length."""
    try:
        length = len(base64.urlsafe_b64decode(sealed.encode()))
    except ValueError:
        length = len(sealed) * 3 // 4
    return base64.urlsafe_b64encode(os.urandom(length)).decode()
