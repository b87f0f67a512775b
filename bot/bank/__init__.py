"""The content bank: practices, topics, situations and pulse questions, loaded from YAML."""

from bot.bank.loader import BankError, default_content_dir, load_bank
from bot.bank.models import (
    About,
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

__all__ = [
    "About",
    "Bank",
    "BankError",
    "Contrast",
    "Dimension",
    "LeadershipStyle",
    "Lens",
    "Practice",
    "Question",
    "Situation",
    "SituationEvent",
    "SituationFactor",
    "SituationGuide",
    "Topic",
    "default_content_dir",
    "load_bank",
]
