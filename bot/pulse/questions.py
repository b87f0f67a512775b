"""Which questions a round asks: a team's pinned set, or a default that rotates weekly."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from bot.bank import About, Bank, Lens, Question

# Six one-click statements keep the DM under two minutes; the default always asks this many.
DEFAULT_SIZE = 6
MIN_QUESTIONS = 3
MAX_QUESTIONS = 6
SIDES = (Lens.LEADERSHIP, Lens.MANAGEMENT)


class QuestionSetError(ValueError):
    pass


@dataclass(frozen=True)
class Rotation:
    """The rotating default laid out once: `weeks[i]` is asked in every week whose index is i
    modulo len(weeks). Every area is asked once in each `area_cycle` weeks, every statement
    at least once in `len(weeks)` weeks."""

    area_cycle: int
    weeks: tuple[tuple[Question, ...], ...]

    @property
    def statement_cycle(self) -> int:
        return len(self.weeks)


def rotation(bank: Bank, size: int = DEFAULT_SIZE) -> Rotation:
    """Lay out the rotating default; `rotating_default` documents what it guarantees."""
    dimensions = _dealing_order(bank)
    area_cycle = max(1, math.ceil(len(dimensions) / size))
    areas_of_week: list[list[str]] = [[] for _ in range(area_cycle)]
    for position, dimension in enumerate(dimensions):
        areas_of_week[position % area_cycle].append(dimension)
    anchors = [[bank.anchor_of(d) for d in areas] for areas in areas_of_week]
    others = _interleaved_by_side(
        [q for q in bank.asked_questions if not q.anchor and q.dimension is not None], bank
    )
    # Least recently asked first: statements not asked yet, in order, then again from the start.
    queue = list(others)
    unasked = set(others)
    weeks: list[tuple[Question, ...]] = []
    # Whole area cycles until every other statement has had a week, or none could be placed
    # (every area in every week: no spare slot a non-anchor statement may take).
    while True:
        left = len(unasked)
        for anchored in anchors:
            week = _fill(anchored, size, queue)
            unasked.difference_update(week)
            weeks.append(week)
        if not unasked or len(unasked) == left:
            break
    return Rotation(area_cycle=area_cycle, weeks=tuple(weeks))


def _dealing_order(bank: Bank) -> list[str]:
    """Areas about the lead side by side, then the rest: dealt round the weeks in this order,
    each week of an area cycle gets areas from both sides (while each side has as many areas
    as the cycle has weeks) and the weeks differ in size by one at most."""
    about_lead = [d for d in bank.dimensions if d.about is About.LEAD]
    by_side = [[d.id for d in about_lead if d.side is side] for side in SIDES]
    rest = [d.id for d in bank.dimensions if d not in about_lead or d.side not in SIDES]
    return [*by_side[0], *by_side[1], *rest]


def _interleaved_by_side(questions: list[Question], bank: Bank) -> list[Question]:
    def side(q: Question) -> int:
        dimension = bank.dimension_by_id[q.dimension or ""]
        return SIDES.index(q.side) if q.side in SIDES and dimension.about is About.LEAD else 2

    groups = [[q for q in questions if side(q) == index] for index in range(3)]
    woven: list[Question] = []
    for round_ in range(max((len(g) for g in groups), default=0)):
        woven += [group[round_] for group in groups if round_ < len(group)]
    return woven


def _fill(anchored: list[Question], size: int, queue: list[Question]) -> tuple[Question, ...]:
    """A week's anchors, then spare slots from the front of `queue` (moved to its back once
    asked), only with statements of areas whose anchor the week asks: an area's value is read
    from its anchor when the round asked it, so another statement of the same area adds to
    the sides and contrasts without starting the area's series over (a statement asked
    without its anchor would be read as the area's value that week)."""
    week = list(anchored)
    for question in list(queue):
        if len(week) >= size:
            break
        if not any(q.dimension == question.dimension for q in anchored):
            continue
        if any(q.dimension == question.dimension for q in week[len(anchored) :]):
            continue  # a second spare slot goes to another area
        week.append(question)
        queue.remove(question)
        queue.append(question)
    return tuple(week)


