"""A copy of the shipped bank that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.bank import default_content_dir


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(default_content_dir(), target)
    return target
