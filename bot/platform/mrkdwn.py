"""Putting people's own words (team names, comments) into Slack's mrkdwn safely."""

from __future__ import annotations


def escape(text: str) -> str:
    """Slack's control characters, so a comment or name cannot ping, link or format."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
