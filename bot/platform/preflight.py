"""Ask Slack, before anything starts, whether the tokens work.

Every start path (`lvm-bot` over Socket Mode or HTTP, `lvm-bot serve`, `lvm-bot scheduler`)
calls this first, so a wrong token or an unreachable Slack stops the process with one line
instead of a traceback from deep inside Bolt, or a clock recording every send as failed.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.platform.config import WHERE_TO_GET, ConfigError, Settings

# Long enough for a slow network, short enough that a start-up with no network says so
# promptly. No retries: one clear answer is the point.
PREFLIGHT_TIMEOUT_SECONDS = 5


# slack_sdk logs each failed call at ERROR before raising; the one line we print says it all.
_quiet = logging.getLogger("bot.platform.preflight.slack_sdk")
_quiet.setLevel(logging.CRITICAL)


def _client(token: str | None, settings: Settings) -> WebClient:
    return WebClient(
        token=token,
        base_url=settings.SLACK_API_URL,
        timeout=PREFLIGHT_TIMEOUT_SECONDS,
        retry_handlers=[],
        logger=_quiet,
    )


def _unreachable(settings: Settings, error: BaseException) -> ConfigError:
    where = (
        "Check this machine's network connection and proxy settings"
        if settings.SLACK_API_URL.startswith("https://slack.com/")
        else "Check the network, or unset SLACK_API_URL to use Slack's own"
    )
    reason = str(error) or type(error).__name__
    return ConfigError(f"cannot reach Slack at {settings.SLACK_API_URL} ({reason}). {where}.")


def _refused(key: str, error: SlackApiError) -> ConfigError:
    code = error.response.get("error", "unknown_error") if error.response else "unknown_error"
    return ConfigError(f"{key} was refused by Slack ({code}). It should be {WHERE_TO_GET[key]}.")


def check_slack_token(settings: Settings) -> None:
    """auth.test with the bot token."""
    try:
        _client(settings.SLACK_BOT_TOKEN, settings).auth_test()
    except SlackApiError as error:
        raise _refused("SLACK_BOT_TOKEN", error) from None
    except (OSError, SlackClientError) as error:  # URLError and timeouts are OSErrors
        raise _unreachable(settings, error) from None


def check_app_token(settings: Settings) -> None:
    """Socket Mode's app-level token: ask for a connection URL, as the handler will."""
    try:
        _client(settings.SLACK_APP_TOKEN, settings).apps_connections_open(
            app_token=settings.SLACK_APP_TOKEN or ""
        )
    except SlackApiError as error:
        raise _refused("SLACK_APP_TOKEN", error) from None
    except (OSError, SlackClientError) as error:
        raise _unreachable(settings, error) from None
