"""`lvm-bot try`, scripted through its input stream as a person would type it.

The demo's clock starts at `--start`, so each session here is pinned to a moment, and the
walk-throughs run from several: every day of the week, early and late. None may depend on
the day or hour the suite itself runs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.bank import load_bank
from bot.pulse import questions
from tests.support.command_line import clean_env

README = Path(__file__).resolve().parents[2] / "README.md"

# Monday 23 November 2026 onwards: before and after the demo team's Monday 10:00 opening,
# inside and after its three open days, the weekend, and a Sunday in British summer time.
# The scripted session and the README's walk-through take the same steps, so each start is
# tried by one of them: together they cover every moment below.
START_TIMES = [
    pytest.param("2026-11-23T09:00", id="mon-0900"),
    pytest.param("2026-11-24T14:00", id="tue-1400"),
    pytest.param("2026-11-26T10:00", id="thu-1000"),
    pytest.param("2026-11-27T12:00", id="fri-1200"),
    pytest.param("2026-11-28T08:00", id="sat-0800"),
    pytest.param("2026-06-14T23:45", id="sun-2345-summer"),
]
README_START_TIMES = [
    pytest.param("2026-11-23T10:30", id="mon-1030"),
    pytest.param("2026-11-25T09:59", id="wed-0959"),
    pytest.param("2026-11-26T19:07", id="thu-1907"),
    pytest.param("2026-11-29T23:30", id="sun-2330"),
]

SCRIPT = """\
/lvm tip delegation
2
/lvm pulse setup
:set threshold 3
:submit
:next
:as maya
4
9
14
19
24
29
:as sam
5
10
15
20
25
30
:as lee
3
8
13
18
23
28
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


def run_script(
    script: str, tmp_path: Path, start: str | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "try", "--output-dir", str(tmp_path)]
        + (["--start", start] if start else []),
        input=script,
        cwd=tmp_path,
        env=clean_env(COLUMNS="120"),
        capture_output=True,
        text=True,
        timeout=120,
    )


def readme_walkthrough() -> str:
    """The block the README's quick start asks a new user to type, exactly as written."""
    text = README.read_text(encoding="utf-8")
    found = re.search(
        r"<!-- tests/app/test_try\.py runs the block below.*?-->\n```text\n(.*?)```", text, re.S
    )
    assert found, "README.md lost its walk-through block"
    return found.group(1)


def assert_chart_saved(out: str, tmp_path: Path) -> None:
    charts = sorted(tmp_path.glob("lvm-demo-team-*.png"), key=lambda p: p.stat().st_mtime)
    assert charts and charts[-1].read_bytes().startswith(b"\x89PNG")
    assert "Saved the chart" in out and str(charts[-1]) in out.replace("\n", "")
    assert "alt text: None" not in out


@pytest.mark.parametrize("start", START_TIMES)
def test_a_scripted_session_sets_up_a_team_and_runs_a_round(tmp_path, start):
    result = run_script(SCRIPT, tmp_path, start)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Try this week:" in out
    assert "Marked helpful" in out
    assert "The pulse for demo-team is set up" in out
    assert "Time moved on to the next scheduled moment" in out
    assert out.count("Weekly pulse: demo-team") >= 3  # maya, sam and lee see their DMs
    assert out.count("Recorded 6 of 6") >= 3  # maya, sam and lee answered everything
    assert "Friendly reminder" in out  # kim never answered, and is reminded a day later
    assert "I don't know /lvm nonsense" in out
    # The round closed: the manager got the digest, then asked for the summary and its chart.
    assert "The pulse for demo-team closed: 3 of 4 answered" in out
    assert "Participation" in out
    assert_chart_saved(out, tmp_path)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("start", README_START_TIMES)
def test_the_readme_walkthrough_works_whatever_the_day(tmp_path, start):
    result = run_script(readme_walkthrough(), tmp_path, start)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Marked helpful" in out
    assert "The pulse for demo-team is set up" in out
    # A member answered this week's pulse...
    # The README's walk-through answers five of the default's six: a statement has five or
    # six buttons ("Didn't come up"), and 4, 9, 14, 19 and 25 fall on the first five
    # statements whichever of them have six, so this holds in every week of the rotation.
    assert "maya> 25" in out and "Recorded 5 of 6" in out
    # ...and the manager saw a summary of the seeded weeks, with its chart saved.
    assert "Pulse summary: demo-team" in out
    assert "1 of 4 answered so far" in out  # you, the manager, are not asked
    assert_chart_saved(out, tmp_path)
    assert "Traceback" not in result.stderr


def test_the_start_time_is_checked(tmp_path):
    result = run_script(":time\n", tmp_path, "next tuesday")
    assert result.returncode == 2
    assert "is not a date and time; use e.g. 2026-11-26T19:00" in result.stderr
    assert "Traceback" not in result.stderr


