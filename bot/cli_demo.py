"""`circles demo`: run a whole programme against a stand-in of Slack, with no settings at all."""

from __future__ import annotations

import argparse
import sys

from bot.cli_common import Refused, fail
from circles.domain.cohort_file import CohortFileInvalid


def run(args: argparse.Namespace) -> int:
    from bot.demo.run import DemoOptions, run_demo  # Slack's libraries load only for the demo itself

    options = DemoOptions(args.members, args.weeks, args.seed, args.cohort, args.out, args.quiet)
    try:
        run_demo(options)
    except CohortFileInvalid as error:
        for problem in error.problems:
            print(f"circles: {problem}", file=sys.stderr)
        return 2
    except Refused as error:  # a cohort file that cannot be read, or is too large: as `cohort import` says
        return fail([str(error)])
    except BrokenPipeError:
        raise  # nobody reads the story any more: `circles` ends quietly
    except OSError as error:  # the cohort file or the report's folder
        print(f"circles: {getattr(error, 'filename', '') or ''}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0
