"""Configuration from the environment and `.env`, checked once at start-up.

A missing or malformed key stops the bot with one line that names the key and says where to
get it, never a traceback.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_APPS_PAGE = "https://api.slack.com/apps"

# Where a person finds each key: the second half of every configuration error.
WHERE_TO_GET: dict[str, str] = {
    "SLACK_BOT_TOKEN": f"the Bot User OAuth Token (xoxb-...) under OAuth & Permissions at {SLACK_APPS_PAGE}",
    "SLACK_SIGNING_SECRET": f"the Signing Secret under Basic Information > App Credentials at {SLACK_APPS_PAGE}",
    "SLACK_APP_TOKEN": f"an app-level token (xapp-...) with connections:write, under Basic Information > App-Level Tokens at {SLACK_APPS_PAGE}",
    "SLACK_CLIENT_ID": f"the Client ID under Basic Information > App Credentials at {SLACK_APPS_PAGE} (for installing lvm into many workspaces)",
    "SLACK_CLIENT_SECRET": f"the Client Secret under Basic Information > App Credentials at {SLACK_APPS_PAGE}",
    "SLACK_STATE_SECRET": "a long random string that signs the install link's state, e.g. from: python -c 'import secrets; print(secrets.token_hex(32))'",
    "SLACK_API_URL": "the Slack Web API base URL; leave it unset for https://slack.com/api/",
    "DATABASE_URL": "a SQLAlchemy URL such as sqlite:///lvm.sqlite3 or postgresql://user@host/db",
    "PORT": "a TCP port number such as 3000",
    "LVM_BIND": "the address lvm-bot serve listens on: 127.0.0.1 behind a proxy on the same host, 0.0.0.0 where the platform's router is the proxy",
    "LOG_LEVEL": "one of DEBUG, INFO, WARNING, ERROR",
    "LVM_SECRET_KEY": "a long random string, e.g. from: python -c 'import secrets; print(secrets.token_hex(32))'",
    "WEB_CONCURRENCY": "the number of web worker processes on PostgreSQL, e.g. 2 (SQLite: one)",
    "LVM_THREADS": "the number of threads per web worker, e.g. 8",
    "LVM_CONTENT_DIR": "a folder holding topics.yaml and practices/*.yaml",
    "LVM_SCHEDULER": "on or off",
    "LVM_GRACE_HOURS": "a number of hours, e.g. 3",
    "LVM_THREAD_REPLIES_PER_DAY": "how many messages each side of an anonymous conversation may send a day, e.g. 3",
    "LVM_RETAIN_ANSWERS_WEEKS": "a number of weeks from 1 to 520, e.g. 26",
    "LVM_DELETE_UNINSTALLED_AFTER_DAYS": "a number of days from 0 to 3650, e.g. 30",
}


class ConfigError(Exception):
    """A configuration problem, phrased for the person running the bot."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=True
    )

    SLACK_BOT_TOKEN: str | None = None
    SLACK_SIGNING_SECRET: str | None = None
    SLACK_APP_TOKEN: str | None = None
    # Set together, these install lvm into any workspace by OAuth instead of SLACK_BOT_TOKEN.
    SLACK_CLIENT_ID: str | None = None
    SLACK_CLIENT_SECRET: str | None = None
    SLACK_STATE_SECRET: str | None = None
    SLACK_API_URL: str = "https://slack.com/api/"
    DATABASE_URL: str = "sqlite:///lvm.sqlite3"
    PORT: int = Field(default=3000, ge=1, le=65535)
    # Loopback by default: lvm is meant to sit behind a proxy that terminates TLS.
    LVM_BIND: str = "127.0.0.1"
    LOG_LEVEL: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    LVM_SECRET_KEY: str | None = None
    WEB_CONCURRENCY: int = Field(default=2, ge=1, le=64)
    LVM_THREADS: int = Field(default=8, ge=1, le=256)
    LVM_CONTENT_DIR: str | None = None
    LVM_SCHEDULER: Literal["on", "off"] = "on"
    LVM_GRACE_HOURS: float = Field(default=3.0, ge=0, le=72)
    # Messages a day each side of an anonymous conversation may send (bot/threads): enough to
    # talk, too few to probe the author with a stream of questions.
    LVM_THREAD_REPLIES_PER_DAY: int = Field(default=3, ge=1, le=20)
    # Raw pulse answers and comments, and who each round asked, are deleted this long after
    # their round closed, once its totals are stored (bot/rights/retention.py); a comment's
    # link to its author goes at the same age (bot/threads/relay.py).
    LVM_RETAIN_ANSWERS_WEEKS: int = Field(default=26, ge=1, le=520)
    # A workspace that removed lvm has its data deleted this long after (bot/rights/uninstall.py).
    LVM_DELETE_UNINSTALLED_AFTER_DAYS: int = Field(default=30, ge=0, le=3650)

    @field_validator("SLACK_BOT_TOKEN")
    @classmethod
    def _bot_token_shape(cls, value: str | None) -> str | None:
        if value and not value.startswith("xoxb-"):
            raise ValueError("it must start with xoxb-")
        return value

    @field_validator("SLACK_APP_TOKEN")
    @classmethod
    def _app_token_shape(cls, value: str | None) -> str | None:
        if value and not value.startswith("xapp-"):
            raise ValueError("it must start with xapp-")
        return value

    @field_validator("SLACK_API_URL")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("it must be an http:// or https:// URL")
        # slack_sdk joins method names onto the base URL, so it must end with a slash.
        return value if value.endswith("/") else value + "/"

    @field_validator("DATABASE_URL")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            make_url(value)
        except ArgumentError as error:
            raise ValueError("it is not a database URL") from error
        return value

    @field_validator("LOG_LEVEL", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def socket_mode(self) -> bool:
        return bool(self.SLACK_APP_TOKEN)

    @property
    def installs_by_oauth(self) -> bool:
        """Many workspaces, each with the token its install gave, rather than one bot token."""
        return bool(self.SLACK_CLIENT_ID or self.SLACK_CLIENT_SECRET or self.SLACK_STATE_SECRET)

    def require(self, *keys: str) -> None:
        """Stop with a clear line when a key this command needs is unset."""
        for key in keys:
            if not getattr(self, key):
                raise ConfigError(f"{key} is not set. It is {WHERE_TO_GET[key]}. {_ENV_HINT}")

    def require_tokens(self) -> None:
        """The bot token, or the three OAuth keys that fetch each workspace's own."""
        if self.installs_by_oauth:
            self.require("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET")
        else:
            self.require("SLACK_BOT_TOKEN")

    def require_slack(self) -> None:
        self.require_tokens()
        if self.installs_by_oauth and self.socket_mode:
            raise ConfigError(
                "SLACK_APP_TOKEN is set together with SLACK_CLIENT_ID: installing by OAuth needs "
                "lvm-bot serve over HTTP (Slack sends people back to /slack/oauth_redirect). "
                f"Unset SLACK_APP_TOKEN and set SLACK_SIGNING_SECRET. {_ENV_HINT}"
            )
        if self.installs_by_oauth or not self.socket_mode:
            self.require("SLACK_SIGNING_SECRET")


_ENV_HINT = "Set it in the environment or in .env (see .env.example)."


def _problem(error: Any) -> str:
    """pydantic's complaint in our words: "must start with xoxb-", not "Value error, must..."."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    if kind in ("int_parsing", "float_parsing", "int_from_float"):
        return "it is not a number"
    if kind in ("greater_than_equal", "greater_than"):
        return f"it is below the lowest allowed, {context.get('ge', context.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"it is above the highest allowed, {context.get('le', context.get('lt'))}"
    if kind == "literal_error":
        return "it is not one of the accepted values"
    return str(error.get("msg", "it is not valid")).removeprefix("Value error, ")


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning the first validation problem into a ConfigError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        key = str(first["loc"][0]) if first["loc"] else "configuration"
        where = WHERE_TO_GET.get(key)
        hint = f" It should be {where}." if where else ""
        raise ConfigError(f"{key} is malformed: {_problem(first)}.{hint} {_ENV_HINT}") from None
