"""Installing lvm by OAuth into stand-in workspaces, the way a person's browser does it."""

from __future__ import annotations

import http.client
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from bot.bank import Bank
from bot.platform.database import Database
from bot.platform.oauth import INSTALL_PATH, REDIRECT_PATH
from bot.platform.timekeeping import ManualClock
from bot.platform.web import EVENTS_PATH
from bot.playground.workspace import SIGNING_SECRET, LocalSlack, start_local_slack
from slack_standin import SlackSide, Workspace
from tests.support.harness import Harness, populate

STATE_COOKIE = "slack-app-oauth-state"


@dataclass(frozen=True)
class Page:
    status: int
    headers: dict[str, str]
    body: str


@dataclass(frozen=True)
class Started:
    """What /slack/install answered: where it sends the browser, and the state it set."""

    page: Page
    authorize: dict[str, list[str]]  # the authorize URL's query
    state: str
    cookie: str


def get(base_url: str, path: str, cookie: str | None = None) -> Page:
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        headers = {key.lower(): value for key, value in response.getheaders()}
        return Page(response.status, headers, response.read().decode())
    finally:
        connection.close()


def start_install(local: LocalSlack) -> Started:
    page = get(local.url, INSTALL_PATH)
    assert page.status == 302, page
    location = urlsplit(page.headers["location"])
    query = parse_qs(location.query)
    cookie = page.headers["set-cookie"].split(";")[0]
    return Started(page, query, query["state"][0], cookie)


def redirect(local: LocalSlack, cookie: str | None = None, **query: str) -> Page:
    return get(local.url, f"{REDIRECT_PATH}?{urlencode(query)}", cookie)


def install(local: LocalSlack, workspace: Workspace) -> Page:
    """Open the install link, approve in `workspace`, come back with Slack's code."""
    started = start_install(local)
    code = local.fake.approve_install(workspace, scopes=",".join(started.authorize["scope"]))
    return redirect(local, started.cookie, code=code, state=started.state)


def workspace(
    team_id: str,
    name: str,
    *,
    enterprise_id: str | None = None,
    org_wide: bool = False,
    clock: Callable[[], float] | None = None,
) -> Workspace:
    """A stand-in workspace with the usual people and channels (the same IDs in every one),
    timed by `clock` (its rate limits and call records) when given."""
    made = Workspace(clock=clock) if clock is not None else Workspace()
    made.team_id, made.team_domain, made.team_name = team_id, name, name
    if enterprise_id:
        made.enterprise_id, made.enterprise_name = enterprise_id, f"{name} org"
    made.org_wide = org_wide
    populate(made)
    return made


def harness_for(local: LocalSlack, of: Workspace) -> Harness:
    """The app as `of`'s Slack sees it: its own signed requests, its own records."""
    slack = SlackSide(local.url + EVENTS_PATH, SIGNING_SECRET, of, local.fake)
    return Harness(of, local.fake, slack, local.services, local.url, local)


def org_member(local: LocalSlack, of: Workspace) -> Harness:
    """The app as another workspace of an organization that installed it org-wide sees it
    (what lvm sends it with the org's token lands in the approving workspace's records)."""
    assert of.org_wide and of.enterprise_id
    local.fake.grants.add_org_member(of)
    return harness_for(local, of)


@dataclass
class Two:
    """Two workspaces served by one app, whose people and channels have the same IDs."""

    acme: Harness
    beta: Harness


@contextmanager
def two_workspaces(database: Database, bank: Bank, clock: ManualClock) -> Iterator[Two]:
    """The real app installing by OAuth, installed into two such workspaces."""
    with running_oauth_app(database, bank, clock) as local:
        acme, beta = workspace("T0ACME", "acme"), workspace("T0BETA", "beta")
        assert install(local, acme).status == 200
        assert install(local, beta).status == 200
        yield Two(harness_for(local, acme), harness_for(local, beta))


def token_of(harness: Harness) -> str:
    """The bot token Slack granted the workspace when lvm was installed there."""
    [granted] = [c for c in harness.workspace.calls_to("oauth.v2.access") if c.ok]
    return str(granted.response["access_token"])  # type: ignore[index]


@contextmanager
def running_oauth_app(
    database: Database, bank: Bank, clock: ManualClock, *, slack_on_clock: bool = False
) -> Iterator[LocalSlack]:
    """The real app installing by OAuth; its stand-in's own workspace is never installed.
    With `slack_on_clock`, the stand-in's time (when its tokens expire) is `clock`'s too."""
    own = Workspace(clock=lambda: clock().timestamp()) if slack_on_clock else Workspace()
    with start_local_slack(database, bank, clock, workspace=own, oauth=True) as local:
        yield local
