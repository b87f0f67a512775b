"""Persistence: SQLAlchemy models, queries per aggregate, and Alembic migrations."""
