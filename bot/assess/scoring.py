"""Scoring a self-assessment: pure arithmetic on the answers and the bank's assessment.

An answer is 1 to 5; a reverse-worded statement scores 6 minus it. A pole's score is the
mean of its statements, a contrast's balance its leading score minus its managing score; the
overall leading and managing scores are the means of every statement on that pole, and the
overall balance decides the lean against the content's threshold. An area's self-rating is
the mean of its statements (what a later view sets beside the team's pulse).

Everything is exact (Fraction), so ties and thresholds are decided without rounding; only
what is shown is rounded, half up to one decimal. Answers to statements the bank no longer
has are ignored, so an old assessment is read with the statements it still shares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from bot.bank import Assessment, AssessmentStatement, Lens, Pole

LOWEST, HIGHEST = 1, 5
AREAS_TO_DEVELOP = 2


class Lean(StrEnum):
    LEADER = "leaning leader"
    MANAGER = "leaning manager"
    BALANCED = "balanced"


def item_score(statement: AssessmentStatement, answer: int) -> int:
    """What an answer counts for its pole: agreeing with a reverse-worded statement lowers it."""
    if not LOWEST <= answer <= HIGHEST:
        raise ValueError(f"an answer is {LOWEST} to {HIGHEST}, not {answer}")
    return LOWEST + HIGHEST - answer if statement.reverse else answer


def _mean(values: list[int]) -> Fraction | None:
    return Fraction(sum(values), len(values)) if values else None


def _difference(leading: Fraction | None, managing: Fraction | None) -> Fraction | None:
    return None if leading is None or managing is None else leading - managing


@dataclass(frozen=True)
class ContrastScore:
    contrast_id: str
    leading: Fraction | None
    managing: Fraction | None

    @property
    def balance(self) -> Fraction | None:
        """Leading minus managing: above 0 leans to the leading pole."""
        return _difference(self.leading, self.managing)


@dataclass(frozen=True)
class AreaScore:
    dimension_id: str
    side: Lens
    rating: Fraction


@dataclass(frozen=True)
class Scores:
    contrasts: tuple[ContrastScore, ...]  # in the content's order
    leading: Fraction | None
    managing: Fraction | None
    areas: tuple[AreaScore, ...]  # in the content's order of areas
    lean: Lean
    to_develop: tuple[str, ...]  # the areas (dimension ids) rated lowest, weakest first

    @property
    def balance(self) -> Fraction | None:
        return _difference(self.leading, self.managing)

    @property
    def area_by_id(self) -> dict[str, AreaScore]:
        return {area.dimension_id: area for area in self.areas}

    @property
    def contrast_by_id(self) -> dict[str, ContrastScore]:
        return {contrast.contrast_id: contrast for contrast in self.contrasts}


def lean_of(balance: Fraction | None, threshold: float) -> Lean:
    # The threshold as written in the content (0.5 is 1/2, 0.3 is 3/10), not as a float.
    limit = Fraction(str(threshold))
    if balance is None:
        return Lean.BALANCED
    if balance >= limit:
        return Lean.LEADER
    if balance <= -limit:
        return Lean.MANAGER
    return Lean.BALANCED


def score(assessment: Assessment, answers: Mapping[str, int]) -> Scores:
    """The scores of one set of answers ({statement id: 1..5})."""
    counted = [
        (statement, item_score(statement, answers[statement.id]))
        for statement in assessment.statements
        if statement.id in answers
    ]

    def pole_mean(pole: Pole, contrast_id: str | None = None) -> Fraction | None:
        return _mean(
            [
                value
                for statement, value in counted
                if statement.pole is pole and contrast_id in (None, statement.contrast)
            ]
        )

    contrasts = tuple(
        ContrastScore(
            contrast.id,
            pole_mean(Pole.LEADING, contrast.id),
            pole_mean(Pole.MANAGING, contrast.id),
        )
        for contrast in assessment.contrasts
    )
    leading, managing = pole_mean(Pole.LEADING), pole_mean(Pole.MANAGING)
    areas = _area_scores(assessment, counted)
    return Scores(
        contrasts=contrasts,
        leading=leading,
        managing=managing,
        areas=areas,
        lean=lean_of(_difference(leading, managing), assessment.lean_threshold),
        to_develop=_to_develop(areas, leading, managing),
    )


def _area_scores(
    assessment: Assessment, counted: list[tuple[AssessmentStatement, int]]
) -> tuple[AreaScore, ...]:
    by_area: dict[str, list[int]] = {}
    sides: dict[str, Lens] = {}
    for statement, value in counted:
        by_area.setdefault(statement.dimension, []).append(value)
        sides[statement.dimension] = statement.pole.side
    ordered = [area.id for area in assessment.areas if area.id in by_area]
    ordered += [area_id for area_id in by_area if area_id not in ordered]
    return tuple(
        AreaScore(area_id, sides[area_id], Fraction(sum(by_area[area_id]), len(by_area[area_id])))
        for area_id in ordered
    )


def _to_develop(
    areas: tuple[AreaScore, ...], leading: Fraction | None, managing: Fraction | None
) -> tuple[str, ...]:
    """The lowest-rated areas; among equals, the weaker side's first, then content order."""
    weaker: Lens | None = None
    if leading is not None and managing is not None and leading != managing:
        weaker = Lens.LEADERSHIP if leading < managing else Lens.MANAGEMENT
    ranked = sorted(
        enumerate(areas),
        key=lambda item: (item[1].rating, item[1].side is not weaker, item[0]),
    )
    return tuple(area.dimension_id for _, area in ranked[:AREAS_TO_DEVELOP])


@dataclass(frozen=True)
class Change:
    """How the balance moved since an earlier assessment: positive is toward leading."""

    overall: Fraction | None
    contrasts: tuple[tuple[str, Fraction], ...]  # (contrast id, change), content order


def change_since(now: Scores, before: Scores) -> Change:
    earlier = before.contrast_by_id
    moves: list[tuple[str, Fraction]] = []
    for contrast in now.contrasts:
        old = earlier.get(contrast.contrast_id)
        if contrast.balance is not None and old is not None and old.balance is not None:
            moves.append((contrast.contrast_id, contrast.balance - old.balance))
    overall = _difference(now.balance, before.balance) if before.balance is not None else None
    return Change(overall=overall, contrasts=tuple(moves))


def one_decimal(value: Fraction) -> Decimal:
    """A shown number: rounded half up (away from zero) to one decimal."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
