"""Configuration errors name the key and where to get it."""

from __future__ import annotations

import pytest

from bot.platform.config import ConfigError, Settings, load_settings


def settings(**values: object) -> Settings:
    return load_settings(_env_file=None, **values)


def test_defaults_need_no_configuration(monkeypatch):
    for key in ("DATABASE_URL", "SLACK_API_URL", "PORT"):
        monkeypatch.delenv(key, raising=False)
    loaded = settings()
    assert loaded.DATABASE_URL.startswith("sqlite:///")
    assert loaded.SLACK_API_URL == "https://slack.com/api/"


def test_api_url_gets_its_trailing_slash():
    assert (
        settings(SLACK_API_URL="http://127.0.0.1:9/api").SLACK_API_URL == "http://127.0.0.1:9/api/"
    )


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("SLACK_BOT_TOKEN", "xoxp-user-token", ["SLACK_BOT_TOKEN", "xoxb-", "OAuth & Permissions"]),
        ("SLACK_APP_TOKEN", "xoxb-nope", ["SLACK_APP_TOKEN", "xapp-"]),
        ("PORT", "eighty", ["PORT"]),
        ("DATABASE_URL", "not a url", ["DATABASE_URL", "postgresql://"]),
        ("SLACK_API_URL", "slack.com/api", ["SLACK_API_URL", "http"]),
    ],
)
def test_malformed_keys_are_named_with_where_to_get_them(key, value, words):
    with pytest.raises(ConfigError) as raised:
        settings(**{key: value})
    message = str(raised.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_missing_slack_keys_are_named():
    with pytest.raises(ConfigError, match=r"SLACK_BOT_TOKEN is not set.*api\.slack\.com/apps"):
        settings().require_slack()
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET is not set"):
        settings(SLACK_BOT_TOKEN="xoxb-1").require_slack()
    # Socket Mode needs no signing secret.
    settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1").require_slack()


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        (
            "SLACK_BOT_TOKEN",
            "xoxp-user-token",
            "SLACK_BOT_TOKEN is malformed: it must start with xoxb-.",
        ),
        ("PORT", "http", "PORT is malformed: it is not a number."),
        ("PORT", "70000", "PORT is malformed: it is above the highest allowed, 65535."),
        ("LOG_LEVEL", "loud", "LOG_LEVEL is malformed: it is not one of the accepted values."),
    ],
)
def test_configuration_errors_are_in_our_words_not_pydantics(key, value, said):
    with pytest.raises(ConfigError) as raised:
        settings(**{key: value})
    message = str(raised.value)
    assert message.startswith(said)
    for pydantic_wording in ("Value error", "Input should be", "unable to parse"):
        assert pydantic_wording not in message


OAUTH_KEYS = {
    "SLACK_CLIENT_ID": "1111.2222",
    "SLACK_CLIENT_SECRET": "secret",
    "SLACK_STATE_SECRET": "state-secret",
    "SLACK_SIGNING_SECRET": "signing",
}


def test_installing_by_oauth_needs_its_three_keys_instead_of_the_bot_token():
    settings(**OAUTH_KEYS).require_slack()  # no SLACK_BOT_TOKEN: fine
    partial = {**OAUTH_KEYS, "SLACK_STATE_SECRET": None}
    with pytest.raises(ConfigError, match="SLACK_STATE_SECRET is not set"):
        settings(**partial).require_slack()
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN is not set"):
        settings(SLACK_SIGNING_SECRET="signing").require_slack()


def test_installing_by_oauth_refuses_socket_mode_and_says_to_serve_http():
    with pytest.raises(ConfigError, match="needs lvm-bot serve over HTTP"):
        settings(**OAUTH_KEYS, SLACK_APP_TOKEN="xapp-1-x").require_slack()