def test_mistakes_in_the_session_are_explained_not_fatal(tmp_path):
    script = (
        ":time\n:next\n:time\n"
        ":as nobody\n99\n:advance soon\n:set x y\n:frobnicate\nhello\n/lvm tip\n:home\n"
    )
    result = run_script(script, tmp_path, "2026-11-29T23:30+01:00")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    # The greeting names the way through the week, whatever day it is.
    assert ":next moves the clock to the next round" in out.replace("\n", " ")
    # The demo's clock starts at --start, in UTC.
    assert "Sunday 29 November 2026, 22:30 UTC" in out
    # With nothing set up, :next says so, having moved time on as far as it looked.
    assert "Nothing was due in the next 8 days" in out
    assert "Set up a pulse (/lvm pulse setup)" in out
    assert "Monday 07 December 2026, 22:30 UTC" in out
    assert "no one called 'nobody'" in out
    assert "there is no button 99 on screen; :dms shows your direct messages" in out
    assert "duration like 1w" in out
    assert "no form is open" in out
    assert "unknown command :frobnicate" in out
    assert "Commands start with /" in out
    assert "Try this week:" in out
    # The App Home tab is named as such, not with Slack's placeholder "View Title".
    assert "lvm · App Home" in out and "View Title" not in out


def test_a_piped_session_waits_for_the_app_before_it_shows_and_before_it_ends(tmp_path):
    # The input ends right after a command whose chart is still being drawn: no :quit.
    script = ":seed\n/lvm summary\n:time\n/lvm summary\n"
    result = run_script(script, tmp_path, "2026-11-26T19:07")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    # Each chart shows with its own command, not after the next line...
    assert out.index("Saved the chart") < out.index("you> :time")
    # ...and the last is saved before the session ends, with nothing cut off.
    assert out.count("Saved the chart") == 2
    assert_chart_saved(out, tmp_path)
    assert "Traceback" not in result.stderr
    assert "Connection refused" not in result.stderr + out


def test_seed_after_a_member_opted_out_adds_history_and_the_session_goes_on(tmp_path):
    script = (
        "/lvm pulse setup\n:set threshold 3\n:submit\n"
        ":as maya\n/lvm pulse optout\n:as you\n:seed\n:seed\n/lvm summary\n"
        ":next\n:seed\n:time\n"
    )
    result = run_script(script, tmp_path, "2026-11-26T19:07")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "NotARecipient" not in out
    assert "Added 12 weeks of pulse history" in out
    assert "No history added: #demo-team already has it." in out
    assert "Pulse summary: demo-team" in out
    assert_chart_saved(out, tmp_path)
    assert "No history added: #demo-team has a round open now" in out
    assert "Monday 30 November 2026, 10:00 UTC" in out  # the session went on to the end


def test_uploads_are_saved_as_what_they_are_and_never_over_a_file(tmp_path):
    (tmp_path / "lvm-demo-team-2026-11-27.png").write_bytes(b"a chart from an earlier session")
    script = (
        "/lvm pulse setup\n:set threshold 3\n:submit\n:seed\n"
        "/lvm summary export\n/lvm summary\n/lvm summary\n"
    )
    result = run_script(script, tmp_path, "2026-11-27T12:00")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    exports = list(tmp_path.glob("*.csv"))
    assert [p.name for p in exports] == ["lvm-demo-team-2026-11-27.csv"]
    assert exports[0].read_text().splitlines()[0].count(",") >= 3  # a header row of columns
    assert "Saved the file" in out and str(exports[0]) in out.replace("\n", "")
    assert "alt text: None" not in out
    assert (tmp_path / "lvm-demo-team-2026-11-27.png").read_bytes().startswith(b"a chart")
    saved = sorted(p.name for p in tmp_path.glob("lvm-demo-team-2026-11-27-*.png"))
    assert saved == ["lvm-demo-team-2026-11-27-2.png", "lvm-demo-team-2026-11-27-3.png"]


def test_a_pulse_dm_can_be_answered_after_typing_other_things(tmp_path):
    script = (
        "/lvm pulse setup\n:set threshold 3\n:submit\n:next\n"
        ":as maya\n/lvm tip\n:time\n4\n:time\n9\n:dms\n:as you\n:as maya\n14\n"
    )
    result = run_script(script, tmp_path, "2026-11-26T19:07")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "no button" not in out and "no longer there" not in out
    assert "Recorded 3 of 6" in out  # 4, 9 and 14 each answered a question
    # The tip's buttons got numbers of their own, after the DM's (how many the DM has
    # depends on the week's statements: some offer "Didn't come up").
    [comment] = {int(n) for n in re.findall(r"\[(\d+)\] Add a comment", out)}
    assert f"[{comment + 1}] Another tip" in out
    # :dms shows the DM as it is now, with the numbers it had.
    again = out[out.index("maya> :dms") : out.index("maya> :as you")]
    assert "Recorded 2 of 6" in again
    assert "[4] 4 · Agree" in again and f"[{comment}] Add a comment" in again


