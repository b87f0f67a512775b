"""`lvm-bot try`, scripted through its input stream as a person would type it."""

from __future__ import annotations

import subprocess
import sys

from tests.test_cli import clean_env

SCRIPT = """\
/lvm tip delegation
2
/lvm pulse setup
:set threshold 3
:submit
:advance 7d
:as maya
4
9
14
19
24
:as sam
5
10
15
20
25
:as lee
3
8
13
18
23
:as kim
:advance 1d
/lvm nonsense
:advance 3d
:as you
/lvm summary
:home
:time
:quit
"""


def run_script(script: str, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "try", "--output-dir", str(tmp_path)],
        input=script,
        cwd=tmp_path,
        env=clean_env(COLUMNS="120"),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_scripted_session_sets_up_a_team_and_runs_a_round(tmp_path):
    result = run_script(SCRIPT, tmp_path)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Try this week:" in out
    assert "Marked helpful" in out
    assert "The pulse for demo-team is set up" in out
    assert out.count("Weekly pulse: demo-team") >= 3  # maya, sam and lee see their DMs
    assert "Recorded 5 of 5" in out  # maya and sam answered everything
    assert out.count("Recorded 5 of 5") >= 3  # maya, sam and lee answered everything
    assert "Friendly reminder" in out  # kim never answered, and is reminded a day later
    assert "I don't know /lvm nonsense" in out
    # The round closed: the manager got the digest, then asked for the summary and its chart.
    assert "The pulse for demo-team closed: 3 of 5 answered" in out
    assert "Participation" in out
    charts = sorted(tmp_path.glob("lvm-chart-*.png"))
    assert charts and charts[-1].read_bytes().startswith(b"\x89PNG")
    assert "Saved the chart" in out and str(charts[-1]) in out.replace("\n", "")
    assert "Traceback" not in result.stderr


def test_mistakes_in_the_session_are_explained_not_fatal(tmp_path):
    result = run_script(
        ":as nobody\n99\n:advance soon\n:set x y\n:frobnicate\nhello\n/lvm tip\n", tmp_path
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "no one called 'nobody'" in out
    assert "no button 99" in out
    assert "duration like 1w" in out
    assert "no form is open" in out
    assert "unknown command :frobnicate" in out
    assert "Commands start with /" in out
    assert "Try this week:" in out
