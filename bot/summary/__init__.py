"""Manager summaries of a pulse team: trends, focus, comments, commitments, chart and CSV.

`build_summary` is the entry point; `bot.blocks.summary` renders what it returns.
"""

from bot.summary.build import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    MIN_WEEKS,
    BadSummaryRequest,
    build_summary,
    parse_weeks,
)
from bot.summary.commitments import CommitmentRefused, CommitResult, commit
from bot.summary.trends import TeamSummary

__all__ = [
    "DEFAULT_WEEKS",
    "MAX_WEEKS",
    "MIN_WEEKS",
    "BadSummaryRequest",
    "CommitResult",
    "CommitmentRefused",
    "TeamSummary",
    "build_summary",
    "commit",
    "parse_weeks",
]
