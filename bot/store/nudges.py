"""Tip subscriptions: scheduled nudges for a channel or a person."""
