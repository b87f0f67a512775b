"""What a summary holds, and the trend arithmetic over rounds that may be shown.

Everything here is pure: it starts from `RoundView`s, which `bot.summary.disclosure` builds
with the anonymity rules already applied, so no trend can reach a withheld number.
Every score is rounded to one decimal, and averages and changes are computed from those
rounded, shown values: they add nothing that the rounds themselves do not show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from bot.bank import Bank, Practice
from bot.summary.sparkline import sparkline

SCORE_LOW, SCORE_HIGH = 1.0, 5.0
PERCENT_LOW, PERCENT_HIGH = 0.0, 100.0
ONE_DECIMAL = Decimal("0.1")


def one_decimal(numerator: int | Decimal, denominator: int = 1) -> float:
    """numerator / denominator rounded half up to one decimal, the same on every database."""
    value = Decimal(numerator) / Decimal(denominator)
    return float(value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))


def mean_one_decimal(values: Sequence[float]) -> float:
    total = sum((Decimal(str(value)) for value in values), Decimal(0))
    return one_decimal(total, len(values))


def difference(later: float, earlier: float) -> float:
    return one_decimal(Decimal(str(later)) - Decimal(str(earlier)))


def percent(part: int, whole: int) -> int | None:
    if whole <= 0:
        return None
    return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class DimensionScore:
    average: float  # one decimal
    answers: int


@dataclass(frozen=True)
class RoundView:
    """One closed round as a manager may see it.

    `shown` is False when fewer than the threshold of people answered: then `scores` is
    empty and only participation is told. A shown round can still withhold a dimension that
    too few people answered (`hidden_dimensions`).
    """

    round_id: int
    period: str
    opens_at: datetime
    closes_at: datetime  # when it actually closed
    answered: int
    asked: int
    shown: bool
    scores: Mapping[str, DimensionScore] = field(default_factory=dict)
    hidden_dimensions: tuple[str, ...] = ()
    # Not shown to a workspace admin because it opened before the team let admins see results.
    withheld_from_admins: bool = False
    # Not shown because another team asked nearly the same people that week, and the two
    # rounds' difference would single someone out (bot/summary/overlap.py).
    shares_people: bool = False

    @property
    def participation_percent(self) -> int | None:
        return percent(self.answered, self.asked)


@dataclass(frozen=True)
class OpenRound:
    """The round still open: participation so far, never scores."""

    period: str
    closes_at: datetime
    answered: int
    asked: int
    opens_at: datetime | None = None


@dataclass(frozen=True)
class DimensionTrend:
    dimension_id: str
    name: str
    values: tuple[float | None, ...]  # one per round of the span; None where not shown
    latest: float
    latest_period: str
    previous: float | None
    change_from_previous: float | None
    span_average: float
    change_from_span_average: float
    sparkline: str
    latest_opens_at: datetime | None = None  # when the round of `latest` opened


@dataclass(frozen=True)
class SideTrend:
    """How the team experiences one side of its lead, leading or managing, read from the
    shown statements about the lead on that side."""

    side: str  # "leadership" or "management" (bot.bank.Lens)
    name: str  # "Leading" or "Managing"
    values: tuple[float | None, ...]  # one per round of the span; None where not shown
    level: float | None = None  # over the last few shown rounds
    margin: float | None = None  # the level's normal variation for the number who answered
    favourable: int | None = None  # percent of 4s and 5s behind `level`
    answers: int = 0  # behind `level`


@dataclass(frozen=True)
class ParticipationTrend:
    percents: tuple[int | None, ...]  # one per round of the span
    latest: int | None
    change_from_previous: int | None  # percentage points
    sparkline: str


@dataclass(frozen=True)
class Focus:
    """The dimension to work on next, why, and a practice aimed at it."""

    dimension_id: str
    name: str
    latest: float
    change_from_previous: float | None
    change_from_span_average: float
    fall: float  # the larger of both drops, 0.0 when it did not fall
    is_weakest: bool
    practice: Practice  # from the dimension's pool; "Another tip" draws from the same pool


@dataclass(frozen=True)
class CommitmentProgress:
    """A manager's commitment, and what its dimension did in the rounds since."""

    commitment_id: int
    user_id: str
    dimension_id: str
    dimension_name: str
    practice_id: str
    practice_title: str
    committed_at: datetime
    before: float | None  # the latest shown value when the commitment was made
    now: float | None  # the latest shown value from rounds opened since
    rounds_since: int


