"""The anonymity rules: which aggregates of a round a manager may see.

The smallest thing ever shown is the average of one statement in one closed round, and only
when at least `threshold` people gave it a score ("didn't come up" is no score:
`QuestionTotal.answers` counts scores only, so such answers never help a statement over the
threshold). A dimension's score, a side's (leading or
managing) and a contrast pole's combine such groups; a round is shown at all only when at
least `threshold` distinct people answered it. Every other number a summary shows (levels
over a window, changes, trends) is computed from these shown values, so no combination of
summaries can isolate fewer than `threshold` answers. See docs/privacy.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.bank import About, Bank, Lens
from bot.pulse.aggregates import QuestionTotal, RoundRecord
from bot.pulse.teams import MIN_THRESHOLD
from bot.summary.trends import DimensionScore, RoundView, StatementScore, one_decimal

K = TypeVar("K")


def effective_threshold(configured: int) -> int:
    """The team's threshold, never below the minimum whatever a row says."""
    return max(configured, MIN_THRESHOLD)


def dimension_of_question(bank: Bank) -> dict[str, str]:
    """Each statement's dimension, retired ones included where they still fit one."""
    return {q.id: q.dimension for q in bank.questions if q.dimension is not None}


@dataclass(frozen=True)
class Reading:
    """How a round's statements are read into areas, sides and contrasts (from the bank)."""

    dimension_of: Mapping[str, str]  # retired statements too, where they still fit one
    anchor_of: Mapping[str, str]  # dimension -> its anchor statement
    # Statements about the lead (their dimension is `about: lead`) -> that dimension's side.
    side_of: Mapping[str, str]
    # Statements about the lead tagged with a contrast -> (contrast, side).
    pole_of: Mapping[str, tuple[str, str]]

    @classmethod
    def of(cls, bank: Bank) -> Reading:
        dimension_of = dimension_of_question(bank)
        lead_sides = {
            d.id: str(d.side)
            for d in bank.dimensions
            if d.about is About.LEAD and d.side in (Lens.LEADERSHIP, Lens.MANAGEMENT)
        }
        return cls(
            dimension_of=dimension_of,
            anchor_of={q.dimension: q.id for q in bank.asked_questions if q.anchor and q.dimension},
            # Only statements asked today, which name their side: a retired statement may
            # still fit an area (its old rounds keep a value there) but was about the team,
            # not the lead, so no side score is read from it.
            side_of={
                q.id: lead_sides[q.dimension]
                for q in bank.asked_questions
                if q.side is not None and q.dimension in lead_sides
            },
            pole_of={
                q.id: (q.contrast, lead_sides[q.dimension])
                for q in bank.questions
                if q.contrast is not None and q.dimension in lead_sides
            },
        )


def _asked_dimensions(record: RoundRecord, dimension_of: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(dimension_of[q] for q in record.question_ids if q in dimension_of))


def _statements_read(record: RoundRecord, dimension: str, reading: Reading) -> tuple[str, ...]:
    """The statements a dimension's value in this round is read from: its anchor alone when
    the round asked it (so the value compares like with like across rounds), otherwise
    (older rounds, pinned sets) every statement of the dimension the round asked."""
    anchor = reading.anchor_of.get(dimension)
    if anchor is not None and anchor in record.question_ids:
        return (anchor,)
    return tuple(q for q in record.question_ids if reading.dimension_of.get(q) == dimension)


def _pooled(groups: Sequence[QuestionTotal]) -> DimensionScore | None:
    """Whole shown groups pooled: their sums over their counts, rounded once."""
    answers = sum(group.answers for group in groups)
    if not answers:
        return None
    counts = [group.favorable for group in groups]
    return DimensionScore(
        one_decimal(sum(group.score_sum for group in groups), answers),
        answers,
        # Not known when any group's is not (totals stored before favorable was counted).
        favorable=None if None in counts else sum(c for c in counts if c is not None),
        basis=tuple(sorted(group.question_id for group in groups)),
        people=max(group.answers for group in groups),
    )


