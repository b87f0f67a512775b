"""Data rights: what lvm keeps (`/lvm privacy`), forgetting a person, retention, and a workspace that removes lvm or is exported or deleted."""
