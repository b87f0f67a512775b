"""Typed models of the content bank. Field limits keep every text inside Block Kit's."""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
OneLine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=150)]


class Lens(StrEnum):
    LEADERSHIP = "leadership"
    MANAGEMENT = "management"
    BOTH = "both"


class Form(StrEnum):
    ONE_ON_ONE_QUESTION = "one-on-one-question"
    EXERCISE = "exercise"
    MEETING_RITUAL = "meeting-ritual"
    REFLECTION = "reflection"
    EXPERIMENT = "experiment"
    MESSAGE = "message"


class About(StrEnum):
    """Whom a pulse area is about: the lead's behavior, the team's conditions, or the outcome
    ("I'd want to keep working for my lead"), which belongs to neither side."""

    LEAD = "lead"
    TEAM = "team"
    OUTCOME = "outcome"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Practice(_Entry):
    id: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=80)]
    insight: Annotated[str, StringConstraints(strip_whitespace=True, min_length=40, max_length=600)]
    try_this: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=40, max_length=600)
    ]
    lens: Lens
    topics: Annotated[list[Slug], Field(min_length=1, max_length=4)]
    form: Form
    minutes: Annotated[int, Field(ge=1, le=240)]
    situations: list[Slug] = []
    # The pulse dimensions whose statements this practice directly acts on (curated, not
    # derived from topics): a focus on a dimension draws its practices from these.
    dimensions: list[Slug] = []
    # The situations outside which this practice makes no sense (after an incident, before a
    # deadline): it is never served at random, only to a request that names one of them.
    only_when: list[Slug] = []
    # Asks something in every 1:1 of the week: two of these too close together wear the
    # 1:1s out, so choosing a tip spaces them (bot.tips.service.SPACING).
    every_one_on_one: bool = False

    @field_validator("try_this")
    @classmethod
    def _no_repeated_label(cls, value: str) -> str:
        # Shown after the label "Try this week:", so "This week, ..." would say it twice.
        if value.lower().startswith("this week"):
            raise ValueError(
                "starts with 'This week', which its label 'Try this week:' already says; "
                "start with what to do"
            )
        return value

    @model_validator(mode="after")
    def _every_one_on_one_is_asked_there(self) -> Practice:
        if self.every_one_on_one and self.form is not Form.ONE_ON_ONE_QUESTION:
            raise ValueError(
                "every_one_on_one is for a question asked in each 1:1; "
                f"this practice's form is '{self.form}'"
            )
        return self

    @property
    def primary_topic(self) -> str:
        return self.topics[0]

    @property
    def event_bound(self) -> bool:
        """Fits only in the situations `only_when` names, so is never served at random."""
        return bool(self.only_when)

    def fits(self, situation_id: str) -> bool:
        """Whether this practice is meant for a situation, bound to it or only tagged with it."""
        return situation_id in self.only_when or situation_id in self.situations


class Topic(_Entry):
    id: Slug
    name: OneLine
    description: OneLine
    aliases: list[str] = []


class Situation(_Entry):
    id: Slug
    description: OneLine
    # Other words that name the situation in `/lvm tip <words>` ("outage" for crisis).
    aliases: list[str] = []


class Contrast(_Entry):
    """One of the articles' contrasts between leading and managing; `id` is its topic."""

    id: Slug
    leading: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=40)]
    managing: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=40)]


Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=60)]
Guidance = Annotated[str, StringConstraints(strip_whitespace=True, min_length=20, max_length=240)]


class SituationFactor(_Entry):
    """What a situation can be like (`/lvm situation` offers each as a checkbox); it pulls
    toward one side of the role, for the reason `why` gives."""

    id: Slug
    label: Label
    side: Lens
    why: OneLine
    # Where a practice for this side of the situation is drawn from.
    topics: Annotated[list[Slug], Field(min_length=1)]


class LeadershipStyle(_Entry):
    """One of the four styles, with the factors (and events) it helps with and hurts."""

    id: Slug
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=40)]
    topic: Slug
    helps: list[Slug] = []
    hurts: list[Slug] = []
    helps_after: list[Slug] = []
    hurts_after: list[Slug] = []
    guidance: Guidance
    caution: Guidance


