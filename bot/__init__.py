"""lvm: a Slack app that helps team leads grow as both leaders and managers."""

__version__ = "0.1.0"
