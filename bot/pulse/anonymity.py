"""Respondent keys: stable within one round, unlinkable to a person or across rounds."""

from __future__ import annotations

import hashlib
import hmac


def respondent_key(secret: str, team_id: str, round_id: int, user_id: str) -> str:
    """HMAC-SHA256 of the person under the server secret, salted by workspace and round.

    The same person gets the same key all through one round (so an answer can be changed),
    a different key in every other round, and without the secret nobody can compute it.
    """
    message = f"{team_id}:{round_id}:{user_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
