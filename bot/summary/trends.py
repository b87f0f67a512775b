"""What a summary holds, and the trend arithmetic over rounds that may be shown.

Everything here is pure: it starts from `RoundView`s, which `bot.summary.disclosure` builds
with the anonymity rules already applied, so no trend can reach a withheld number.

Every score is rounded to one decimal. A round's value (a statement's, an area's, a side's,
a contrast pole's) is rounded once, from the integer sum and count of the shown groups it
pools. Everything over several rounds (a level over a window, an average, a change) is
computed from those rounded, shown values weighted by their shown counts, and rounded
again: it adds nothing that the rounds themselves do not show. Percent favorable is
counted from the same shown groups' counts of 4s and 5s.

A level is read over a window, the last `WINDOW` rounds in which the thing was shown, so one
round's chance does not move it much; its normal variation assumes a spread of `SPREAD` on
the 1-5 scale (typical of 5-point workplace items, and it reveals nothing about how
individual answers spread): `Z * SPREAD / sqrt(n)` for n answers. A change between two
windows of n1 and n2 answers is within normal variation when it is smaller than
`Z * SPREAD * sqrt(1/n1 + 1/n2)`: it is then not told as a rise or a fall. Where one
person answers several statements pooled into one value (a side), n counts per round the
most answers one statement had (about the people), not every answer, so the band does not
pretend to a precision the team's size cannot give.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from math import sqrt

from bot.bank import Bank, Practice
from bot.summary.sparkline import sparkline

SCORE_LOW, SCORE_HIGH = 1.0, 5.0
PERCENT_LOW, PERCENT_HIGH = 0.0, 100.0
ONE_DECIMAL = Decimal("0.1")
WINDOW = 4  # shown rounds a level is read over
SPREAD = 1.0  # the assumed spread of answers on the 1-5 scale
Z = 1.96  # 95% of chance variation falls inside Z spreads of the mean
LEADERSHIP, MANAGEMENT = "leadership", "management"  # bot.bank.Lens values
SIDE_NAMES = {LEADERSHIP: "Leading", MANAGEMENT: "Managing"}


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


def margin_of(weight: int) -> float:
    """The normal variation of a mean of `weight` answers, to one decimal."""
    return one_decimal(Decimal(str(Z * SPREAD / sqrt(weight))))


def noise_between(weight: int, other: int) -> float:
    """How far two means of `weight` and `other` answers may differ by chance alone."""
    return Z * SPREAD * sqrt(1 / weight + 1 / other)


@dataclass(frozen=True)
class StatementScore:
    """One statement's average in one round, shown only with at least `threshold` scores."""

    average: float  # one decimal
    answers: int  # scored answers ("didn't come up" is in none)
    favorable: int | None = None  # answers scored 4 or 5; None where not known


@dataclass(frozen=True)
class DimensionScore:
    """A round's value pooled from whole shown statements: an area's, a side's, a pole's."""

    average: float  # one decimal
    answers: int
    favorable: int | None = None  # answers scored 4 or 5; None where not known
    # The statements the value is read from: an area's series starts over where this changes.
    basis: tuple[str, ...] = ()
    # The most answers one of those statements had: about the people behind the value, which
    # is what its normal variation counts (0: not known, count every answer).
    people: int = 0

    @property
    def weight(self) -> int:
        return self.people or self.answers


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
    statements: Mapping[str, StatementScore] = field(default_factory=dict)
    # The shown statements about the lead, pooled per side ("leadership", "management") and
    # per contrast pole ((contrast id, side)).
    sides: Mapping[str, DimensionScore] = field(default_factory=dict)
    poles: Mapping[tuple[str, str], DimensionScore] = field(default_factory=dict)
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
class Level:
    """A level read over a window: the last few shown rounds of a series, count-weighted."""

    average: float  # one decimal
    answers: int
    favorable: int | None  # percent of the answers that were 4s and 5s; None: not known
    margin: float  # the average's normal variation, one decimal
    rounds: int  # how many shown rounds the window holds (up to WINDOW)
    people: int  # who answered the window's latest round: "a team of N"
    weight: int  # what the normal variation counts (see the module's docstring)
    since: datetime  # when the window's first round opened
    until: datetime  # when its latest round opened


