"""Every way lvm starts checks the tokens first and stops with one line when they fail.

Real `lvm-bot` processes against the local Slack stand-in: a wrong bot token over Socket Mode
(the README's `make run`), over HTTP and in the clock; a wrong app-level token; Slack out of
reach; an empty SLACK_APP_TOKEN. Each exits 2 with one line that names the key and what to do.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.platform.config import Settings
from bot.platform.secret import OLD_SECRET_SUFFIX, secret_file
from slack_standin import FakeSlackServer, Workspace
from tests.support.command_line import free_port, lvm_bot
from tests.support.harness import SIGNING_SECRET

WRONG_BOT_TOKEN = "xoxb-well-formed-but-revoked"


def one_line(result) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("lvm-bot:")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr
    # Before it, at most informational log lines (the database being migrated, say).
    assert all(" INFO " in line for line in lines[:-1]), result.stderr
    return errors[0]


@pytest.fixture
def fake():
    with FakeSlackServer(Workspace()) as server:
        yield server


def run(tmp_path, *args: str, **env: str):
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path}/lvm.sqlite3")
    env.setdefault("LVM_SCHEDULER", "off")
    return lvm_bot(*args, cwd=tmp_path, timeout=60, **env)


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        ((), {"SLACK_APP_TOKEN": "from-the-fake"}),  # Socket Mode, as `make run`
        (("serve",), {"SLACK_SIGNING_SECRET": SIGNING_SECRET}),
        (("scheduler",), {}),
    ],
    ids=["socket-mode", "serve", "scheduler"],
)
def test_a_wrong_bot_token_stops_every_start_path_with_one_line(tmp_path, fake, args, extra):
    if extra.get("SLACK_APP_TOKEN"):
        extra = {**extra, "SLACK_APP_TOKEN": fake.app_token}
    result = run(
        tmp_path,
        *args,
        SLACK_BOT_TOKEN=WRONG_BOT_TOKEN,
        SLACK_API_URL=fake.api_url,
        **extra,
    )
    line = one_line(result)
    assert "SLACK_BOT_TOKEN was refused by Slack (invalid_auth)" in line
    assert "OAuth & Permissions" in line


def test_a_wrong_app_token_stops_socket_mode_with_one_line(tmp_path, fake):
    result = run(
        tmp_path,
        SLACK_BOT_TOKEN=fake.bot_token,
        SLACK_APP_TOKEN="xapp-well-formed-but-wrong",
        SLACK_API_URL=fake.api_url,
    )
    line = one_line(result)
    assert "SLACK_APP_TOKEN was refused by Slack (invalid_auth)" in line
    assert "App-Level Tokens" in line


@pytest.mark.parametrize(
    ("args", "extra"),
    [((), {"SLACK_APP_TOKEN": "xapp-1"}), (("scheduler",), {})],
    ids=["socket-mode", "scheduler"],
)
def test_slack_out_of_reach_stops_with_one_line(tmp_path, args, extra):
    nowhere = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there
    result = run(tmp_path, *args, SLACK_BOT_TOKEN="xoxb-1", SLACK_API_URL=nowhere, **extra)
    line = one_line(result)
    assert f"cannot reach Slack at {nowhere}" in line and "SLACK_API_URL" in line


def test_an_empty_app_token_says_socket_mode_needs_it(tmp_path, fake):
    """`.env.example` leaves SLACK_APP_TOKEN empty: that must not turn into a complaint
    about a signing secret the person never meant to need."""
    result = run(tmp_path, SLACK_BOT_TOKEN=fake.bot_token, SLACK_APP_TOKEN="")
    line = one_line(result)
    assert "SLACK_APP_TOKEN is not set (or empty)" in line
    assert "Socket Mode" in line and "SLACK_SIGNING_SECRET" in line


REPOSITORY = Path(__file__).resolve().parents[2]


def test_the_secret_file_made_by_make_run_stays_out_of_the_checkout(monkeypatch):
    """`make run` keeps the secret in the user's config folder; one an older version left
    beside the default database (moved on the next start) is still ignored by git."""
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    assert not secret_file().is_relative_to(REPOSITORY)
    if not (REPOSITORY / ".git").exists():
        pytest.skip("not a git checkout")
    default_url = make_url(Settings.model_fields["DATABASE_URL"].default)
    old = Path(default_url.database or "").with_suffix(OLD_SECRET_SUFFIX)
    assert not old.is_absolute()  # relative: it landed in the directory `make run` ran in
    ignored = subprocess.run(["git", "check-ignore", "--no-index", "-q", str(old)], cwd=REPOSITORY)
    assert ignored.returncode == 0, f"{old} would show up in `git status`"


def test_env_example_says_the_secret_is_required_with_postgresql():
    text = (REPOSITORY / ".env.example").read_text()
    note = text[: text.index("LVM_SECRET_KEY=")].rsplit("# ---", 1)[-1]
    assert "REQUIRED with PostgreSQL" in note and "more than one process" in note
