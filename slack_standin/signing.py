"""Slack's v0 request signing, done with slack_sdk's own SignatureVerifier.

signature = "v0=" + hex(HMAC_SHA256(signing_secret, f"v0:{timestamp}:{body}"))
sent as X-Slack-Signature next to X-Slack-Request-Timestamp.
"""

from __future__ import annotations

import time

from slack_sdk.signature import SignatureVerifier


def signed_headers(
    body: bytes | str, *, secret: str, timestamp: int | str | None = None
) -> dict[str, str]:
    """The two headers Slack adds to every request it sends an app."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    assert signature is not None  # only None when timestamp is None
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}