def round_view(
    record: RoundRecord,
    totals: Iterable[QuestionTotal],
    respondents: int,
    *,
    reading: Reading,
    threshold: int,
) -> RoundView:
    """A closed round with its scores, or with participation only when too few answered."""
    if record.closed_at is None:
        raise ValueError("only closed rounds have a view: an open round shows participation only")
    asked = _asked_dimensions(record, reading.dimension_of)
    if respondents < threshold:
        return _participation_only(record, asked)
    # A statement scored by fewer than `threshold` people stays out of every number, even
    # when another statement of its dimension has enough: every shown number is then built
    # from whole groups of at least `threshold` answers, and no difference of shown numbers
    # can isolate fewer (for instance after the bank moves a statement to another dimension).
    shown = {total.question_id: total for total in totals if total.answers >= threshold}
    scores = {}
    for dimension in asked:
        read = [shown[q] for q in _statements_read(record, dimension, reading) if q in shown]
        score = _pooled(read)
        if score is not None:
            scores[dimension] = score
    statements = {
        question_id: StatementScore(
            one_decimal(total.score_sum, total.answers), total.answers, total.favorable
        )
        for question_id, total in shown.items()
    }
    return RoundView(
        round_id=record.round_id,
        period=record.period,
        opens_at=record.opens_at,
        closes_at=record.closed_at,
        answered=record.answered,
        asked=record.asked,
        shown=True,
        scores=scores,
        hidden_dimensions=tuple(dimension for dimension in asked if dimension not in scores),
        statements=statements,
        sides=_grouped(shown.values(), reading.side_of),
        poles=_grouped(shown.values(), reading.pole_of),
    )


def _grouped(shown: Iterable[QuestionTotal], key_of: Mapping[str, K]) -> dict[K, DimensionScore]:
    """Shown statements pooled by a key (a side, a contrast's pole); keys with none left out."""
    groups: dict[K, list[QuestionTotal]] = defaultdict(list)
    for total in sorted(shown, key=lambda total: total.question_id):
        key = key_of.get(total.question_id)
        if key is not None:
            groups[key].append(total)
    return {key: score for key, group in groups.items() if (score := _pooled(group)) is not None}


def _participation_only(
    record: RoundRecord,
    asked: tuple[str, ...],
    *,
    withheld_from_admins: bool = False,
    shares_people: bool = False,
) -> RoundView:
    """A closed round shown without scores: too few answered, or the viewer may not see it."""
    assert record.closed_at is not None
    return RoundView(
        round_id=record.round_id,
        period=record.period,
        opens_at=record.opens_at,
        closes_at=record.closed_at,
        answered=record.answered,
        asked=record.asked,
        shown=False,
        hidden_dimensions=asked,
        withheld_from_admins=withheld_from_admins,
        shares_people=shares_people,
    )


def round_views(
    records: Iterable[RoundRecord],
    totals: Iterable[QuestionTotal],
    respondents: Mapping[int, int],
    bank: Bank,
    threshold: int,
    *,
    for_admin: bool = False,
    sharing_people: Collection[int] = (),
) -> list[RoundView]:
    """Views of the closed rounds among `records`, in the same order.

    `for_admin`: the viewer is a workspace admin, not a manager; rounds that opened before
    the team let admins see results are then withheld whole, like a round too few answered.
    `sharing_people`: rounds withheld because another team asked nearly the same people
    that week (bot/summary/overlap.py).
    """
    by_round: dict[int, list[QuestionTotal]] = defaultdict(list)
    for total in totals:
        by_round[total.round_id].append(total)
    reading = Reading.of(bank)
    dimension_of = reading.dimension_of
    return [
        _participation_only(
            record, _asked_dimensions(record, dimension_of), withheld_from_admins=True
        )
        if for_admin and not record.admins_may_view
        else _participation_only(
            record, _asked_dimensions(record, dimension_of), shares_people=True
        )
        if record.round_id in sharing_people
        else round_view(
            record,
            by_round.get(record.round_id, []),
            respondents.get(record.round_id, 0),
            reading=reading,
            # The stricter of today's threshold and the one the round was answered under.
            threshold=max(threshold, effective_threshold(record.threshold)),
        )
        for record in records
        if record.closed_at is not None
    ]
