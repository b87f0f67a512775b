"""A signed request's raw parts: the `/lvm tip` command as Slack posts it, and content types.

Tests that forge, tamper with or mangle a request start from these and sign them with
`harness.slack.signed_headers` (or don't).
"""

from __future__ import annotations

import urllib.parse

from tests.support.harness import ALICE, TEAM_CHANNEL

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

# Cheap to answer and leaves one visible trace (a shown tip), so a test can tell whether the
# request reached a listener.
TIP_COMMAND = urllib.parse.urlencode(
    {
        "command": "/lvm",
        "text": "tip",
        "user_id": ALICE,
        "channel_id": TEAM_CHANNEL,
        "team_id": "T0LVM",
        "response_url": "http://127.0.0.1:9/nowhere",
        "trigger_id": "1.2.3",
    }
).encode()