class SituationEvent(_Entry):
    """A moment with practices bound to it, offered as "What just happened?"."""

    situation: Slug
    label: Label
    implies: Annotated[list[Slug], Field(min_length=1)]


class SituationGuide(BaseModel):
    """content/situation_guide.yaml, cross-checked by bot.bank.situation_guide."""

    model_config = ConfigDict(frozen=True)

    factors: tuple[SituationFactor, ...] = ()
    styles: tuple[LeadershipStyle, ...] = ()
    events: tuple[SituationEvent, ...] = ()

    @cached_property
    def factor_by_id(self) -> dict[str, SituationFactor]:
        return {factor.id: factor for factor in self.factors}

    @cached_property
    def event_by_situation(self) -> dict[str, SituationEvent]:
        return {event.situation: event for event in self.events}


class Dimension(_Entry):
    id: Slug
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=40)]
    side: Lens
    about: About = About.TEAM
    description: OneLine
    topics: Annotated[list[Slug], Field(min_length=1)]


class Question(_Entry):
    """A pulse statement, rated 1 (strongly disagree) to 5 (strongly agree).

    A retired statement is never asked again but stays so that the rounds that asked it keep
    their meaning; its `dimension` is where it still fits, or None where it fits nowhere.
    """

    id: Slug
    dimension: Slug | None = None
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=150)]
    side: Lens | None = None
    contrast: Slug | None = None
    # The statement a dimension is always asked with, so its trend compares like with like.
    anchor: bool = False
    # About something that may not have happened in the period: offers "didn't come up".
    conditional: bool = False
    retired: bool = False


class Pole(StrEnum):
    """A contrast's two ends, as the self-assessment names them."""

    LEADING = "leading"
    MANAGING = "managing"

    @property
    def side(self) -> Lens:
        """The pulse's side for this pole (its areas are on that side)."""
        return Lens.LEADERSHIP if self is Pole.LEADING else Lens.MANAGEMENT


class AssessmentStatement(_Entry):
    """A first-person statement of `/lvm assess`, rated 1 to 5.

    It speaks to one pole of a contrast (a topic id) and one area about the lead on that
    pole's side; a `reverse` statement is worded against its pole, so agreeing lowers it.
    """

    id: Slug
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=150)]
    contrast: Slug
    pole: Pole
    dimension: Slug
    reverse: bool = False


class AssessmentArea(_Entry):
    """An area about the lead a result may ask the person to develop, and where to start."""

    id: Slug
    advice: Annotated[str, StringConstraints(strip_whitespace=True, min_length=20, max_length=200)]


ScaleLabel = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]


class Assessment(_Entry):
    """content/assessment.yaml, checked by bot.bank.loader: the scale's words, the lean
    thresholds, each contrast's poles, the areas' advice and the statements."""

    # The words for 1 to 5, in order.
    scale: Annotated[tuple[ScaleLabel, ...], Field(min_length=5, max_length=5)]
    # The overall balance (leading minus managing) at or beyond which a person leans.
    lean_threshold: Annotated[float, Field(gt=0, le=4)]
    # A contrast's balance at or beyond which it leans to one pole.
    contrast_lean_threshold: Annotated[float, Field(gt=0, le=4)]
    contrasts: tuple[Contrast, ...]
    areas: tuple[AssessmentArea, ...]
    statements: tuple[AssessmentStatement, ...]

    @cached_property
    def contrast_by_id(self) -> dict[str, Contrast]:
        return {contrast.id: contrast for contrast in self.contrasts}

    @cached_property
    def area_by_id(self) -> dict[str, AssessmentArea]:
        return {area.id: area for area in self.areas}

    @cached_property
    def statement_by_id(self) -> dict[str, AssessmentStatement]:
        return {statement.id: statement for statement in self.statements}

    def label_of(self, score: int) -> str:
        """ "4 · Agree": an answer's number and its words."""
        return f"{score} · {self.scale[score - 1]}"


