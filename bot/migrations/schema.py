"""The full schema: importing this module registers every feature's tables on Base.

Alembic's autogenerate check and the tests read `metadata` from here.
"""

# Each store defines its own tables and registers them on Base by being imported here.
from bot.assess import store as _assess  # noqa: F401
from bot.nudges import store as _nudges  # noqa: F401
from bot.platform import installations as _installations  # noqa: F401
from bot.platform import outbox as _outbox  # noqa: F401
from bot.platform import uninstalls as _uninstalls  # noqa: F401
from bot.platform.tables import Base
from bot.pulse import store as _pulse  # noqa: F401
from bot.pulse import totals_store as _totals  # noqa: F401
from bot.situation import store as _situation  # noqa: F401
from bot.summary import focus_store as _focus  # noqa: F401
from bot.summary import store as _summary  # noqa: F401
from bot.threads import store as _threads  # noqa: F401
from bot.tips import store as _tips  # noqa: F401
from bot.welcome import store as _welcomes  # noqa: F401

metadata = Base.metadata
