"""Build the Bolt App. A factory, because App() calls auth.test the moment it is made.

One way to work after the ack, for every listener: call `ack(...)` as soon as the answer is
known (decided and stored), then make the Slack calls (respond, open a modal, post) in the
same function. The App runs with `process_before_response=False`, so Bolt runs each listener
in `listener_executor` and answers Slack's HTTP request the moment `ack` is called; events
are acked by Bolt itself before their listener starts. A failure after the ack is told to
the person with bot.platform.failures (`answered`, `tell`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext

from bot import direct_messages, error_log, router
from bot.assess import listeners as assess_listeners
from bot.assess import plan_listeners as assess_plan_listeners
from bot.home import listeners as home_listeners
from bot.platform.installations import remember_org
from bot.platform.log_privacy import BOLT_LOGGER, withhold_payloads
from bot.platform.oauth import oauth_settings
from bot.platform.origin import workspace_named
from bot.platform.services import Services
from bot.pulse import listeners as pulse_listeners
from bot.rights import listeners as rights_listeners
from bot.rights.uninstall import welcome_back_install
from bot.situation import listeners as situation_listeners
from bot.summary import listeners as summary_listeners
from bot.threads import listeners as thread_listeners
from bot.tips import listeners as tip_listeners
from bot.welcome import listeners as welcome_listeners

logger = logging.getLogger(__name__)


def build_app(services: Services, listener_executor: Executor | None = None) -> App:
    """The app; `listener_executor` runs its listeners (a pool sized from LVM_THREADS when None)."""
    settings = services.settings
    settings.require_slack()
    if listener_executor is None:
        # Bolt's own pool has 5 threads. A worker takes LVM_THREADS requests at once, each
        # needing a thread until its ack, while earlier listeners work on after theirs (a round
        # opening for a large channel takes minutes): those must not hold a new request's ack.
        listener_executor = ThreadPoolExecutor(
            max_workers=2 * settings.LVM_THREADS, thread_name_prefix="listener"
        )
    withhold_payloads()  # before App(): Bolt copies its logger's filters as it makes its own
    app = App(
        client=services.client,
        signing_secret=settings.SLACK_SIGNING_SECRET,
        # Installed by OAuth: each request is authorized with its workspace's stored token.
        oauth_settings=(
            oauth_settings(
                settings,
                services.database,
                services.now,
                # Installed again before its data was deleted: the workspace is back.
                installed=lambda installation: welcome_back_install(
                    services, installation.team_id, installation.enterprise_id
                ),
            )
            if settings.installs_by_oauth
            else None
        ),
        # Answer Slack when a listener calls ack(), not when it returns (Bolt's default).
        process_before_response=False,
        logger=logging.getLogger(BOLT_LOGGER),
        listener_executor=listener_executor,
    )
    register_listeners(app, services)
    return app


def register_listeners(app: App, services: Services) -> None:
    if services.settings.installs_by_oauth:
        remember_orgs(app, services)
    error_log.register(app, services)
    rights_listeners.register(app, services)  # first: a comeback is noted before any answer
    router.register(app, services)
    tip_listeners.register(app, services)
    home_listeners.register(app, services)
    welcome_listeners.register(app, services)
    direct_messages.register(app, services)
    pulse_listeners.register(app, services)
    summary_listeners.register(app, services)
    thread_listeners.register(app, services)
    situation_listeners.register(app, services)
    assess_listeners.register(app, services)
    assess_plan_listeners.register(app, services)


def remember_orgs(app: App, services: Services) -> None:
    """Note each Enterprise Grid workspace's organization as its requests come in: the clock
    and the outbox know only a team_id, and find an org-wide install through it."""
    known: set[tuple[str, str]] = set()

    @app.middleware
    def note_org(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> None:
        # An org-wide install's event names the workspace only outside Bolt's context.
        team_id, enterprise_id = workspace_named(body), context.enterprise_id
        if team_id and enterprise_id and (team_id, enterprise_id) not in known:
            remember_org(services.database, team_id, enterprise_id)
            known.add((team_id, enterprise_id))
        next()
