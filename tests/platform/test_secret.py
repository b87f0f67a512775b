"""The pulse secret of a SQLite install lives in the user's configuration folder, not beside
the database, so a copy of the data folder cannot link answers to people."""

from __future__ import annotations

import stat

import pytest

from bot.platform.config import ConfigError, Settings
from bot.platform.database import Database
from bot.platform.secret import pulse_secret, secret_file


@pytest.fixture
def folders(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    data = tmp_path / "data"
    data.mkdir()
    return tmp_path / "config", data


def settings() -> Settings:
    return Settings(_env_file=None, LVM_SECRET_KEY=None)


def test_a_new_install_keeps_its_secret_in_the_config_folder_owner_only(folders):
    config, data = folders
    database = Database(f"sqlite:///{data}/lvm.sqlite3")
    secret = pulse_secret(settings(), database)
    assert secret_file() == config / "lvm" / "secret"
    assert secret_file().read_text().strip() == secret and len(secret) == 64
    assert stat.S_IMODE(secret_file().stat().st_mode) == 0o600
    assert [p.name for p in data.iterdir() if "secret" in p.name] == []
    assert pulse_secret(settings(), database) == secret  # the same on every start


def test_a_secret_beside_the_database_is_moved_out_of_the_data_folder(folders):
    _, data = folders
    (data / "lvm.secret").write_text("an-older-secret\n")
    database = Database(f"sqlite:///{data}/lvm.sqlite3")
    assert pulse_secret(settings(), database) == "an-older-secret"
    assert not (data / "lvm.secret").exists()
    assert stat.S_IMODE(secret_file().stat().st_mode) == 0o600


def test_two_different_secrets_stop_the_start_with_what_to_do(folders):
    config, data = folders
    (config / "lvm").mkdir(parents=True)
    (config / "lvm" / "secret").write_text("one")
    (data / "lvm.secret").write_text("another")
    with pytest.raises(ConfigError, match="LVM_SECRET_KEY"):
        pulse_secret(settings(), Database(f"sqlite:///{data}/lvm.sqlite3"))
    assert (data / "lvm.secret").read_text() == "another"  # nothing lost


def test_a_shared_database_needs_the_key_set():
    with pytest.raises(ConfigError, match="LVM_SECRET_KEY is not set"):
        pulse_secret(settings(), Database("postgresql://nobody@127.0.0.1:1/none"))
