"""`lvm-bot`: run the bot, serve it over HTTP, migrate the database, check the content."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot import __version__
from bot.bank import BankError
from bot.platform.config import WHERE_TO_GET, ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from bot.platform.database import Database

logger = logging.getLogger("bot")


def _run(args: argparse.Namespace) -> int:
    """The whole bot in one command: Socket Mode with an app token, HTTP otherwise."""
    from bot.bootstrap import configure_logging

    settings = load_settings()
    configure_logging(settings)
    settings.require_tokens()
    if settings.installs_by_oauth:
        return _serve(args)  # Slack sends people back over HTTP: no Socket Mode
    if not settings.socket_mode and not settings.SLACK_SIGNING_SECRET:
        # An empty SLACK_APP_TOKEN (as .env.example leaves it) would otherwise mean HTTP mode
        # and a complaint about a signing secret the person never meant to need.
        raise ConfigError(
            "SLACK_APP_TOKEN is not set (or empty), so lvm-bot cannot connect over Socket Mode "
            f"as manifest.yml sets it up. It is {WHERE_TO_GET['SLACK_APP_TOKEN']}. To serve "
            "HTTP instead (lvm-bot serve), set SLACK_SIGNING_SECRET. "
            "Set it in the environment or in .env (see .env.example)."
        )
    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        from bot.app import build_app
        from bot.bootstrap import prepare
        from bot.clock import start_background_clock
        from bot.platform.preflight import check_app_token, check_slack_token

        check_slack_token(settings)  # App() calls auth.test, and would raise a traceback
        check_app_token(settings)
        app = build_app(prepare(settings))
        start_background_clock(settings)
        logger.info("lvm connecting to Slack over Socket Mode")
        SocketModeHandler(app, settings.SLACK_APP_TOKEN, web_client=app.client).start()
        return 0
    logger.info(
        "SLACK_APP_TOKEN is not set, so lvm serves Slack's requests over HTTP "
        "(manifest.yml's socket_mode_enabled must then be off, with its URLs pointing here)"
    )
    return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    from bot.bootstrap import configure_logging, prepare
    from bot.platform.preflight import check_slack_token
    from bot.server import serve

    settings = load_settings()
    configure_logging(settings)
    settings.require_slack()
    services = prepare(settings)  # a broken bank or database stops here, once
    services.database.dispose()
    if not settings.installs_by_oauth:  # each install's token was checked as it came
        check_slack_token(settings)
    serve(settings, getattr(args, "port", None), services.bank, getattr(args, "host", None))
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot.bootstrap import configure_logging
    from bot.migrations import migrate
    from bot.platform.database import MIGRATIONS, Database, DatabaseUnavailable

    settings = load_settings()
    configure_logging(settings)
    database = Database(settings.DATABASE_URL, patience=MIGRATIONS)
    try:
        database.ping()
    except DatabaseUnavailable as error:
        raise ConfigError(f"DATABASE_URL: cannot reach {database.display_url()}: {error}") from None
    before = migrate.current_revision(database)
    migrate.upgrade(database)
    after = migrate.current_revision(database)
    print(f"database {database.display_url()}: {before or 'empty'} -> {after}")
    return 0


def _content_check(args: argparse.Namespace) -> int:
    from bot.assess import content_check as assessment_check
    from bot.bank import load_bank
    from bot.tips.content_check import check_rendering, describe

    settings = load_settings()
    folder = args.dir or (Path(settings.LVM_CONTENT_DIR) if settings.LVM_CONTENT_DIR else None)
    bank = load_bank(folder)
    check_rendering(bank)
    assessment_check.check_rendering(bank)
    print("content bank OK")
    print("\n".join([*describe(bank), *assessment_check.describe(bank)]))
    return 0


def _scheduler(args: argparse.Namespace) -> int:
    from bot.bootstrap import configure_logging
    from bot.clock import run_scheduler
    from bot.platform.preflight import check_slack_token

    settings = load_settings()
    configure_logging(settings)
    settings.require_tokens()
    if not settings.installs_by_oauth:
        # With a refused token every send would be recorded as failed for good.
        check_slack_token(settings)
    run_scheduler(settings)
    return 0


def _workspace_database(args: argparse.Namespace) -> tuple[Settings, Database]:
    """The settings and the database an operator's workspace command works on."""
    from bot.bootstrap import configure_logging, open_database
    from bot.platform.database import BACKGROUND

    settings = load_settings()
    configure_logging(settings)
    return settings, open_database(settings, BACKGROUND)