@dataclass(frozen=True)
class LevelChange:
    """A level against the window before it, in the same series."""

    previous: Level
    change: float  # one decimal
    noise: float  # how far a change may go by chance alone

    @property
    def within_noise(self) -> bool:
        return abs(self.change) < self.noise


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
    sparkline: str  # of the current series
    latest_opens_at: datetime | None = None  # when the round of `latest` opened
    # The current series: the rounds since the statement(s) the value is read from last
    # changed. `previous`, `span_average` and the level compare only within it.
    series_start: int = 0  # index into `values` of the series' first round
    basis: tuple[str, ...] = ()  # the statement(s) the series reads
    restarted_on: datetime | None = None  # set when an earlier series is in the span
    level: Level | None = None
    level_change: LevelChange | None = None


@dataclass(frozen=True)
class SideTrend:
    """How the team experiences one side of its lead, leading or managing, read from the
    shown statements about the lead on that side."""

    side: str  # "leadership" or "management" (bot.bank.Lens)
    name: str  # "Leading" or "Managing"
    values: tuple[float | None, ...]  # one per round of the span; None where not shown
    window: Level | None = None  # the level over the last shown rounds, and who is behind it
    change: LevelChange | None = None  # against the window before
    sparkline: str = ""

    @property
    def level(self) -> float | None:
        return self.window.average if self.window is not None else None

    @property
    def margin(self) -> float | None:
        """The level's normal variation for the number who answered."""
        return self.window.margin if self.window is not None else None

    @property
    def favorable(self) -> int | None:
        """Percent of 4s and 5s behind the level."""
        return self.window.favorable if self.window is not None else None

    @property
    def answers(self) -> int:
        return self.window.answers if self.window is not None else 0


@dataclass(frozen=True)
class ContrastGap:
    """One of the articles' contrasts, its leading and its managing statements' levels."""

    contrast_id: str
    leading_name: str  # the contrast's pole names (bot.bank.Contrast)
    managing_name: str
    leading: float
    managing: float
    name: str = ""  # the contrast's topic name, "Vision and goals"
    noise: float = 0.0  # how far the two poles may differ by chance alone

    @property
    def gap(self) -> float:
        return difference(self.managing, self.leading)


@dataclass(frozen=True)
class Balance:
    """Which side the team experiences as stronger, and where the gap is widest."""

    leading: float
    managing: float
    noise: float  # how far the two may differ by chance alone
    widest: ContrastGap | None = None

    @property
    def gap(self) -> float:
        """Managing minus leading."""
        return difference(self.managing, self.leading)

    @property
    def stronger(self) -> str | None:
        """LEADERSHIP or MANAGEMENT, or None when the gap is within normal variation."""
        if abs(self.gap) < self.noise:
            return None
        return MANAGEMENT if self.gap > 0 else LEADERSHIP


@dataclass(frozen=True)
class ParticipationTrend:
    percents: tuple[int | None, ...]  # one per round of the span
    latest: int | None
    change_from_previous: int | None  # percentage points
    sparkline: str


@dataclass(frozen=True)
class Fall:
    """A fall beyond normal variation (bot/summary/focus.py says when a fall counts)."""

    change: float  # negative, one decimal
    noise: float  # the normal variation it is beyond
    rounds: int  # the latest shown rounds it is read over
    earlier_rounds: int  # the shown rounds before them it is compared with
    people: int  # who answered the latest round: "a team of N"
    sustained: bool  # lower in each of the two latest rounds (not one window on another)


