"""Ask Slack once, before forking workers, whether the bot token works."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from bot.app import build_web_client
from bot.config import WHERE_TO_GET, ConfigError, Settings


def check_slack_token(settings: Settings) -> None:
    client = build_web_client(settings.SLACK_BOT_TOKEN, settings.SLACK_API_URL)
    try:
        client.auth_test()
    except SlackApiError as error:
        code = error.response.get("error", "unknown_error")
        raise ConfigError(
            f"SLACK_BOT_TOKEN was refused by Slack ({code}). "
            f"It should be {WHERE_TO_GET['SLACK_BOT_TOKEN']}."
        ) from None
    except OSError as error:
        raise ConfigError(
            f"SLACK_API_URL: cannot reach {settings.SLACK_API_URL} ({error}). "
            "Check the network, or unset SLACK_API_URL to use Slack's own."
        ) from None