@dataclass(frozen=True)
class TeamSummary:
    pulse_team_id: int
    team_name: str
    weeks: int
    threshold: int
    generated_at: datetime
    rounds: tuple[RoundView, ...]  # closed rounds of the span, oldest first
    open_round: OpenRound | None
    participation: ParticipationTrend
    dimensions: tuple[DimensionTrend, ...]  # bank order, those with a shown value
    strongest: DimensionTrend | None
    weakest: DimensionTrend | None
    focus: Focus | None
    comments_period: str | None  # the closed round the comments come from
    comments: tuple[str, ...]
    commitments: tuple[CommitmentProgress, ...]
    timezone: str = "UTC"  # the team's, for dates written outside Slack (chart, CSV)
    sides: tuple[SideTrend, ...] = ()  # leading, then managing, where any value is shown

    @property
    def latest_round(self) -> RoundView | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def hidden_rounds(self) -> tuple[RoundView, ...]:
        """Rounds too few people answered (not those withheld from an admin)."""
        return tuple(
            view
            for view in self.rounds
            if not view.shown and not view.withheld_from_admins and not view.shares_people
        )

    @property
    def overlapping_rounds(self) -> tuple[RoundView, ...]:
        """Rounds withheld because another team asked nearly the same people that week."""
        return tuple(view for view in self.rounds if view.shares_people)

    @property
    def withheld_rounds(self) -> tuple[RoundView, ...]:
        """Rounds answered before the team let workspace admins see results."""
        return tuple(view for view in self.rounds if view.withheld_from_admins)

    def dimension(self, dimension_id: str) -> DimensionTrend | None:
        return next((d for d in self.dimensions if d.dimension_id == dimension_id), None)


def dimension_trends(views: Sequence[RoundView], bank: Bank) -> tuple[DimensionTrend, ...]:
    """Per dimension of the bank: latest, changes and sparkline over the shown rounds."""
    trends: list[DimensionTrend] = []
    for dimension in bank.dimensions:
        values = tuple(
            view.scores[dimension.id].average if dimension.id in view.scores else None
            for view in views
        )
        shown = [value for value in values if value is not None]
        if not shown:
            continue
        latest = shown[-1]
        previous = shown[-2] if len(shown) > 1 else None
        span_average = mean_one_decimal(shown)
        latest_view = next(view for view in reversed(views) if dimension.id in view.scores)
        trends.append(
            DimensionTrend(
                dimension_id=dimension.id,
                name=dimension.name,
                values=values,
                latest=latest,
                latest_period=latest_view.period,
                previous=previous,
                change_from_previous=None if previous is None else difference(latest, previous),
                span_average=span_average,
                change_from_span_average=difference(latest, span_average),
                sparkline=sparkline(values, low=SCORE_LOW, high=SCORE_HIGH),
                latest_opens_at=latest_view.opens_at,
            )
        )
    return tuple(trends)


def participation_trend(views: Sequence[RoundView]) -> ParticipationTrend:
    percents = tuple(view.participation_percent for view in views)
    known = [value for value in percents if value is not None]
    latest = known[-1] if known else None
    previous = known[-2] if len(known) > 1 else None
    return ParticipationTrend(
        percents=percents,
        latest=latest,
        change_from_previous=None if latest is None or previous is None else latest - previous,
        sparkline=sparkline(
            [float(p) if p is not None else None for p in percents],
            low=PERCENT_LOW,
            high=PERCENT_HIGH,
        ),
    )