@dataclass(frozen=True)
class SelfGap:
    """A lead's own self-rating on an area beside their team's level for it (their own view
    only: bot/summary/self_view.py)."""

    dimension_id: str
    name: str
    own: float  # the lead's self-rating, one decimal
    team: Level  # the team's windowed level, shown (the anonymity threshold met)

    @property
    def gap(self) -> float:
        """Own minus team: above 0, the lead rates themselves higher than the team does."""
        return difference(self.own, self.team.average)

    @property
    def blind_spot(self) -> bool:
        """Rated higher by the lead than by the team, by at least the level's normal
        variation for the number who answered."""
        return self.gap > 0 and self.gap >= self.team.margin


@dataclass(frozen=True)
class SelfView:
    """What the viewing lead sees of their self-assessment beside their team."""

    areas: tuple[SelfGap, ...]  # areas with a shown team level, the widest gap first
    hidden: int  # areas they rated whose team level is not shown (too few answered)


@dataclass(frozen=True)
class FocusCandidate:
    """An area a manager may choose as the team's focus, and why it is offered."""

    dimension_id: str
    name: str
    level: Level
    reasons: tuple[str, ...]  # bot.summary.focus.Reason values, the first the main one
    fall: Fall | None = None
    # Held as the lowest although `lower` reads lower: by less than normal variation.
    lower: tuple[str, float] | None = None  # (its name, its level)
    # The viewer's own self-rating above the team's level (their own summary only).
    self_gap: SelfGap | None = None


@dataclass(frozen=True)
class Focus:
    """The area to work on next, how it came to be the focus, and a practice aimed at it."""

    dimension_id: str
    name: str
    practice: Practice  # from the dimension's pool; "Another tip" draws from the same pool
    level: Level | None
    # bot.summary.focus.SUGGESTED, CHOSEN (a manager chose it) or HELD (an active commitment)
    origin: str
    candidate: FocusCandidate | None = None  # its reasons, when it is one of the candidates
    stretch: bool = False  # every area is at the ceiling: a stretch, not a repair
    chosen_by: str | None = None
    chosen_at: datetime | None = None

    @property
    def held(self) -> bool:
        """Kept on a running commitment's area, whatever the others did."""
        return self.origin == "held"


@dataclass(frozen=True)
class LapsedChoice:
    """A manager's chosen focus that no longer holds (bot/summary/focus.py says when)."""

    dimension_id: str
    name: str
    chosen_by: str
    level: float | None  # None: no longer shown in the span


# Where a commitment's one-off statement to the team stands (CommitmentProgress.followup_state).
FOLLOWUP_WAITING = "waiting"  # asked in a round that has not closed yet
FOLLOWUP_SHOWN = "shown"
FOLLOWUP_HIDDEN = "hidden"  # the round closed with too few scored answers to show it


@dataclass(frozen=True)
class CommitmentProgress:
    """A manager's commitment, and what its dimension did in the rounds since.

    Before and after are levels over up to three shown rounds each (bot.summary.
    commitments), in the same series (the same statement read), so the change can be told
    apart from normal variation.
    """

    commitment_id: int
    user_id: str
    dimension_id: str
    dimension_name: str
    practice_id: str
    practice_title: str
    committed_at: datetime
    before: float | None  # the level over the shown rounds closed by the commitment
    now: float | None  # the level over the shown rounds opened since
    rounds_since: int  # shown rounds behind `now`
    due_at: datetime | None = None  # None: made before commitments had a due date
    before_level: Level | None = None
    after_level: Level | None = None
    change: LevelChange | None = None  # after against before, with its normal variation
    followup_text: str | None = None  # the one-off statement the team was asked
    followup_state: str | None = None  # FOLLOWUP_*; None: not asked (yet)
    followup_score: StatementScore | None = None  # when shown


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
    balance: Balance | None = None  # when both sides have a level
    # The areas offered as the focus, each with a button to choose it (bot/summary/focus.py).
    candidates: tuple[FocusCandidate, ...] = ()
    lapsed_choice: LapsedChoice | None = None
    # The viewing lead's self-ratings beside the team's levels: set only in their own view.
    self_view: SelfView | None = None
    # Beside `comments`, one for one: each comment's opaque reference, by which its menu
    # (reply, acknowledge: bot/threads) names it, or None where it cannot be answered (written
    # before replies existed, its conversation closed, or the summary is an admin's). Never
    # anything of its author.
    comment_references: tuple[str | None, ...] = ()

    def side(self, side: str) -> SideTrend | None:
        return next((s for s in self.sides if s.side == side), None)

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

    def comments_with_references(self) -> list[tuple[str, str | None]]:
        """Each comment with its reference (None where it has none)."""
        references = self.comment_references
        if len(references) != len(self.comments):  # comments replaced without references
            references = (None,) * len(self.comments)
        return list(zip(self.comments, references, strict=True))


