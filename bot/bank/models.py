"""Typed models of the content bank. Field limits keep every text inside Block Kit's."""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

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

    @property
    def primary_topic(self) -> str:
        return self.topics[0]


class Topic(_Entry):
    id: Slug
    name: OneLine
    description: OneLine
    aliases: list[str] = []


class Situation(_Entry):
    id: Slug
    description: OneLine


class Dimension(_Entry):
    id: Slug
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=40)]
    side: Lens
    description: OneLine
    topics: Annotated[list[Slug], Field(min_length=1)]


class Question(_Entry):
    id: Slug
    dimension: Slug
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=150)]
    default: bool = False


class Bank(BaseModel):
    """Everything in content/, cross-checked by bot.bank.loader before it is handed out."""

    model_config = ConfigDict(frozen=True)

    topics: tuple[Topic, ...]
    situations: tuple[Situation, ...]
    practices: tuple[Practice, ...]
    dimensions: tuple[Dimension, ...] = ()
    questions: tuple[Question, ...] = ()

    @cached_property
    def practice_by_id(self) -> dict[str, Practice]:
        return {practice.id: practice for practice in self.practices}

    @cached_property
    def dimension_by_id(self) -> dict[str, Dimension]:
        return {dimension.id: dimension for dimension in self.dimensions}

    @cached_property
    def question_by_id(self) -> dict[str, Question]:
        return {question.id: question for question in self.questions}

    @cached_property
    def topic_by_id(self) -> dict[str, Topic]:
        return {topic.id: topic for topic in self.topics}

    def practices_for_topic(self, topic_id: str) -> list[Practice]:
        return [practice for practice in self.practices if topic_id in practice.topics]

    def practices_for_lens(self, lens: Lens) -> list[Practice]:
        return [practice for practice in self.practices if practice.lens in (lens, Lens.BOTH)]