def rotating_default(bank: Bank, week_index: int) -> list[Question]:
    """The default statements for one week: a pure function of the bank and `week_index`.

    With today's bank (13 areas, 6 statements a week) the invariants read: every area within
    3 weeks, every active statement within 15. In general, for any run of consecutive weeks:
    - every area is asked exactly once in each `area_cycle` = ceil(areas / 6) weeks, and always
      with its anchor (`bank.anchor_of`), so each area's trend compares one statement with
      itself;
    - a week asks a non-anchor statement only together with its area's anchor, at most one
      area twice, and no retired statement;
    - every week asks statements about the lead from both the leading and the managing side
      (given at least `area_cycle` areas on each side);
    - every week asks `DEFAULT_SIZE` statements (fewer only if the bank cannot fill them);
    - the spare slots walk the non-anchor statements, so each is asked within
      `statement_cycle` weeks (a whole number of area cycles).
    """
    weeks = rotation(bank).weeks
    return list(weeks[week_index % len(weeks)])


def describe_default(bank: Bank) -> str:
    """The rotating default in a few words, read off the rotation itself so it stays true."""
    laid_out = rotation(bank)
    return (
        f"{DEFAULT_SIZE} a week: every area within {laid_out.area_cycle} weeks, always with "
        f"the same statement, and every statement within {laid_out.statement_cycle} weeks"
    )


def pinned_still_valid(bank: Bank, question_ids: list[str]) -> bool:
    """Whether a set pinned earlier would still be accepted today."""
    try:
        validate_pinned(bank, question_ids)
    except QuestionSetError:
        return False
    return True


def validate_pinned(bank: Bank, question_ids: list[str]) -> list[str]:
    """A team's own set, checked; every refusal says what to change."""
    retired = [bank.question_by_id[qid] for qid in question_ids if qid in _retired(bank)]
    if retired:
        shown = "; ".join(f"“{question.text}”" for question in retired)
        raise QuestionSetError(f"No longer asked, so remove it and pick another: {shown}")
    # A follow-up is asked once, after a commitment falls due: never in a team's own set.
    unknown = [qid for qid in question_ids if qid not in _pinnable(bank)]
    if unknown:
        raise QuestionSetError(
            f"Pick statements from the list; these are unknown: {', '.join(unknown)}."
        )
    chosen = list(dict.fromkeys(question_ids))
    if not MIN_QUESTIONS <= len(chosen) <= MAX_QUESTIONS:
        raise QuestionSetError(
            f"Pick between {MIN_QUESTIONS} and {MAX_QUESTIONS} questions, so answering takes "
            "under two minutes (or none, for the rotating default)."
        )
    missing = [side for side in SIDES if not _covers(bank, chosen, side)]
    if missing:
        raise QuestionSetError(_missing_side_message(missing))
    return chosen


def _pinnable(bank: Bank) -> set[str]:
    return {q.id for q in bank.questions}


def _retired(bank: Bank) -> set[str]:
    return {q.id for q in bank.questions if q.retired}


def _covers(bank: Bank, chosen: list[str], side: Lens) -> bool:
    return any(_lead_side(bank, bank.question_by_id[qid]) is side for qid in chosen)


def _lead_side(bank: Bank, question: Question) -> Lens | None:
    dimension = bank.dimension_by_id.get(question.dimension or "")
    return question.side if dimension is not None and dimension.about is About.LEAD else None


def _missing_side_message(missing: list[Lens]) -> str:
    """Under the 150 characters a form error shows: what to add, and why."""
    if len(missing) > 1:
        return (
            "Add a statement about how you lead (a “Leading · …” group) and one about how you "
            "manage (“Managing · …”): without them, both scores go missing."
        )
    verb, group = ("lead", "Leading") if missing[0] is Lens.LEADERSHIP else ("manage", "Managing")
    return (
        f"Add a statement about how you {verb} (from a “{group} · …” group): without one, "
        f"your {missing[0]} score goes missing."
    )


def week_index(period: str) -> int:
    """A running week number from an ISO period like "2026-W48": consecutive ISO weeks get
    consecutive numbers, across the end of a year too, so the rotation keeps its cycles."""
    year, week = period.split("-W")
    return date.fromisocalendar(int(year), int(week), 1).toordinal() // 7