class Bank(BaseModel):
    """Everything in content/, cross-checked by bot.bank.loader before it is handed out."""

    model_config = ConfigDict(frozen=True)

    topics: tuple[Topic, ...]
    situations: tuple[Situation, ...]
    practices: tuple[Practice, ...]
    dimensions: tuple[Dimension, ...] = ()
    questions: tuple[Question, ...] = ()
    contrasts: tuple[Contrast, ...] = ()
    # One-off statements about the lead, one per dimension about the lead: asked once, in the
    # round after a manager's commitment on that dimension falls due ("Lately, my lead has").
    # Never in a rotation, a pinned set or an area's value.
    followups: tuple[Question, ...] = ()
    # What `/lvm situation` asks and how it answers.
    situation_guide: SituationGuide = SituationGuide()
    # The self-assessment (content/assessment.yaml); None only in banks built without it.
    assessment: Assessment | None = None

    @cached_property
    def practice_by_id(self) -> dict[str, Practice]:
        return {practice.id: practice for practice in self.practices}

    @cached_property
    def dimension_by_id(self) -> dict[str, Dimension]:
        return {dimension.id: dimension for dimension in self.dimensions}

    def practice_title(self, practice_id: str) -> str:
        """A practice's title, or plain words when the bank no longer holds it (a stored
        commitment or plan outlives a content edit; its id means nothing to a reader)."""
        practice = self.practice_by_id.get(practice_id)
        return practice.title if practice else "a practice no longer in lvm's content"

    def dimension_name(self, dimension_id: str) -> str:
        """An area's name, or plain words when the bank no longer measures it."""
        dimension = self.dimension_by_id.get(dimension_id)
        return dimension.name if dimension else "an area lvm no longer measures"

    @cached_property
    def question_by_id(self) -> dict[str, Question]:
        """Every statement a round may hold: the pulse statements and the follow-ups."""
        return {question.id: question for question in (*self.questions, *self.followups)}

    @cached_property
    def followup_by_dimension(self) -> dict[str, Question]:
        return {q.dimension: q for q in self.followups if q.dimension is not None}

    @cached_property
    def contrast_by_id(self) -> dict[str, Contrast]:
        return {contrast.id: contrast for contrast in self.contrasts}

    @cached_property
    def asked_questions(self) -> tuple[Question, ...]:
        """The statements a round may ask: every one not retired."""
        return tuple(question for question in self.questions if not question.retired)

    def anchor_of(self, dimension_id: str) -> Question:
        return next(q for q in self.asked_questions if q.dimension == dimension_id and q.anchor)

    @cached_property
    def topic_by_id(self) -> dict[str, Topic]:
        return {topic.id: topic for topic in self.topics}

    @cached_property
    def situation_by_id(self) -> dict[str, Situation]:
        return {situation.id: situation for situation in self.situations}

    @cached_property
    def practices_at_random(self) -> tuple[Practice, ...]:
        """The practices a request that names no situation may get: all but the event-bound."""
        return tuple(practice for practice in self.practices if not practice.event_bound)

    def practices_for_topic(self, topic_id: str) -> list[Practice]:
        """A topic's practices that may be served at random (no event-bound ones)."""
        return [p for p in self.practices_at_random if topic_id in p.topics]

    def practices_for_dimension(self, dimension_id: str) -> list[Practice]:
        """The practices that act on a dimension's statements, in the bank's order; the
        event-bound are left out, since a focus is not a situation."""
        return [p for p in self.practices_at_random if dimension_id in p.dimensions]

    def practices_for_lens(self, lens: Lens) -> list[Practice]:
        return [p for p in self.practices_at_random if p.lens in (lens, Lens.BOTH)]

    def practices_for_situation(self, situation_id: str) -> list[Practice]:
        """Every practice meant for a situation: the ones bound to it first, then the ones
        only tagged with it (what `/lvm tip <situation>` and `/lvm situation` offer)."""
        bound = [p for p in self.practices if situation_id in p.only_when]
        tagged = [p for p in self.practices if not p.event_bound and situation_id in p.situations]
        return bound + tagged
