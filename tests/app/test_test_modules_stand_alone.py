"""No test module imports another (docs/architecture.md, "Tests"): what tests share lives in
`tests/support/` (or a folder's `conftest.py`), so a helper is found where its name says, and
renaming or trimming one test file never breaks another folder's tests."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent


def owning_test_module(name: str) -> str | None:
    """`tests.<folder>.test_*` when `name` is that module or something inside it."""
    parts = name.split(".")
    if parts[0] != "tests":
        return None
    ends = next((i for i, part in enumerate(parts) if part.startswith("test_")), None)
    return None if ends is None else ".".join(parts[: ends + 1])


def imported_names(source: str, module: str) -> list[str]:
    """Every module (or module attribute) `module`'s source imports, relative imports resolved
    against its package."""
    package = module.split(".")[:-1]
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            start = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            names.append(start)
            # `from tests.assess import test_privacy` imports the module by its last name.
            names += [f"{start}.{alias.name}" for alias in node.names]
    return names


def imported_test_modules(source: str, module: str) -> list[str]:
    found = {owning_test_module(name) for name in imported_names(source, module)}
    return sorted(name for name in found if name)


def test_no_module_under_tests_imports_a_test_module():
    checked = sorted(TESTS.rglob("*.py"))
    assert len(checked) > 100 and TESTS / "support" / "harness.py" in checked
    found = []
    for path in checked:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for name in imported_test_modules(path.read_text(encoding="utf-8"), module):
            found.append(f"{path.relative_to(ROOT)} imports {name}")
    assert found == [], "move what they share into tests/support/"


def test_the_check_sees_every_way_of_importing_a_test_module():
    source = "\n".join(
        [
            "from tests.summary.test_manager_summary import FIRST_MONDAY",
            "import tests.assess.test_privacy",
            "from tests.assess import test_plan_sharing",
            "from .test_plan_weeks import ADD",
            "from . import test_forged_plan_buttons as forged",
            "from tests.support.harness import ALICE",
            "from tests.support import plan_weeks",
            "from . import conftest",
            "import pytest",
        ]
    )
    assert imported_test_modules(source, "tests.assess.test_example") == [
        "tests.assess.test_forged_plan_buttons",
        "tests.assess.test_plan_sharing",
        "tests.assess.test_plan_weeks",
        "tests.assess.test_privacy",
        "tests.summary.test_manager_summary",
    ]