def read_level(points: Sequence[tuple[RoundView, DimensionScore]]) -> Level | None:
    """The count-weighted level of these shown round values (a window), or None."""
    if not points:
        return None
    answers = sum(score.answers for _, score in points)
    total = sum((Decimal(str(score.average)) * score.answers for _, score in points), Decimal(0))
    counts = [score.favorable for _, score in points]
    known = [count for count in counts if count is not None]
    weight = sum(score.weight for _, score in points)
    return Level(
        average=one_decimal(total, answers),
        answers=answers,
        favorable=percent(sum(known), answers) if len(known) == len(counts) else None,
        margin=margin_of(weight),
        rounds=len(points),
        people=points[-1][0].answered,
        weight=weight,
        since=points[0][0].opens_at,
        until=points[-1][0].opens_at,
    )


def windowed(
    points: Sequence[tuple[RoundView, DimensionScore]],
) -> tuple[Level | None, LevelChange | None]:
    """The level over the last WINDOW shown rounds, and its change from the WINDOW before."""
    level = read_level(points[-WINDOW:])
    earlier = read_level(points[-2 * WINDOW : -WINDOW])
    if level is None or earlier is None:
        return level, None
    return level, LevelChange(
        previous=earlier,
        change=difference(level.average, earlier.average),
        noise=noise_between(level.weight, earlier.weight),
    )


def _series_basis(
    shown: Sequence[tuple[int, RoundView, DimensionScore]], anchor: str | None
) -> tuple[str, ...]:
    """The statement(s) the area's current series reads: its anchor alone while one of its
    last WINDOW shown values read it (a rotating team asks another of the area's statements
    in some weeks: that value is passed over), otherwise the latest value's."""
    recent = [score.basis for _, _, score in shown[-WINDOW:]]
    if anchor is not None and (anchor,) in recent:
        return (anchor,)
    return recent[-1]


def _current_series(
    shown: Sequence[tuple[int, RoundView, DimensionScore]], basis: tuple[str, ...]
) -> tuple[Sequence[tuple[int, RoundView, DimensionScore]], bool]:
    """The shown values that read `basis`, and whether the series started over: whether the
    values read from other statements all come before it (a change of statement, not a
    week that asked another statement of the area in between)."""
    series = [point for point in shown if point[2].basis == basis]
    first = series[0][0]
    others = [index for index, _, score in shown if score.basis != basis]
    return series, bool(others) and max(others) < first


