"""Every `circles` command and its options, in one place; nothing here loads more than argparse.

A command's work lives in its own module (`bot.cli`, `bot.cli_import`, …), imported only when that command
runs: `circles --help` or a mistyped option answers at once, and a `tick` does not load the web app.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROLES = ("web", "worker", "all")  # bot.roles.Role's values
MAX_MEMBERS, MAX_WEEKS = 300, 52  # the demo's largest programme
ONE_OF_SEVERAL = "the workspace (T…) or organisation (E…), when the database holds more than one"


def parser() -> argparse.ArgumentParser:
    """The whole command line of `circles`."""
    root = argparse.ArgumentParser(prog="circles", description="Circles: relational communities in Slack.")
    root.add_argument("--debug", action="store_true", help="show the full traceback when something fails")
    commands = root.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser(
        "run", help="serve Slack (HTTP, Socket Mode or OAuth, chosen by the settings) and/or plan and send"
    )
    run.add_argument(
        "--role",
        choices=ROLES,
        default="all",
        help="web: serve Slack only; worker: run the scheduler and the dispatcher only; all (default): both",
    )
    db = commands.add_parser("db", help="manage the database")
    db_commands = db.add_subparsers(dest="db_command", metavar="DB_COMMAND")
    db_commands.add_parser("upgrade", help="create or update the schema (safe to run again)")
    db.set_defaults(group=("db_command", db))
    tick = commands.add_parser("tick", help="one scheduling pass: plan, send, print a summary, exit")
    tick.add_argument(
        "--now",
        type=instant,
        help="the instant to plan for, ISO 8601 (default: now), e.g. 2027-01-04T15:00Z",
    )
    tick.add_argument(
        "--full",
        action="store_true",
        help="recompute the health of every active partnership, not only the due ones (for repairs)",
    )
    _demo(commands)
    cohort = commands.add_parser("cohort", help="manage cohorts")
    cohort_commands = cohort.add_subparsers(dest="cohort_command", metavar="COHORT_COMMAND")
    _cohort_import(cohort_commands)
    _cohort_rotations(cohort_commands)
    cohort.set_defaults(group=("cohort_command", cohort))
    _report(commands)
    _export(commands)
    return root


# The years an instant may fall in: any a programme could run in, and far from the calendar's ends, where
# the weeks and windows around an instant would run off it.
YEARS = (1970, 2999)


def instant(text: str) -> datetime:
    """An ISO 8601 instant; without a zone it is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date and time: {text!r}") from None
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: give an instant from {YEARS[0]} to {YEARS[1]}")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def unfinished(args: argparse.Namespace) -> argparse.ArgumentParser | None:
    """The command group typed without one of its commands (`circles db`), whose help answers it."""
    dest, group = getattr(args, "group", (None, None))
    return group if dest is not None and getattr(args, dest) is None else None


def _demo(commands: Any) -> None:
    demo = commands.add_parser(
        "demo", help="run a whole simulated programme (no Slack, no settings) and write its report"
    )
    demo.add_argument("--members", type=_within(4, MAX_MEMBERS), default=24, help="cohort size (default 24)")
    demo.add_argument("--weeks", type=_within(2, MAX_WEEKS), default=8, help="programme length (default 8)")
    demo.add_argument("--seed", type=int, default=7, help="the same seed tells the same story (default 7)")
    demo.add_argument("--cohort", type=Path, help="a cohort file to run instead of the synthetic cohort")
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("circles-demo-report"),
        help="where the report goes (default ./circles-demo-report)",
    )
    demo.add_argument("--quiet", action="store_true", help="print only the summary")


def _cohort_import(commands: Any) -> None:
    """`import FILE [--dry-run] [--team T…|E…]` under `circles cohort`."""
    parser = commands.add_parser("import", help="create or update a cohort and its members from a YAML file")
    parser.add_argument("file", metavar="FILE", help="the cohort file (see README.md, Importing a cohort)")
    _file_options(
        parser,
        dry_run="show what would change and write nothing",
        team=(
            "the workspace (T…) or organisation (E…): its stored token in OAuth mode, or with a file of user"
            " IDs and no SLACK_BOT_TOKEN (IDs are then not checked)"
        ),
    )


def _cohort_rotations(commands: Any) -> None:
    """`rotations <slug> FILE [--replace] [--dry-run] [--team T…|E…]` under `circles cohort`."""
    parser = commands.add_parser(
        "rotations", help="import rotation and leave blocks for a cohort's members from CSV or iCalendar"
    )
    parser.add_argument("slug", metavar="SLUG", help="the cohort's short name")
    parser.add_argument(
        "file", metavar="FILE", help="CSV with the header email,start,end,kind, or an iCalendar (.ics) file"
    )
    _file_options(
        parser,
        dry_run="check every row and write nothing",
        team=(
            "the workspace (T…) or organisation (E…): its stored token in OAuth mode, or with no"
            " SLACK_BOT_TOKEN (people are then found by their profiles' emails only)"
        ),
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help=(
            "the file is the whole rota of the cohort's members from its earliest start to its latest end:"
            " blocks imported before within those days and not in the file are taken away (removed if not"
            " started, ended now if running; partners told of them hear the person is back). Blocks over"
            " already and people's own away time stay. Every row must be usable, else nothing is written"
        ),
    )


def _report(commands: Any) -> None:
    """`report SLUG… --out DIR [--team T…|E…] [--individual --as USER_ID]`."""
    parser = commands.add_parser("report", help="write a cohort's report: CSV files, charts and index.html")
    parser.add_argument(
        "slugs",
        nargs="+",
        metavar="SLUG",
        help="the cohort's short name; several write each one's report and a page comparing them",
    )
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="the folder to write into (created if new)"
    )
    parser.add_argument(
        "--team",
        metavar="T…|E…",
        help=ONE_OF_SEVERAL,
    )
    parser.add_argument(
        "--individual",
        action="store_true",
        help="add a row per partnership, naming people (for the cohort's facilitators only; needs --as)",
    )
    parser.add_argument(
        "--as", dest="as_user", metavar="USER_ID", help="your Slack user ID, as a facilitator of the cohort"
    )
    parser.add_argument(
        "--now",
        type=instant,
        help="the report as of this instant, ISO 8601 (default: now), e.g. 2027-03-01T09:00Z",
    )


def _export(commands: Any) -> None:
    """`export SLUG --research --out FILE.zip [--team T…|E…] [--force]`."""
    parser = commands.add_parser("export", help="write a cohort's research export (consented members only)")
    parser.add_argument("slug", metavar="SLUG", help="the cohort's short name")
    parser.add_argument("--research", action="store_true", help="the research export (the only kind)")
    parser.add_argument("--out", required=True, metavar="FILE.zip", help="the ZIP file to write")
    parser.add_argument("--force", action="store_true", help="replace FILE.zip if it exists")
    parser.add_argument(
        "--team",
        "--workspace",
        dest="workspace",
        metavar="T…|E…",
        help=ONE_OF_SEVERAL,
    )
    parser.add_argument("--now", type=instant, help="the export as of this instant, ISO 8601 (default: now)")


def _file_options(parser: Any, *, dry_run: str, team: str) -> None:
    """The options every file-importing command takes: `--dry-run`, and `--team T…|E…`."""
    parser.add_argument("--dry-run", action="store_true", help=dry_run)
    parser.add_argument("--team", metavar="T…|E…", help=team)


def _within(low: int, high: int) -> argparse._ActionType:
    def number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"choose {low} to {high}")
        return value

    return number
