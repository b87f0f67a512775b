"""The anonymity rules: which aggregates of a round a manager may see.

The smallest thing ever shown is the average of one question in one closed round, and only
when at least `threshold` people gave that question a score ("didn't come up" is no score:
`QuestionTotal.answers` counts scores only, so such answers never help a question over the
threshold). A dimension's score combines such
groups; a round is shown at all only when at least `threshold` distinct people answered it.
Every other number a summary shows (averages over a span, changes, trends) is computed from
these shown values, so no combination of summaries can isolate fewer than `threshold`
answers. See docs/privacy.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping

from bot.bank import Bank
from bot.pulse.aggregates import QuestionTotal, RoundRecord
from bot.pulse.teams import MIN_THRESHOLD
from bot.summary.trends import DimensionScore, RoundView, one_decimal


def effective_threshold(configured: int) -> int:
    """The team's threshold, never below the minimum whatever a row says."""
    return max(configured, MIN_THRESHOLD)


def dimension_of_question(bank: Bank) -> dict[str, str]:
    """Each statement's dimension, retired ones included where they still fit one."""
    return {q.id: q.dimension for q in bank.questions if q.dimension is not None}


def _asked_dimensions(record: RoundRecord, dimension_of: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(dimension_of[q] for q in record.question_ids if q in dimension_of))


def round_view(
    record: RoundRecord,
    totals: Iterable[QuestionTotal],
    respondents: int,
    *,
    dimension_of: Mapping[str, str],
    threshold: int,
) -> RoundView:
    """A closed round with its scores, or with participation only when too few answered."""
    if record.closed_at is None:
        raise ValueError("only closed rounds have a view: an open round shows participation only")
    asked = _asked_dimensions(record, dimension_of)
    if respondents < threshold:
        return _participation_only(record, asked)
    sums: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for total in totals:
        dimension = dimension_of.get(total.question_id)
        # A question scored by fewer than `threshold` people stays out, even when another
        # question of its dimension has enough: every shown number is then built from whole
        # groups of at least `threshold` answers, and no difference of shown numbers can
        # isolate fewer (for instance after the bank moves a question to another dimension).
        if dimension is None or total.answers < threshold:
            continue
        sums[dimension] += total.score_sum
        counts[dimension] += total.answers
    scores = {
        dimension: DimensionScore(
            one_decimal(sums[dimension], counts[dimension]), counts[dimension]
        )
        for dimension in asked
        if counts[dimension]
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
    )


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
    dimension_of = dimension_of_question(bank)
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
            dimension_of=dimension_of,
            # The stricter of today's threshold and the one the round was answered under.
            threshold=max(threshold, effective_threshold(record.threshold)),
        )
        for record in records
        if record.closed_at is not None
    ]