def test_news_for_others_is_told_once_in_plain_words(tmp_path):
    script = (
        "/lvm pulse setup\n:set threshold 3\n:submit\n:as maya\n:next\n"
        ":time\n/lvm tip\n:advance 3d\n:time\n"
    )
    result = run_script(script, tmp_path, "2026-11-28T08:00")
    out = result.stdout
    # Told once when the DMs go out; not again after each later line, only for new ones.
    quiet = out[out.index("maya> :time") : out.index("maya> :advance 3d")]
    assert "sam has a new message (:as sam to see)." in out
    assert "new message" not in quiet
    assert re.search(r"you have (a new message|\d+ new messages) \(:as you to see\)\.", out)
    assert "you has" not in out and "message(s)" not in out


def test_the_interactive_prompt_has_line_editing_and_history(tmp_path):
    """At a terminal, the up arrow brings back the last line (readline), as in a shell."""
    import os
    import pty
    import select

    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "try", "--start", "2026-11-26T19:07"],
        stdin=child,
        stdout=child,
        stderr=child,
        cwd=tmp_path,
        env=clean_env(COLUMNS="120", TERM="xterm"),
        close_fds=True,
    )
    os.close(child)
    seen = b""

    def read_until(needle: bytes, count: int = 1) -> None:
        nonlocal seen
        while seen.count(needle) < count:
            ready, _, _ = select.select([main], [], [], 30)
            assert ready, f"waited for {needle!r}; the terminal shows: {seen[-500:]!r}"
            try:
                seen += os.read(main, 4096)
            except OSError:  # the session ended
                break

    try:
        read_until(b"you>")
        os.write(main, b":time\r")
        read_until(b"19:07 UTC")
        os.write(main, b"\x1b[A\r")  # up arrow, then Enter: the same line again
        read_until(b"19:07 UTC", count=2)
        os.write(main, b":quit\r")
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
        os.close(main)
    assert seen.count(b"Thursday 26 November 2026, 19:07 UTC") == 2


def test_the_readme_answers_five_statements_in_every_week_of_the_rotation():
    """Whichever week the walk-through opens, its button numbers land on five statements."""
    bank = load_bank()
    pressed = [
        int(line) for line in readme_walkthrough().split(":as maya\n")[1].split(":as")[0].split()
    ]
    for week in range(questions.rotation(bank).statement_cycle):
        first_button, statement_of = 1, {}
        for position, statement in enumerate(questions.rotating_default(bank, week)):
            buttons = 6 if statement.conditional else 5
            for number in range(first_button, first_button + buttons):
                statement_of[number] = position
            first_button += buttons
        assert len({statement_of[number] for number in pressed}) == 5, week


def test_a_self_assessment_can_be_taken_retaken_and_planned_in_the_demo(tmp_path):
    # The form's sixteen statements are answered in order with :fill (a mistake first), then
    # a week of the plan is added, Home shows the result, and "Retake" shows the change.
    script = (
        "/lvm assess\n:fill 1 2\n:submit\n"
        ":fill 4 2 2 3 5 4 1 4 3 2 4 3 4 5 2 5\n:submit\n"
        "1\n:home\n4\n:fill 3\n:submit\n:quit\n"
    )
    result = run_script(script, tmp_path, "2026-11-26T19:07")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "this form has 16 fields: give one value for each" in out
    assert "required input" in out and "Slack would not let the person submit" in out
    assert "Filled 16 fields" in out
    assert "only visible to you in #demo-team" in out
    assert "You are leaning leader." in out and "0.6 toward leading." in out
    assert "Clearing the way (you rate yourself 1.0 of 5)" in out
    assert "In your plan" in out  # button 1 added week 1
    assert "lvm · App Home" in out and "Your balance: leading and managing" in out
    assert "Since last time" in out and "you moved 0.6 toward managing overall." in out
    charts = sorted(tmp_path.glob("lvm-balance-2026-11-26*.png"))
    assert len(charts) == 2 and all(c.read_bytes().startswith(b"\x89PNG") for c in charts)
    assert "Saved the chart 'Your balance between leading and managing'" in out
    assert "Traceback" not in result.stderr


def readme_balance_walkthrough() -> str:
    """The README's second block: the self-assessment and the situation guide."""
    text = README.read_text(encoding="utf-8")
    found = re.search(
        r"<!-- tests/app/test_try\.py runs this balance block.*?-->\n```text\n(.*?)```", text, re.S
    )
    assert found, "README.md lost its balance walk-through block"
    return found.group(1)


@pytest.mark.parametrize("start", README_START_TIMES[::3])
def test_the_readme_balance_walkthrough_works_whatever_the_day(tmp_path, start):
    result = run_script(readme_balance_walkthrough(), tmp_path, start)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Your balance: leading and managing" in out
    assert "In your plan" in out  # button 1 added the plan's first week
    assert sorted(tmp_path.glob("lvm-balance-*.png"))
    assert "A reorganization was announced" in out and "Style that fits:" in out
    assert "Complex or unclear work" in out.split("Style that fits:")[0].split("you> :submit")[-1]
    assert "Made for this moment" in out
