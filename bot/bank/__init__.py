"""The content bank: practices, topics, situations and pulse questions, loaded from YAML."""

from bot.bank.loader import BankError, default_content_dir, load_bank
from bot.bank.models import (
    About,
    Bank,
    Contrast,
    Dimension,
    Lens,
    Practice,
    Question,
    Situation,
    Topic,
)

__all__ = [
    "About",
    "Bank",
    "BankError",
    "Contrast",
    "Dimension",
    "Lens",
    "Practice",
    "Question",
    "Situation",
    "Topic",
    "default_content_dir",
    "load_bank",
]
