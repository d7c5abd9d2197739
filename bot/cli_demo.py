"""`circles demo`: run a whole programme against a stand-in of Slack, with no settings at all."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from circles.domain.cohort_file import CohortFileInvalid

MAX_MEMBERS, MAX_WEEKS = 300, 52


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def run(args: argparse.Namespace) -> int:
    from bot.demo.run import DemoOptions, run_demo  # Slack's libraries load only for the demo itself

    options = DemoOptions(args.members, args.weeks, args.seed, args.cohort, args.out, args.quiet)
    try:
        run_demo(options)
    except CohortFileInvalid as error:
        for problem in error.problems:
            print(f"circles: {problem}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"circles: {getattr(error, 'filename', '') or ''}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0


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
