"""Read the bank from YAML and cross-check it; every problem names its file and entry."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.bank.models import Bank, Dimension, Lens, Practice, Question, Situation, Topic

MIN_PRACTICES_PER_TOPIC = 4
MIN_PRACTICES_PER_LENS = 40

Model = TypeVar("Model", bound=BaseModel)


class BankError(Exception):
    """The bank has problems; `problems` lists each as "file: entry: what is wrong"."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"the content bank has {len(problems)} problem(s):\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


def default_content_dir() -> Path:
    """The bank shipped in the wheel, or the repository's content/ in a source checkout."""
    package_dir = Path(__file__).resolve().parent.parent
    installed = package_dir / "_bank"
    return installed if installed.is_dir() else package_dir.parent / "content"


def _read_yaml(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        problems.append(f"{path}: cannot be read: {error}".replace("\n", " "))
        return {}
    if not isinstance(data, dict):
        problems.append(f"{path}: should hold a mapping at the top level")
        return {}
    return data


def _entries(
    path: Path, data: dict[str, Any], key: str, model: type[Model], problems: list[str]
) -> list[Model]:
    raw = data.get(key, [])
    if not isinstance(raw, list):
        problems.append(f"{path}: '{key}' should be a list")
        return []
    parsed: list[Model] = []
    for index, entry in enumerate(raw, start=1):
        label = entry.get("id", "?") if isinstance(entry, dict) else "?"
        try:
            parsed.append(model.model_validate(entry))
        except ValidationError as error:
            for detail in error.errors():
                field = ".".join(str(part) for part in detail["loc"]) or "entry"
                problems.append(f"{path}: {key} #{index} '{label}': {field}: {detail['msg']}")
    return parsed


def _duplicates(ids: list[str]) -> list[str]:
    return sorted(item for item, count in Counter(ids).items() if count > 1)


def load_bank(content_dir: Path | None = None) -> Bank:
    """Load and validate the bank, raising BankError listing every problem found."""
    root = content_dir or default_content_dir()
    problems: list[str] = []
    topics_file = root / "topics.yaml"
    if not topics_file.is_file():
        raise BankError([f"{topics_file}: missing (the bank needs its list of topics)"])
    topics_data = _read_yaml(topics_file, problems)
    topics = _entries(topics_file, topics_data, "topics", Topic, problems)
    situations = _entries(topics_file, topics_data, "situations", Situation, problems)

    practice_files = sorted((root / "practices").glob("*.yaml"))
    if not practice_files:
        problems.append(f"{root / 'practices'}: no practice files (*.yaml) found")
    practices: list[Practice] = []
    origin: dict[str, Path] = {}
    for path in practice_files:
        for practice in _entries(path, _read_yaml(path, problems), "practices", Practice, problems):
            practices.append(practice)
            origin.setdefault(practice.id, path)

    dimensions: list[Dimension] = []
    questions: list[Question] = []
    questions_file = root / "questions.yaml"
    if questions_file.is_file():
        questions_data = _read_yaml(questions_file, problems)
        dimensions = _entries(questions_file, questions_data, "dimensions", Dimension, problems)
        questions = _entries(questions_file, questions_data, "questions", Question, problems)

    problems += _cross_check(
        topics, situations, practices, origin, dimensions, questions, topics_file, questions_file
    )
    if problems:
        raise BankError(problems)
    return Bank(
        topics=tuple(topics),
        situations=tuple(situations),
        practices=tuple(practices),
        dimensions=tuple(dimensions),
        questions=tuple(questions),
    )


def _cross_check(
    topics: list[Topic],
    situations: list[Situation],
    practices: list[Practice],
    origin: dict[str, Path],
    dimensions: list[Dimension],
    questions: list[Question],
    topics_file: Path,
    questions_file: Path,
) -> list[str]:
    problems: list[str] = []
    topic_ids = {topic.id for topic in topics}
    situation_ids = {situation.id for situation in situations}
    for duplicate in _duplicates([topic.id for topic in topics]):
        problems.append(f"{topics_file}: topic '{duplicate}' is defined more than once")
    words = Counter(word.lower() for topic in topics for word in [topic.id, *topic.aliases])
    for word, count in sorted(words.items()):
        if count > 1:
            problems.append(f"{topics_file}: '{word}' names more than one topic")
    for duplicate in _duplicates([practice.id for practice in practices]):
        problems.append(f"{origin[duplicate]}: practice id '{duplicate}' is used more than once")
    for practice in practices:
        where = f"{origin[practice.id]}: practice '{practice.id}'"
        for topic_id in practice.topics:
            if topic_id not in topic_ids:
                problems.append(f"{where}: unknown topic '{topic_id}'")
        for situation_id in practice.situations:
            if situation_id not in situation_ids:
                problems.append(f"{where}: unknown situation '{situation_id}'")
    per_topic = Counter(topic_id for practice in practices for topic_id in practice.topics)
    for topic in topics:
        if per_topic[topic.id] < MIN_PRACTICES_PER_TOPIC:
            problems.append(
                f"{topics_file}: topic '{topic.id}' has {per_topic[topic.id]} practice(s); "
                f"it needs at least {MIN_PRACTICES_PER_TOPIC}"
            )
    per_lens = Counter(practice.lens for practice in practices)
    for lens in Lens:
        if per_lens[lens] < MIN_PRACTICES_PER_LENS:
            problems.append(
                f"content: lens '{lens}' has {per_lens[lens]} practice(s); "
                f"it needs at least {MIN_PRACTICES_PER_LENS}"
            )
    problems += _check_questions(dimensions, questions, topic_ids, questions_file)
    return problems


def _check_questions(
    dimensions: list[Dimension],
    questions: list[Question],
    topic_ids: set[str],
    questions_file: Path,
) -> list[str]:
    problems: list[str] = []
    dimension_ids = {dimension.id for dimension in dimensions}
    for duplicate in _duplicates([d.id for d in dimensions]):
        problems.append(f"{questions_file}: dimension '{duplicate}' is defined more than once")
    for duplicate in _duplicates([q.id for q in questions]):
        problems.append(f"{questions_file}: question id '{duplicate}' is used more than once")
    for dimension in dimensions:
        for topic_id in dimension.topics:
            if topic_id not in topic_ids:
                problems.append(
                    f"{questions_file}: dimension '{dimension.id}': unknown topic '{topic_id}'"
                )
    asked = Counter(question.dimension for question in questions)
    defaults = Counter(question.dimension for question in questions if question.default)
    for question in questions:
        if question.dimension not in dimension_ids:
            problems.append(
                f"{questions_file}: question '{question.id}': "
                f"unknown dimension '{question.dimension}'"
            )
    for dimension in dimensions:
        if not asked[dimension.id]:
            problems.append(f"{questions_file}: dimension '{dimension.id}' has no question")
        elif not defaults[dimension.id]:
            problems.append(f"{questions_file}: dimension '{dimension.id}' has no default question")
    return problems
