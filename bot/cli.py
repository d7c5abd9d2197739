"""The `circles` command: run the app, manage the database."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot import cli_parsers, logs
from bot.cli_common import EXIT_PROBLEMS, fail, schema_problem
from bot.roles import Role, require_credentials, several_processes_warning
from circles.notes_key import NotesKey, ensure_notes_key, first_run_notice
from circles.persistence import migrate
from circles.persistence.db import Database
from circles.persistence.trouble import DATABASE_TROUBLE, explain
from circles.settings import Mode, Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from slack_bolt import App

logger = logging.getLogger("circles")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # Whoever read the output stopped (`circles tick | head -1`): end quietly, as other tools do, and
        # let nothing more be written to the closed pipe when Python flushes it on the way out.
        with contextlib.suppress(OSError, ValueError):
            closed = sys.stdout.fileno()
            os.dup2(os.open(os.devnull, os.O_WRONLY), closed)
        return 1


def _main(argv: Sequence[str] | None) -> int:
    parser = cli_parsers.parser()
    args = parser.parse_args(argv)
    if (group := cli_parsers.unfinished(args)) is not None:
        group.print_help()
        return EXIT_PROBLEMS
    logs.configure()  # no request body, person's words, token or secret reaches a log line
    # Bolt also reads SLACK_BOT_TOKEN from the environment and warns that our client's token wins: it does.
    logging.getLogger("slack_bolt.App").addFilter(
        lambda record: "`token` will be unused" not in record.getMessage()
    )
    if args.command == "demo":  # needs no settings, and ignores any: it never reaches a real Slack
        from bot import cli_demo

        return cli_demo.run(args)
    try:
        return _command(parser, args)
    except DATABASE_TROUBLE as error:
        if args.debug:
            raise
        return fail([explain(load_settings().database_url, error) + " (add --debug for the details)"])


def _command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
        logs.keep_out_of_logs(settings)
        if args.command == "run":
            return run(settings, Role(args.role))
        if args.command == "db" and args.db_command == "upgrade":
            return db_upgrade(settings)
        if args.command == "tick":
            return tick(settings, args.now, full=args.full)
        # Each command's module loads only when that command runs.
        if args.command == "cohort" and args.cohort_command == "import":
            from bot import cli_import

            return cli_import.cohort_import(settings, args)
        if args.command == "cohort" and args.cohort_command == "rotations":
            from bot import cli_rotations

            return cli_rotations.cohort_rotations(settings, args)
        if args.command == "report":
            from bot import cli_report

            return cli_report.report(settings, args)
        if args.command == "export":
            from bot import cli_export

            return cli_export.export(settings, args)
    except SettingsError as error:
        return fail(error.problems)
    except migrate.SchemaFromANewerVersion as error:
        return fail([str(error)])
    parser.print_help()
    return EXIT_PROBLEMS


def run(settings: Settings, role: Role = Role.ALL) -> int:
    """Check the settings, bring SQLite's schema up to date, then serve until stopped."""
    require_credentials(settings, role)
    from slack_bolt.error import BoltError  # Slack's libraries load only once settings are sound
    from slack_sdk.errors import SlackApiError, SlackRequestError

    from bot.app import create_app
    from bot.deps import build_deps
    from bot.server import PortUnavailable, serve
    from prompts.roles import RoleTextError, role_texts
    from prompts.tracks import PromptTrackError, load_all

    try:
        role_texts()  # data files are checked at start-up, not when the first person joins
        load_all()
    except (RoleTextError, PromptTrackError) as error:
        return fail([str(error)])

    db = Database(settings.database_url)
    if (problem := schema_problem(db)) is not None:
        return fail([problem])
    if (warning := several_processes_warning(role, db.engine.dialect.name)) is not None:
        logger.warning("%s", warning)
    deps = build_deps(_announced(ensure_notes_key(settings)), db)
    try:
        if role.serves_slack:
            app: App | None = create_app(deps)
        else:
            _check_token(settings)
            app = None
    except (BoltError, SlackApiError, SlackRequestError, OSError) as error:
        return fail([_explain_slack_failure(error, settings)])
    try:
        serve(deps, app, role)
    except PortUnavailable as error:
        return fail([f"{error} (choose another with PORT)"])
    except (SlackApiError, SlackRequestError) as error:  # Socket Mode's first connection
        return fail([_explain_slack_failure(error, settings, "SLACK_APP_TOKEN")])
    return 0


