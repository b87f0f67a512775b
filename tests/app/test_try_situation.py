"""`lvm-bot try` walks through `/lvm situation`: the form, its error, the answer and its tips."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.command_line import clean_env

START = "2026-11-26T19:07"
SCRIPT = """\
/lvm situation
:submit
:set event crisis
:set factors Big change or uncertainty, routine
:submit
1
:quit
"""


def test_a_scripted_session_asks_about_a_situation_and_gets_advice(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "try", "--output-dir", str(tmp_path), "--start", START],
        input=SCRIPT,
        cwd=tmp_path,
        env=clean_env(COLUMNS="120"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "What is the situation like?" in out and "What just happened?" in out
    assert "factors: Tick at least one thing" in out  # submitted with nothing chosen
    # change, routine (ticked), efficiency and coordination (the crisis): 1 for leading, 3 for
    # managing; autocratic helps with efficiency, coordination and the crisis.
    assert "Lean on managing" in out and "1 of what you described calls for leading, 3" in out
    assert "Style that fits: Autocratic." in out
    assert "Made for this moment: An outage or another crisis." in out
    assert "[1] Another tip" in out and "[5] Another tip" in out
    assert "you> 1" in out and out.count("Try this week:") == 3  # "Another tip" answered
    assert "Traceback" not in result.stderr
