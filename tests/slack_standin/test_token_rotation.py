"""Token rotation as Slack does it: with the app's setting on, an install's bot token expires
12 hours after it was issued (by the stand-in's clock) and comes with a refresh token, which
oauth.v2.access (grant_type=refresh_token) trades once for a new pair."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import FakeSlackServer, Workspace
from slack_standin.api_oauth import TOKEN_LIFETIME


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(clock: FakeClock) -> Iterator[FakeSlackServer]:
    with FakeSlackServer(Workspace(clock=clock)) as srv:
        yield srv


@pytest.fixture
def acme(clock: FakeClock) -> Workspace:
    ws = Workspace(clock=clock)
    ws.team_id = "T0ACME"
    return ws


def app_client(server: FakeSlackServer) -> WebClient:
    return WebClient(base_url=server.api_url, retry_handlers=[])


def access(server: FakeSlackServer, **params: str) -> dict:
    grants = server.grants
    return (
        app_client(server)
        .oauth_v2_access(client_id=grants.client_id, client_secret=grants.client_secret, **params)
        .data
    )  # type: ignore[return-value]


def bot(server: FakeSlackServer, token: str) -> WebClient:
    return WebClient(token=token, base_url=server.api_url, retry_handlers=[])


def test_without_rotation_a_token_never_expires(server, acme, clock):
    granted = access(server, code=server.approve_install(acme))
    assert "expires_in" not in granted and "refresh_token" not in granted
    clock.now += 10 * TOKEN_LIFETIME
    assert bot(server, granted["access_token"]).auth_test()["team_id"] == "T0ACME"


def test_with_rotation_the_token_expires_and_is_renewed_with_its_refresh_token(server, acme, clock):
    server.grants.token_rotation = True
    granted = access(server, code=server.approve_install(acme))
    assert granted["expires_in"] == TOKEN_LIFETIME == 43200
    assert granted["access_token"].startswith("xoxe.xoxb-")
    assert granted["refresh_token"].startswith("xoxe-1-")

    clock.now += TOKEN_LIFETIME
    with pytest.raises(SlackApiError) as expired:
        bot(server, granted["access_token"]).auth_test()
    assert expired.value.response["error"] == "token_expired"

    renewed = access(server, grant_type="refresh_token", refresh_token=granted["refresh_token"])
    assert renewed["token_type"] == "bot" and renewed["team"]["id"] == "T0ACME"
    assert renewed["expires_in"] == TOKEN_LIFETIME
    assert renewed["access_token"] != granted["access_token"]
    assert renewed["refresh_token"] != granted["refresh_token"]
    assert bot(server, renewed["access_token"]).auth_test()["ok"]
    # The refresh was recorded in the workspace whose token it gave.
    assert [c.params.get("grant_type") for c in acme.calls_to("oauth.v2.access")] == [
        None,
        "refresh_token",
    ]


def test_a_refresh_token_works_once(server, acme):
    server.grants.token_rotation = True
    granted = access(server, code=server.approve_install(acme))
    access(server, grant_type="refresh_token", refresh_token=granted["refresh_token"])
    with pytest.raises(SlackApiError) as again:
        access(server, grant_type="refresh_token", refresh_token=granted["refresh_token"])
    assert again.value.response["error"] == "invalid_refresh_token"


def test_a_revoked_refresh_token_is_refused(server, acme):
    server.grants.token_rotation = True
    granted = access(server, code=server.approve_install(acme))
    assert server.grants.revoke_refresh_tokens(acme) == 1
    with pytest.raises(SlackApiError) as refused:
        access(server, grant_type="refresh_token", refresh_token=granted["refresh_token"])
    assert refused.value.response["error"] == "invalid_refresh_token"
    with pytest.raises(SlackApiError) as unknown:
        access(server, grant_type="refresh_token", refresh_token="xoxe-1-made-up")
    assert unknown.value.response["error"] == "invalid_refresh_token"