def _check_token(settings: Settings) -> None:
    """A worker builds no Bolt app; check its one bot token as Bolt would (OAuth tokens are per workspace)."""
    if settings.slack_bot_token is not None and settings.mode is not Mode.OAUTH:
        from bot.slack_client import web_client

        web_client(settings, settings.slack_bot_token.get_secret_value()).auth_test()


def tick(settings: Settings, now: datetime | None, *, full: bool = False) -> int:
    """Run one scheduling pass at `now` against the configured database and Slack, then exit."""
    require_credentials(settings, Role.WORKER)  # it only sends, as a worker does: no signing secret needed
    from bot.deps import build_deps
    from bot.tick import run_tick

    db = Database(settings.database_url)
    if (problem := schema_problem(db)) is not None:
        return fail([problem])
    deps = build_deps(_announced(ensure_notes_key(settings)), db)
    for line in run_tick(deps, now or deps.clock(), full=full).lines():
        print(line)
    return 0


def _announced(notes: NotesKey) -> Settings:
    """The settings with their notes key, after saying so loudly if this start had to make one."""
    if notes.created is not None:
        border = "*" * 100  # a box, not a `circles:` line: those say why Circles stopped
        print(
            "\n".join([border, *(f"* {line}" for line in first_run_notice(notes.created)), border]),
            file=sys.stderr,
        )
    return notes.settings


def db_upgrade(settings: Settings) -> int:
    db = Database(settings.database_url)
    before = migrate.upgrade(db.engine)  # what this process found, after any other's upgrade it waited for
    after = migrate.current_revision(db.engine)
    target = db.engine.url.render_as_string(hide_password=True)
    print(
        f"database {target}: "
        + (f"upgraded {before or 'empty'} → {after}" if before != after else f"already at {after}")
    )
    return 0


# Where in the app's settings on api.slack.com each token is copied from.
_WHERE = {"SLACK_BOT_TOKEN": "OAuth & Permissions", "SLACK_APP_TOKEN": "Basic Information, App-Level Tokens"}


def _explain_slack_failure(error: Exception, settings: Settings, setting: str = "SLACK_BOT_TOKEN") -> str:
    """One line for a start that Slack stopped: a refused token, an error answer, or no answer at all.

    Bolt wraps auth.test's error answer in a BoltError saying the token is invalid, whatever the answer
    was (a 500, a rate limit): the answer itself is what names the reason."""
    from slack_sdk.errors import SlackApiError

    answer = error if isinstance(error, SlackApiError) else error.__context__
    if isinstance(answer, SlackApiError):
        code = str(answer.response.get("error"))
        if code in ("invalid_auth", "not_authed", "account_inactive", "token_revoked"):
            return f"{setting} was refused by Slack ({code}): copy it again from {_WHERE[setting]}"
        if code.startswith("Received a response in a non-JSON format"):  # slack_sdk's words for it
            return (
                f"{settings.slack_api_url} (SLACK_API_URL) does not answer as Slack's Web API does: check it"
            )
        slack = f"Slack at {settings.slack_api_url} (SLACK_API_URL)"
        method = str(answer.response.api_url).rsplit("/", 1)[-1]
        return f"{slack} answered {method} with {code}: try again shortly"
    return " ".join(f"could not reach Slack at {settings.slack_api_url} (SLACK_API_URL): {error}".split())


if __name__ == "__main__":
    sys.exit(main())
