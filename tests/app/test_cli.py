"""`lvm-bot` as a person runs it: clear one-line errors, content check, migrations, serve."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.bank import default_content_dir
from slack_standin import FakeSlackServer, SlackSide, Workspace
from tests.support.command_line import clean_env, free_port, lvm_bot
from tests.support.harness import ALICE, SIGNING_SECRET, TEAM_CHANNEL, populate, text_of


def test_help_lists_every_command(tmp_path):
    result = lvm_bot("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("serve", "db", "content", "scheduler"):
        assert command in result.stdout


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxp-a-user-token"}, "SLACK_BOT_TOKEN is malformed"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "PORT": "http"}, "PORT is malformed"),
    ],
)
def test_configuration_errors_are_one_clear_line(tmp_path, env, expected):
    result = lvm_bot("serve", cwd=tmp_path, **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_content_check_summarizes_the_bank(tmp_path):
    result = lvm_bot("content", "check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "content bank OK" in result.stdout
    assert "practices per topic" in result.stdout
    assert "practices per pulse dimension" in result.stdout


def test_content_check_names_file_and_entry_and_fails(tmp_path):
    broken = tmp_path / "content"
    shutil.copytree(default_content_dir(), broken)
    path = broken / "practices" / "contrasts.yaml"
    path.write_text(path.read_text().replace("lens: leadership", "lens: wizardry", 1))
    result = lvm_bot("content", "check", "--dir", str(broken), cwd=tmp_path)
    assert result.returncode == 1
    assert "contrasts.yaml" in result.stderr and "lens" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_migrates_an_empty_database(tmp_path):
    result = lvm_bot(
        "db", "upgrade", cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/fresh.sqlite3"
    )
    assert result.returncode == 0, result.stderr
    assert "empty ->" in result.stdout
    again = lvm_bot(
        "db", "upgrade", cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/fresh.sqlite3"
    )
    assert again.returncode == 0 and "empty" not in again.stdout


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"lvm-bot serve exited: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as reply:
                return json.load(reply)
        except OSError:
            time.sleep(0.1)  # polling a starting server, not timing the code under test
    raise AssertionError("lvm-bot serve did not become healthy")


@pytest.mark.own_clock  # the server checks our signatures' timestamps against its own clock
def test_serve_answers_a_signed_tip_behind_gunicorn(tmp_path):
    workspace = Workspace()
    populate(workspace)
    with FakeSlackServer(workspace) as fake:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(port)],
            cwd=tmp_path,
            env=clean_env(
                SLACK_BOT_TOKEN=fake.bot_token,
                SLACK_SIGNING_SECRET=SIGNING_SECRET,
                SLACK_API_URL=fake.api_url,
                DATABASE_URL=f"sqlite:///{tmp_path}/lvm.sqlite3",
                XDG_CONFIG_HOME=str(tmp_path / "config"),  # the pulse secret goes here
                WEB_CONCURRENCY="1",
                LVM_THREADS="4",
                LVM_SCHEDULER="off",
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            assert wait_until_healthy(url, process) == {"status": "ok", "database": "ok"}
            slack = SlackSide(url + "/slack/events", SIGNING_SECRET, workspace, fake)
            response = slack.command(ALICE, "tip delegation", channel_id=TEAM_CHANNEL)
            assert response.status == 200
            assert "Try this week" in text_of(workspace.last_message_for(ALICE))
            forged = slack.post_raw(
                b"text=tip", {"Content-Type": "application/x-www-form-urlencoded"}
            )
            assert forged.status == 401
        finally:
            process.terminate()
            process.wait(timeout=20)
    # The master checked the token once before forking; the worker built its App (auth.test).
    assert len(workspace.calls_to("auth.test")) >= 2


def children_of(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as listing:
        return [int(child) for child in listing.read().split()]


@pytest.mark.own_clock  # the server checks our signatures' timestamps against its own clock
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc for the workers")
def test_serve_on_sqlite_is_one_worker_with_the_clock_in_it(tmp_path):
    # SQLite's writers queue within one process, and no fork meets a clock that is writing.
    workspace = Workspace()
    populate(workspace)
    with FakeSlackServer(workspace) as fake:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(port)],
            cwd=tmp_path,
            env=clean_env(
                SLACK_BOT_TOKEN=fake.bot_token,
                SLACK_SIGNING_SECRET=SIGNING_SECRET,
                SLACK_API_URL=fake.api_url,
                DATABASE_URL=f"sqlite:///{tmp_path}/lvm.sqlite3",
                XDG_CONFIG_HOME=str(tmp_path / "config"),
                WEB_CONCURRENCY="3",  # applies to PostgreSQL only
                LVM_THREADS="4",
                LVM_SCHEDULER="on",
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            assert wait_until_healthy(url, process) == {"status": "ok", "database": "ok"}
            slack = SlackSide(url + "/slack/events", SIGNING_SECRET, workspace, fake)
            assert slack.command(ALICE, "tip delegation", channel_id=TEAM_CHANNEL).status == 200
            assert "Try this week" in text_of(workspace.last_message_for(ALICE))
            workers = children_of(process.pid)
        finally:
            process.terminate()
            _, log = process.communicate(timeout=20)
    assert len(workers) == 1, log
    assert log.count("lvm clock ticking") == 1, log
    assert "database is locked" not in log


def test_serve_refuses_to_start_with_a_broken_bank(tmp_path):
    broken = tmp_path / "content"
    shutil.copytree(default_content_dir(), broken)
    (broken / "topics.yaml").write_text("topics: []\nsituations: []\n")
    result = lvm_bot(
        "serve",
        cwd=tmp_path,
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        LVM_CONTENT_DIR=str(broken),
    )
    assert result.returncode == 1
    assert "unknown topic" in result.stderr
    assert "Traceback" not in result.stderr
