"""What people read: one spelling (US English), labels that don't repeat their text, and a
manifest that describes the whole app."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.bank import BankError, default_content_dir, load_bank

REPOSITORY = Path(__file__).resolve().parents[2]

# British spellings of words lvm uses, or might: each has a US form the project uses instead.
BRITISH = re.compile(
    r"\b(\w*(?:isation|isations)|prioritis\w*|organis\w*|summaris\w*|recognis\w*|"
    r"normalis\w*|analys(?:e|ed|es|ing)|behaviour\w*|colour\w*|favour\w*|honour\w*|"
    r"labour\w*|neighbour\w*|centre\w*|catalogue\w*|judgement|acknowledgement\w*|"
    r"cancelled|cancelling|labelled|labelling|modelled|modelling|relabelled|travelling|"
    r"misspelt|learnt|whilst|amongst|grey|maths|licence|programme)\b",
    re.IGNORECASE,
)


def checked_files() -> list[Path]:
    roots = [REPOSITORY / "content", REPOSITORY / "bot", REPOSITORY / "docs"]
    files = [p for root in roots for p in root.rglob("*") if p.suffix in (".py", ".yaml", ".md")]
    extra = ("README.md", "manifest.yml", ".env.example")
    return [*files, *(REPOSITORY / name for name in extra)]


def test_one_spelling_throughout_us_english():
    found = []
    for path in checked_files():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if line.strip().startswith("aliases:"):
                continue  # aliases are what people may type, British spellings included
            found += [
                f"{path.relative_to(REPOSITORY)}:{number}: {m}" for m in BRITISH.findall(line)
            ]
    assert found == []


def test_a_british_spelling_still_finds_its_topic(bank):
    from bot.tips.service import read_query

    assert read_query(bank, "prioritisation").topic.id == "prioritization"
    assert read_query(bank, "organising").topic.id == "planning"


def test_no_practice_repeats_its_label(bank):
    """Shown after "Try this week:", a practice that starts "This week, ..." says it twice."""
    assert [p.id for p in bank.practices if p.try_this.lower().startswith("this week")] == []


def test_the_bank_refuses_a_practice_that_repeats_its_label(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    path = content / "practices" / "contrasts.yaml"
    text = path.read_text()
    path.write_text(re.sub(r"(try_this: >-\n\s+)(\w)", r"\1This week, \2", text, count=1))
    with pytest.raises(BankError, match="Try this week"):
        load_bank(content)


def test_the_manifest_describes_every_use_and_listens_to_its_dm():
    manifest = yaml.safe_load((REPOSITORY / "manifest.yml").read_text())
    described = manifest["display_information"]["long_description"]
    for command in ("/lvm tip", "/lvm nudge", "/lvm pulse", "/lvm summary"):
        assert command in described
    assert len(described) <= 4000  # Slack's limit
    # The messages tab is open (`/lvm nudge` works there), so lvm reads and answers it.
    assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is False
    assert "message.im" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert "im:history" in manifest["oauth_config"]["scopes"]["bot"]