def _workspace_export(args: argparse.Namespace) -> int:
    """Write a workspace's archive: settings, teams, results, commitments; never answers."""
    import json

    from bot.bootstrap import load_checked_bank
    from bot.migrations.schema import metadata
    from bot.platform.timekeeping import utc_now
    from bot.rights.archive import export_workspace, has_data

    settings, database = _workspace_database(args)
    bank = load_checked_bank(settings)
    with database.reading() as session:
        if not has_data(session, metadata, args.team_id):
            print(
                f"lvm-bot: nothing is stored for workspace {args.team_id} in "
                f"{database.display_url()}. Check the id (it starts with T, as in Slack's "
                "workspace settings) and DATABASE_URL.",
                file=sys.stderr,
            )
            return 1
        archive = export_workspace(session, metadata, bank, args.team_id, utc_now())
    text = json.dumps(archive, indent=2, ensure_ascii=False) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
        tables = ", ".join(
            f"{name} {len(rows)}" for name, rows in archive["tables"].items() if rows
        )
        print(f"wrote {args.out}: {tables}")
    return 0


def _workspace_delete(args: argparse.Namespace) -> int:
    """Delete every row of a workspace, after the operator types its id (or --yes).

    A workspace where lvm is still installed (its bot token stored, no removal from Slack
    recorded) is refused without --force: its token would go with its data, and lvm would
    stop working there without a word to anyone in it."""
    from bot.migrations.schema import metadata
    from bot.platform.installations import has_own_install
    from bot.platform.uninstalls import uninstall_of
    from bot.rights.archive import count_rows, delete_workspace

    settings, database = _workspace_database(args)
    with database.reading() as session:
        counts = count_rows(session, metadata, args.team_id)
        installed = has_own_install(session, args.team_id)
        removed = uninstall_of(session, args.team_id) is not None
    if not counts:
        print(f"nothing is stored for workspace {args.team_id}: nothing to delete")
        return 0
    still_installed = installed and not removed
    if still_installed and not args.force:
        print(
            f"lvm-bot: not deleted: lvm is still installed in workspace {args.team_id}. "
            "Deleting its data deletes its bot token too: lvm would stop working there, "
            "without a word to anyone in it, until someone installs it again. Remove lvm from "
            "the workspace in Slack first (its data is then deleted "
            f"{settings.LVM_DELETE_UNINSTALLED_AFTER_DAYS} days later, or at once by running "
            "this again), or pass --force to delete it all now anyway.",
            file=sys.stderr,
        )
        return 1
    listing = ", ".join(f"{table} {count}" for table, count in sorted(counts.items()))
    print(f"workspace {args.team_id} in {database.display_url()}: {listing}")
    if still_installed:
        print(
            f"warning: lvm is still installed in workspace {args.team_id}: its bot token is "
            "deleted with the rest, and lvm stops working there until it is installed again."
        )
    if not args.yes:
        try:
            typed = input(f"Type {args.team_id} to delete all of it for good: ")
        except EOFError:
            typed = ""
        if typed.strip() != args.team_id:
            print(
                "lvm-bot: not deleted: the typed id did not match. Run it again and type the "
                "workspace id, or pass --yes.",
                file=sys.stderr,
            )
            return 1
    with database.transaction() as session:
        deleted = delete_workspace(session, metadata, args.team_id)
    print(f"deleted {sum(deleted.values())} rows of workspace {args.team_id}")
    return 0


