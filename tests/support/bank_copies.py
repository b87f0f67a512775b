"""Edits to a copy of the bank (tests/bank/conftest.py `content`), and what the loader says."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot.bank import BankError, load_bank


def edit_practices(content: Path, name: str, change: Callable[[list[dict]], None]) -> None:
    path = content / "practices" / name
    data = yaml.safe_load(path.read_text())
    change(data["practices"])
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def problems_of(content: Path) -> list[str]:
    with pytest.raises(BankError) as raised:
        load_bank(content)
    return raised.value.problems


def edit_statements(content: Path, change: Callable[[dict], None]) -> None:
    """Change questions.yaml of the copy: `change` gets the whole file's mapping."""
    path = content / "questions.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def edit_situation_guide(content: Path, change: Callable[[dict], None]) -> None:
    """Change situation_guide.yaml of the copy: `change` gets the whole file's mapping."""
    path = content / "situation_guide.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def edit_assessment(content: Path, change: Callable[[dict], None]) -> None:
    """Change assessment.yaml of the copy: `change` gets the whole file's mapping."""
    path = content / "assessment.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
