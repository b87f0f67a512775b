"""Alembic migrations and the full schema they are checked against."""
