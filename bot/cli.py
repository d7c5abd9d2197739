"""The `circles` command: read its arguments, run what they name, and manage the database (serving and
ticking: `bot.cli_run`)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from bot import cli_parsers, logs
from bot.cli_common import EXIT_PROBLEMS, fail
from bot.cli_run import run, tick
from bot.roles import Role
from circles.persistence import migrate
from circles.persistence.db import Database
from circles.persistence.trouble import DATABASE_TROUBLE, explain, shown
from circles.settings import Settings, SettingsError, load_settings

# Commands that stop where they are on SIGTERM as on Ctrl-C: what they write is written whole or not at all
# (a report's folder, an export's ZIP, an import's transaction). `run` and `tick` handle their own.
STOPPABLE = frozenset({"cohort", "report", "export"})


class Stopped(BaseException):
    """A stop signal came (SIGTERM): unwinds as Ctrl-C's KeyboardInterrupt does, undoing what was begun."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return _stopped(signal.SIGINT)
    except Stopped as stop:
        return _stopped(stop.signum)
    except BrokenPipeError:
        # Whoever read the output stopped (`circles tick | head -1`): end quietly, as other tools do, and
        # let nothing more be written to the closed pipe when Python flushes it on the way out.
        with contextlib.suppress(OSError, ValueError):
            closed = sys.stdout.fileno()
            os.dup2(os.open(os.devnull, os.O_WRONLY), closed)
        return 1


def _stopped(signum: int) -> int:
    """One line, not the traceback of wherever the signal found the command, and the shell's status."""
    with contextlib.suppress(OSError, ValueError):
        print(f"circles: stopped ({signal.Signals(signum).name})", file=sys.stderr)
    return 128 + signum


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


def _main(argv: Sequence[str] | None) -> int:
    parser = cli_parsers.parser()
    args = parser.parse_args(argv)
    if (group := cli_parsers.unfinished(args)) is not None:
        group.print_help()
        return EXIT_PROBLEMS
    # No request body, person's words, token or secret reaches a log line; `run` serves, and keeps Slack's.
    logs.configure(one_shot=args.command != "run" and not args.debug)
    # Bolt also reads SLACK_BOT_TOKEN from the environment and warns that our client's token wins: it does.
    logging.getLogger("slack_bolt.App").addFilter(
        lambda record: "`token` will be unused" not in record.getMessage()
    )
    with contextlib.ExitStack() as stack:
        if args.command in STOPPABLE and threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, _stop)
            stack.callback(signal.signal, signal.SIGTERM, previous)
        return _chosen(parser, args)


def _chosen(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
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


def db_upgrade(settings: Settings) -> int:
    db = Database(settings.database_url)
    before = migrate.upgrade(db.engine)  # what this process found, after any other's upgrade it waited for
    after = migrate.current_revision(db.engine)
    target = shown(db.engine.url)  # no password, even one given as ?password=
    print(
        f"database {target}: "
        + (f"upgraded {before or 'empty'} → {after}" if before != after else f"already at {after}")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
