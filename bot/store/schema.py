"""The full schema: importing this module registers every aggregate's tables on Base.

Alembic's autogenerate check and the tests read `metadata` from here.
"""

# Aggregates that define their own tables register them by being imported here.
from bot.store import (  # noqa: F401
    models,
    nudges,
    outbox,
    pulse,
    round_totals,
    summary,
    welcomes,
)
from bot.store.models import Base

metadata = Base.metadata