def dimension_trends(views: Sequence[RoundView], bank: Bank) -> tuple[DimensionTrend, ...]:
    """Per dimension of the bank: latest, changes, level and sparkline over its current series.

    A series reads one basis (the same statement(s)) and starts over where that changes (an
    older round asked a retired statement, a pinned set asked another): values either side
    of it are kept in `values` but never compared. A value read from other statements
    between values of the series (the rotating default asks another of the area's
    statements in some weeks) is passed over: it is in `values` and the round's statement
    averages, but not in the series, its level or its sparkline.
    """
    anchors = {q.dimension: q.id for q in bank.asked_questions if q.anchor and q.dimension}
    trends: list[DimensionTrend] = []
    for dimension in bank.dimensions:
        values = tuple(
            view.scores[dimension.id].average if dimension.id in view.scores else None
            for view in views
        )
        shown = [
            (index, view, view.scores[dimension.id])
            for index, view in enumerate(views)
            if dimension.id in view.scores
        ]
        if not shown:
            continue
        basis = _series_basis(shown, anchors.get(dimension.id))
        series, restarted = _current_series(shown, basis)
        in_series = [score.average for _, _, score in series]
        latest = in_series[-1]
        previous = in_series[-2] if len(in_series) > 1 else None
        span_average = mean_one_decimal(in_series)
        first_index, first_view, _ = series[0]
        _, latest_view, latest_score = series[-1]
        level, change = windowed([(view, score) for _, view, score in series])
        in_line = {index for index, _, _ in series}
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
                sparkline=sparkline(
                    [v if i in in_line else None for i, v in enumerate(values)][first_index:],
                    low=SCORE_LOW,
                    high=SCORE_HIGH,
                ),
                latest_opens_at=latest_view.opens_at,
                series_start=first_index,
                basis=latest_score.basis,
                restarted_on=first_view.opens_at if restarted else None,
                level=level,
                level_change=change,
            )
        )
    return tuple(trends)


def side_trends(views: Sequence[RoundView]) -> tuple[SideTrend, ...]:
    """Leading, then managing: each from the shown statements about the lead on that side."""
    trends: list[SideTrend] = []
    for side, name in SIDE_NAMES.items():
        points = [(view, view.sides[side]) for view in views if side in view.sides]
        level, change = windowed(points)
        if level is None:
            continue
        values = tuple(view.sides[side].average if side in view.sides else None for view in views)
        trends.append(
            SideTrend(
                side=side,
                name=name,
                values=values,
                window=level,
                change=change,
                sparkline=sparkline(values, low=SCORE_LOW, high=SCORE_HIGH),
            )
        )
    return tuple(trends)


def widest_contrast(views: Sequence[RoundView], bank: Bank) -> ContrastGap | None:
    """The contrast whose leading and managing statements' levels lie furthest apart (ties
    to the bank's order); None when no contrast has both, or when no gap goes beyond normal
    variation for the answers behind its two poles (a gap inside it is not worth naming)."""
    gaps: list[ContrastGap] = []
    for contrast in bank.contrasts:
        poles = [
            read_level(
                [
                    (view, view.poles[contrast.id, side])
                    for view in views
                    if (contrast.id, side) in view.poles
                ][-WINDOW:]
            )
            for side in (LEADERSHIP, MANAGEMENT)
        ]
        leading, managing = poles
        if leading is not None and managing is not None:
            topic = bank.topic_by_id.get(contrast.id)
            gaps.append(
                ContrastGap(
                    contrast.id,
                    contrast.leading,
                    contrast.managing,
                    leading.average,
                    managing.average,
                    name=topic.name if topic is not None else contrast.id,
                    noise=noise_between(leading.weight, managing.weight),
                )
            )
    real = [gap for gap in gaps if abs(gap.gap) >= gap.noise]
    return max(real, key=lambda gap: abs(gap.gap), default=None)


def balance_of(
    sides: Sequence[SideTrend], views: Sequence[RoundView], bank: Bank
) -> Balance | None:
    by_side = {trend.side: trend.window for trend in sides}
    leading, managing = by_side.get(LEADERSHIP), by_side.get(MANAGEMENT)
    if leading is None or managing is None:
        return None
    return Balance(
        leading=leading.average,
        managing=managing.average,
        noise=noise_between(leading.weight, managing.weight),
        widest=widest_contrast(views, bank),
    )


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
