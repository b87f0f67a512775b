"""Alembic environment: runs against the connection lvm hands it (see bot.migrations.migrate)."""

from alembic import context

from bot.migrations.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