def _team_id(text: str) -> str:
    if not (text.isascii() and text.isalnum() and 2 <= len(text) <= 32):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a Slack workspace id (letters and digits, like T0123ABCD)"
        )
    return text


def _try(args: argparse.Namespace) -> int:
    from bot.playground.run import run_try

    return run_try(output_dir=args.output_dir, start=args.start)


def _start_time(text: str) -> datetime:
    from bot.playground.run import parse_start

    try:
        return parse_start(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lvm-bot",
        description="lvm: a Slack app that helps team leads grow as leaders and managers. "
        "With no command, runs the whole bot in one process (Socket Mode when "
        "SLACK_APP_TOKEN is set, HTTP otherwise).",
    )
    parser.add_argument("--version", action="version", version=f"lvm {__version__}")
    parser.set_defaults(handler=_run)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve Slack's HTTP requests on POST /slack/events")
    serve.add_argument("--port", type=int, help="port to listen on (default: $PORT or 3000)")
    serve.add_argument(
        "--host",
        help="address to listen on (default: $LVM_BIND or 127.0.0.1; run behind a proxy, "
        "or use 0.0.0.0 where the platform's router is the proxy)",
    )
    serve.set_defaults(handler=_serve)

    db = commands.add_parser("db", help="database tasks")
    db_commands = db.add_subparsers(title="db commands", metavar="COMMAND", required=True)
    db_commands.add_parser("upgrade", help="apply the database migrations").set_defaults(
        handler=_db_upgrade
    )

    content = commands.add_parser("content", help="content bank tasks")
    content_commands = content.add_subparsers(
        title="content commands", metavar="COMMAND", required=True
    )
    check = content_commands.add_parser("check", help="lint the content bank and summarize it")
    check.add_argument("--dir", type=Path, help="content folder (default: the bundled bank)")
    check.set_defaults(handler=_content_check)

    try_it = commands.add_parser(
        "try",
        help="try lvm without Slack: the real app and a local stand-in, in this terminal",
    )
    try_it.add_argument(
        "--output-dir", type=Path, default=None, help="where charts are saved (default: here)"
    )
    try_it.add_argument(
        "--start",
        type=_start_time,
        default=os.environ.get("LVM_TRY_START") or None,
        metavar="WHEN",
        help="the demo's date and time, e.g. 2026-11-26T19:00 (UTC unless it has an offset; "
        "default: $LVM_TRY_START, else now)",
    )
    try_it.set_defaults(handler=_try)

    commands.add_parser(
        "scheduler", help="run the clock that sends scheduled messages (the Procfile's clock)"
    ).set_defaults(handler=_scheduler)

    workspace = commands.add_parser("workspace", help="an operator's tasks on one workspace's data")
    workspace_commands = workspace.add_subparsers(
        title="workspace commands", metavar="COMMAND", required=True
    )
    export = workspace_commands.add_parser(
        "export",
        help="write a JSON archive of a workspace: settings, teams, results, subscriptions, "
        "commitments (never pulse answers, nor who was asked)",
    )
    export.add_argument("team_id", type=_team_id, metavar="TEAM_ID")
    export.add_argument("--out", type=Path, help="the file to write (default: standard output)")
    export.set_defaults(handler=_workspace_export)
    remove = workspace_commands.add_parser(
        "delete", help="delete everything lvm keeps about a workspace, after a confirmation"
    )
    remove.add_argument("team_id", type=_team_id, metavar="TEAM_ID")
    remove.add_argument("--yes", action="store_true", help="do not ask for the typed confirmation")
    remove.add_argument(
        "--force",
        action="store_true",
        help="delete it even though lvm is still installed there (its bot token goes too, "
        "and lvm stops working in the workspace until it is installed again)",
    )
    remove.set_defaults(handler=_workspace_delete)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except ConfigError as error:
        print(f"lvm-bot: configuration error: {error}", file=sys.stderr)
        return 2
    except BankError as error:
        print(f"lvm-bot: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
