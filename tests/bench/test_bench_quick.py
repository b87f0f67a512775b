"""Every benchmark in quick mode, so they never rot: correctness facts only, never timings.

Timings on a shared machine prove nothing in a test; what must hold whatever the machine:
no request failed, every pulse answer was stored once, every DM was sent once, a summary
shows the numbers Python computes from the same answers, and the report has a row for every
figure. PostgreSQL joins when LVM_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench import ack_latency as ack
from bench import clicks, fanout, fanout_workspaces, footprint, registry, runner, summary
from bench.cli import main
from bench.context import RunContext
from bench.report import KEEP_MARKER, write

LABELS = ["SQLite"] + (["PostgreSQL"] if os.environ.get("LVM_TEST_DATABASE_URL") else [])


# The module's tests share one costly run: under pytest-xdist they stay on one worker.
pytestmark = pytest.mark.xdist_group("bench_quick")


@pytest.fixture(scope="module")
def quick_run() -> runner.RunReport:
    return runner.run(
        list(registry.BENCHMARKS),
        quick=True,
        postgres_url=os.environ.get("LVM_TEST_DATABASE_URL") or None,
        log=lambda message: None,
    )


def test_every_benchmark_ran(quick_run: runner.RunReport) -> None:
    assert [section.name for section in quick_run.sections] == list(registry.NAMES)
    failures = {s.name: s.facts["failed"] for s in quick_run.sections if "failed" in s.facts}
    assert failures == {}


def test_acknowledgments_have_no_errors(quick_run: runner.RunReport) -> None:
    facts = quick_run.section(ack.NAME).facts
    for label in LABELS:
        assert facts[f"errors:lvm ({label})"] == 0
        assert facts[f"answered:lvm ({label})"] > 0
    assert facts["errors:baselines"] == 0


def test_every_click_is_answered_and_stored_once(quick_run: runner.RunReport) -> None:
    facts = quick_run.section(clicks.NAME).facts
    for label in LABELS:
        assert facts[f"errors:{label}"] == 0
        assert facts[f"exact:{label}"] is True  # rows = answers, none doubled, last score kept
        assert facts[f"answered:{label}"] == facts[f"members:{label}"]
        assert facts[f"failed_in_log:{label}"] == 0  # double clicks showed nobody an error


def test_every_member_gets_exactly_one_dm(quick_run: runner.RunReport) -> None:
    facts = quick_run.section(fanout.NAME).facts
    for label in LABELS:
        assert facts[f"recipients:{label}"] == facts[f"members:{label}"]
        assert facts[f"once:{label}"] == facts[f"members:{label}"]
        assert facts[f"doubled:{label}"] == 0
        assert facts[f"lost:{label}"] == 0
        # A team this large is read with users.list, not a users.info call a member.
        assert facts[f"read_calls:{label}"]["users.info"] == 0
        assert facts[f"read_calls:{label}"]["users.list"] >= 1
        # Issue 14's slow workspace: every 429 waited out, nothing lost or doubled.
        slow = label + fanout.SLOW_SUFFIX
        assert facts[f"once:{slow}"] == facts[f"recipients:{slow}"] == facts[f"members:{slow}"]
        assert facts[f"doubled:{slow}"] == facts[f"lost:{slow}"] == 0


def test_every_member_of_every_workspace_gets_exactly_one_dm(quick_run: runner.RunReport) -> None:
    facts = quick_run.section(fanout_workspaces.NAME).facts
    labels = [f"{label}, paced per workspace" for label in LABELS] + ["SQLite, as before"]
    for label in labels:
        assert facts[f"once:{label}"] == facts[f"messages:{label}"] > 0
        assert facts[f"doubled:{label}"] == facts[f"lost:{label}"] == 0


def test_footprint_is_measured(quick_run: runner.RunReport) -> None:
    facts = quick_run.section(footprint.NAME).facts
    assert facts["startup_s"] > 0
    assert facts["idle_rss"] > 0


def test_summaries_show_what_python_computes_from_the_same_answers(
    quick_run: runner.RunReport,
) -> None:
    facts = quick_run.section(summary.NAME).facts
    weeks = summary.sizes(RunContext(quick=True, workdir=Path("."))).shape.weeks
    for label in LABELS:
        assert facts[f"answers:{label}"] > 0 and facts[f"answer_rows:{label}"] > 0
        assert facts[f"rounds:{label}"] == weeks  # weeks:104 over a shorter history: all of it
        assert facts[f"all_shown:{label}"] is True
        # Computed from the answers and from the totals the clock stored, both spans.
        assert facts[f"scores_match:{label}"] is True
        assert facts[f"participation_match:{label}"] is True  # as the history wrote it
        assert facts[f"stored_rounds:{label}"] is True


def test_every_summary_request_is_acked_and_delivered(quick_run: runner.RunReport) -> None:
    facts = quick_run.section(summary.NAME).facts
    for label in LABELS:
        requests = facts[f"requests:{label}"]
        assert requests > 0
        assert facts[f"answered_200:{label}"] == requests
        assert facts[f"working_notice:{label}"] == requests
        assert facts[f"delivered:{label}"] == requests  # the summary, then its chart
        assert facts[f"failed_in_log:{label}"] == 0
        assert quick_run.section(footprint.NAME).facts[f"summary_rss:{label}"] > 0


def test_the_report_has_the_machine_and_every_row(quick_run: runner.RunReport) -> None:
    markdown = quick_run.markdown
    for label in ("CPU", "Memory", "Python", "gunicorn", "slack-bolt", "SQLAlchemy"):
        assert f"| {label} |" in markdown
    assert "| PostgreSQL |" in markdown and "| Date |" in markdown
    for section in quick_run.sections:
        assert section.rows, section.name
        for row in section.rows:
            assert f"| {section.title} | {row.figure} | {row.measured} |" in markdown


def test_writing_the_report_keeps_what_was_written_by_hand(
    quick_run: runner.RunReport, tmp_path: Path
) -> None:
    path = tmp_path / "benchmarks.md"
    write(path, quick_run.markdown)
    path.write_text(path.read_text() + "\nNotes by hand.\n")
    write(path, quick_run.markdown)
    text = path.read_text()
    assert text.count(KEEP_MARKER) == 1
    assert text.endswith("Notes by hand.\n")
    assert text.startswith("# Benchmarks")


def test_an_unknown_benchmark_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--only", "nope"]) == 2
    assert "unknown benchmark nope" in capsys.readouterr().err
