"""Pulse check-ins: weekly anonymous polls for a team, with reminders and closing."""
