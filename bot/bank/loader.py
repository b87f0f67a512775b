"""Read the bank from YAML and cross-check it; every problem names its file and entry."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.bank.models import (
    About,
    Assessment,
    AssessmentArea,
    AssessmentStatement,
    Bank,
    Contrast,
    Dimension,
    LeadershipStyle,
    Lens,
    Practice,
    Question,
    Situation,
    SituationEvent,
    SituationFactor,
    SituationGuide,
    Topic,
)
from bot.bank.situation_guide import check_situation_guide

MIN_PRACTICES_PER_TOPIC = 4
MIN_PRACTICES_PER_LENS = 40
# A focus on a dimension offers a practice, "Another tip" and nudges from its pool: six keep
# that from repeating within a few weeks.
MIN_PRACTICES_PER_DIMENSION = 6

# The self-assessment (content/assessment.yaml): how many statements it asks, and at least
# how many per contrast (one on each pole).
ASSESSMENT_STATEMENTS = (12, 16)
MIN_STATEMENTS_PER_CONTRAST = 2
# The articles' contrasts are the topics named "<leading>-vs-<managing>" in topics.yaml.
CONTRAST_TOPIC = re.compile(r"^[a-z0-9-]+-vs-[a-z0-9-]+$")

# libyaml's safe loader where PyYAML was built with it: the same documents, read ten times
# faster, which every process start and content check pays.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
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
        label = (entry.get("id") or entry.get("situation", "?")) if isinstance(entry, dict) else "?"
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
    contrasts: list[Contrast] = []
    followups: list[Question] = []
    questions_file = root / "questions.yaml"
    if questions_file.is_file():
        questions_data = _read_yaml(questions_file, problems)
        contrasts = _entries(questions_file, questions_data, "contrasts", Contrast, problems)
        dimensions = _entries(questions_file, questions_data, "dimensions", Dimension, problems)
        questions = _entries(questions_file, questions_data, "questions", Question, problems)
        followups = _entries(questions_file, questions_data, "followups", Question, problems)

    problems += _cross_check(
        topics, situations, practices, origin, dimensions, questions, topics_file, questions_file
    )
    problems += _check_statements(contrasts, dimensions, questions, topics, questions_file)
    problems += _check_practice_dimensions(practices, origin, dimensions, questions_file)
    problems += _check_followups(dimensions, questions, followups, questions_file)
    guide = _read_situation_guide(root, topics, situations, practices, problems)
    assessment = _load_assessment(root / "assessment.yaml", topics, dimensions, problems)
    if problems:
        raise BankError(problems)
    return Bank(
        topics=tuple(topics),
        situations=tuple(situations),
        practices=tuple(practices),
        dimensions=tuple(dimensions),
        questions=tuple(questions),
        contrasts=tuple(contrasts),
        followups=tuple(followups),
        situation_guide=guide,
        assessment=assessment,
    )


def _read_situation_guide(
    root: Path,
    topics: list[Topic],
    situations: list[Situation],
    practices: list[Practice],
    problems: list[str],
) -> SituationGuide:
    """content/situation_guide.yaml: what `/lvm situation` asks and how it answers."""
    path = root / "situation_guide.yaml"
    if not path.is_file():
        problems.append(f"{path}: missing (`/lvm situation` answers from it)")
        return SituationGuide()
    data = _read_yaml(path, problems)
    guide = SituationGuide(
        factors=tuple(_entries(path, data, "factors", SituationFactor, problems)),
        styles=tuple(_entries(path, data, "styles", LeadershipStyle, problems)),
        events=tuple(_entries(path, data, "events", SituationEvent, problems)),
    )
    problems += check_situation_guide(guide, path, topics, situations, practices)
    return guide


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
    for duplicate in _duplicates([situation.id for situation in situations]):
        problems.append(f"{topics_file}: situation '{duplicate}' is defined more than once")
    # A situation's alias leads `/lvm tip <word>` to it, so it must not be a topic's word too
    # (the topic would win) nor name two situations.
    situation_words = Counter(
        word.lower() for situation in situations for word in [situation.id, *situation.aliases]
    )
    for situation in situations:
        for alias in situation.aliases:
            if alias.lower() in words or situation_words[alias.lower()] > 1:
                problems.append(
                    f"{topics_file}: situation '{situation.id}': alias '{alias}' also names "
                    "a topic or another situation"
                )
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
        for situation_id in practice.only_when:
            if situation_id not in situation_ids:
                problems.append(
                    f"{where}: only_when: unknown situation '{situation_id}' (the situations "
                    f"are in {topics_file.name})"
                )
    # The minimums count what a request may get at random: event-bound practices are not.
    at_random = [practice for practice in practices if not practice.event_bound]
    per_topic = Counter(topic_id for practice in at_random for topic_id in practice.topics)
    for topic in topics:
        if per_topic[topic.id] < MIN_PRACTICES_PER_TOPIC:
            problems.append(
                f"{topics_file}: topic '{topic.id}' has {per_topic[topic.id]} practice(s) "
                f"served at random; it needs at least {MIN_PRACTICES_PER_TOPIC}"
            )
    per_lens = Counter(practice.lens for practice in at_random)
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
    for question in questions:
        if question.dimension is None:
            if not question.retired:
                problems.append(
                    f"{questions_file}: question '{question.id}': has no dimension "
                    "(only a retired statement may fit none)"
                )
        elif question.dimension not in dimension_ids:
            problems.append(
                f"{questions_file}: question '{question.id}': "
                f"unknown dimension '{question.dimension}'"
            )
    asked = [question for question in questions if not question.retired]
    for dimension in dimensions:
        anchors = [q.id for q in asked if q.dimension == dimension.id and q.anchor]
        if len(anchors) != 1:
            problems.append(
                f"{questions_file}: dimension '{dimension.id}' has {len(anchors)} anchor "
                "statement(s); it needs exactly one (asked whenever the dimension is, so its "
                "trend compares like with like)"
            )
    for question in questions:
        if question.anchor and question.conditional:
            problems.append(
                f"{questions_file}: question '{question.id}': an anchor cannot be conditional "
                "(its area would go unmeasured whenever the event did not come up)"
            )
        if question.retired and question.anchor:
            problems.append(
                f"{questions_file}: question '{question.id}': a retired statement cannot be "
                "an anchor"
            )
    return problems


def _check_statements(
    contrasts: list[Contrast],
    dimensions: list[Dimension],
    questions: list[Question],
    topics: list[Topic],
    questions_file: Path,
) -> list[str]:
    """Every statement about the lead names its side and contrast, and every contrast has a
    statement on each side: the balance between leading and managing is read from them."""
    problems: list[str] = []
    topic_ids = {topic.id for topic in topics}
    contrast_ids = {contrast.id for contrast in contrasts}
    for duplicate in _duplicates([c.id for c in contrasts]):
        problems.append(f"{questions_file}: contrast '{duplicate}' is defined more than once")
    for contrast in contrasts:
        if contrast.id not in topic_ids:
            problems.append(f"{questions_file}: contrast '{contrast.id}' is not a topic")
    dimension_by_id = {dimension.id: dimension for dimension in dimensions}
    sides = {Lens.LEADERSHIP, Lens.MANAGEMENT}
    for dimension in dimensions:
        if dimension.about is About.LEAD and dimension.side not in sides:
            problems.append(
                f"{questions_file}: dimension '{dimension.id}': a dimension about the lead "
                "is on the leadership or the management side"
            )
    covered: set[tuple[str, Lens]] = set()
    for question in questions:
        dimension = dimension_by_id.get(question.dimension or "")
        where = f"{questions_file}: question '{question.id}'"
        if question.contrast is not None and question.contrast not in contrast_ids:
            problems.append(f"{where}: unknown contrast '{question.contrast}'")
        if question.side is not None and question.side not in sides:
            problems.append(f"{where}: side is 'leadership' or 'management'")
        if dimension is None or dimension.about is not About.LEAD or question.retired:
            continue
        if question.side is None or question.contrast is None:
            problems.append(f"{where}: a statement about the lead needs its side and its contrast")
            continue
        if question.side != dimension.side:
            problems.append(
                f"{where}: side '{question.side}' differs from its dimension's ('{dimension.side}')"
            )
        covered.add((question.contrast, question.side))
    for contrast in contrasts:
        for side in (Lens.LEADERSHIP, Lens.MANAGEMENT):
            if (contrast.id, side) not in covered:
                problems.append(
                    f"{questions_file}: contrast '{contrast.id}' has no statement about the "
                    f"lead on the {side} side"
                )
    if any(d.about is About.LEAD for d in dimensions) and not contrasts:
        problems.append(f"{questions_file}: no contrasts: statements about the lead need them")
    return problems


def _check_practice_dimensions(
    practices: list[Practice],
    origin: dict[str, Path],
    dimensions: list[Dimension],
    questions_file: Path,
) -> list[str]:
    """Each practice names only known dimensions, and each dimension has a pool of practices
    that act on its statements, for a focus on it to draw from."""
    problems: list[str] = []
    dimension_ids = {dimension.id for dimension in dimensions}
    for practice in practices:
        for dimension_id in practice.dimensions:
            if dimension_id not in dimension_ids:
                problems.append(
                    f"{origin[practice.id]}: practice '{practice.id}': unknown dimension "
                    f"'{dimension_id}' (the dimensions are in {questions_file.name})"
                )
    # A focus draws only from practices that may be served at random.
    per_dimension = Counter(
        d for practice in practices if not practice.event_bound for d in set(practice.dimensions)
    )
    for dimension in dimensions:
        count = per_dimension[dimension.id]
        if count < MIN_PRACTICES_PER_DIMENSION:
            problems.append(
                f"{questions_file}: dimension '{dimension.id}' has {count} practice(s) that act "
                f"on its statements and are not bound to a situation; it needs at least "
                f"{MIN_PRACTICES_PER_DIMENSION} (list it under `dimensions:` of the practices "
                "in content/practices/*.yaml that fit)"
            )
    return problems


def _check_followups(
    dimensions: list[Dimension],
    questions: list[Question],
    followups: list[Question],
    questions_file: Path,
) -> list[str]:
    """One follow-up statement per dimension about the lead, and nothing else: the team is
    asked it once after a commitment on that dimension falls due, so it must exist for every
    dimension a manager can commit on, and stay out of every rotation and area value."""
    problems: list[str] = []
    question_ids = {question.id for question in questions}
    for duplicate in _duplicates([f.id for f in followups]):
        problems.append(f"{questions_file}: follow-up id '{duplicate}' is used more than once")
    dimension_by_id = {dimension.id: dimension for dimension in dimensions}
    per_dimension = Counter(f.dimension for f in followups)
    for followup in followups:
        where = f"{questions_file}: follow-up '{followup.id}'"
        if followup.id in question_ids:
            problems.append(f"{where}: its id is also a pulse statement's")
        dimension = dimension_by_id.get(followup.dimension or "")
        if dimension is None or dimension.about is not About.LEAD:
            problems.append(f"{where}: needs the `dimension` about the lead it follows up")
        extras = [
            name
            for name, value in (
                ("side", followup.side),
                ("contrast", followup.contrast),
                ("anchor", followup.anchor),
                ("conditional", followup.conditional),
                ("retired", followup.retired),
            )
            if value
        ]
        if extras:
            problems.append(
                f"{where}: a follow-up holds only id, dimension and text; remove "
                + ", ".join(extras)
            )
    for dimension in dimensions:
        if dimension.about is not About.LEAD:
            continue
        count = per_dimension[dimension.id]
        if count != 1:
            problems.append(
                f"{questions_file}: dimension '{dimension.id}' has {count} follow-up "
                "statement(s) under `followups:`; it needs exactly one"
            )
    return problems


def _load_assessment(
    path: Path, topics: list[Topic], dimensions: list[Dimension], problems: list[str]
) -> Assessment | None:
    """Read and check content/assessment.yaml; its problems are added to `problems`."""
    if not path.is_file():
        problems.append(f"{path}: missing (`/lvm assess` asks its statements)")
        return None
    data = _read_yaml(path, problems)
    contrasts = _entries(path, data, "contrasts", Contrast, problems)
    areas = _entries(path, data, "areas", AssessmentArea, problems)
    statements = _entries(path, data, "statements", AssessmentStatement, problems)
    found = len(problems)
    problems += _check_assessment(path, contrasts, areas, statements, topics, dimensions)
    try:
        assessment = Assessment.model_validate(
            {
                **{key: data.get(key) for key in Assessment.model_fields},
                "contrasts": contrasts,
                "areas": areas,
                "statements": statements,
            }
        )
    except ValidationError as error:
        for detail in error.errors():
            field = ".".join(str(part) for part in detail["loc"]) or "file"
            problems.append(f"{path}: {field}: {detail['msg']}")
        return None
    return assessment if len(problems) == found else None


def _check_assessment(
    path: Path,
    contrasts: list[Contrast],
    areas: list[AssessmentArea],
    statements: list[AssessmentStatement],
    topics: list[Topic],
    dimensions: list[Dimension],
) -> list[str]:
    """The self-assessment's rules: every contrast of the articles asked on both poles, each
    statement on a known area of its pole's side, both sides with a reverse-worded statement,
    and every area about the lead asked and given its advice."""
    problems: list[str] = []
    for duplicate in _duplicates([s.id for s in statements]):
        problems.append(f"{path}: statement id '{duplicate}' is used more than once")
    for duplicate in _duplicates([c.id for c in contrasts]):
        problems.append(f"{path}: contrast '{duplicate}' is defined more than once")
    for duplicate in _duplicates([a.id for a in areas]):
        problems.append(f"{path}: area '{duplicate}' is defined more than once")
    fewest, most = ASSESSMENT_STATEMENTS
    if not fewest <= len(statements) <= most:
        problems.append(
            f"{path}: has {len(statements)} statement(s); it asks {fewest} to {most} "
            "(a short form is one people finish)"
        )
    articles = [topic.id for topic in topics if CONTRAST_TOPIC.match(topic.id)]
    listed = {contrast.id for contrast in contrasts}
    for contrast in contrasts:
        if contrast.id not in articles:
            problems.append(
                f"{path}: contrast '{contrast.id}' is not one of the contrasts (the topics "
                f"named '<leading>-vs-<managing>' in topics.yaml: {', '.join(articles)})"
            )
    for topic_id in articles:
        if topic_id not in listed:
            problems.append(f"{path}: contrast '{topic_id}' has no entry under `contrasts:`")
    lead_areas = {d.id: d for d in dimensions if d.about is About.LEAD}
    poles: Counter[tuple[str, str]] = Counter()
    asked_areas: set[str] = set()
    reversed_sides: set[str] = set()
    for statement in statements:
        where = f"{path}: statement '{statement.id}'"
        if statement.contrast not in listed:
            problems.append(f"{where}: unknown contrast '{statement.contrast}'")
        dimension = lead_areas.get(statement.dimension)
        if dimension is None:
            problems.append(
                f"{where}: unknown dimension '{statement.dimension}' (it names an area about "
                f"the lead in questions.yaml: {', '.join(lead_areas)})"
            )
        elif dimension.side != statement.pole.side:
            problems.append(
                f"{where}: dimension '{dimension.id}' is on the {dimension.side} side, not "
                f"the side of its pole '{statement.pole}'"
            )
        poles[(statement.contrast, statement.pole)] += 1
        asked_areas.add(statement.dimension)
        if statement.reverse:
            reversed_sides.add(statement.pole)
    for contrast in contrasts:
        count = poles[(contrast.id, "leading")] + poles[(contrast.id, "managing")]
        missing = [pole for pole in ("leading", "managing") if not poles[(contrast.id, pole)]]
        if count < MIN_STATEMENTS_PER_CONTRAST or missing:
            problems.append(
                f"{path}: contrast '{contrast.id}' has {count} statement(s)"
                + (f", none on the {' or '.join(missing)} pole" if missing else "")
                + f"; it needs at least {MIN_STATEMENTS_PER_CONTRAST}, one on each pole"
            )
    for pole in ("leading", "managing"):
        if pole not in reversed_sides:
            problems.append(
                f"{path}: no reverse-worded statement on the {pole} pole; it needs at least "
                "one, so that agreeing with everything does not read as strength"
            )
    for area_id in lead_areas:
        if area_id not in asked_areas:
            problems.append(f"{path}: area '{area_id}' is asked by no statement")
        if area_id not in {area.id for area in areas}:
            problems.append(f"{path}: area '{area_id}' has no entry under `areas:` (its advice)")
    for area in areas:
        if area.id not in lead_areas:
            problems.append(f"{path}: area '{area.id}' is not an area about the lead")
    return problems
