"""`lvm-bot try`: the real app, a local stand-in for Slack, and a terminal to drive them."""
