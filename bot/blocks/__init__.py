"""Pure builders from domain values to Block Kit payloads, one module per surface.

Each builder returns a message dict ({"text": ..., "blocks": [...]}) or a view dict, built
with slack_sdk's models so that Slack's limits are checked when the payload is made.
"""
