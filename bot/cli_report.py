"""`circles report <slug> --out DIR`: a cohort's report as CSV files, PNG charts and an HTML page."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from bot.cli_common import (
    Refused,
    cohort_not_found,
    fail,
    only_workspace,
    opened,
    tenant_name,
    tenant_option,
)
from circles.errors import CohortNotFound, NotAFacilitator
from circles.notes import NotesKeyMissing, note_cipher
from circles.notes_key import KEY_FILE_NAME, stored_notes_key
from circles.services.reports import Decrypt, ReportFiles, write_comparison, write_report
from circles.settings import Settings


def report(settings: Settings, args: argparse.Namespace) -> int:
    """Write the report and list what was written; exit 2 with one line when it cannot be done."""
    args.slugs = list(dict.fromkeys(slug.lower() for slug in args.slugs))  # named twice, in any case: one
    if args.individual and not args.as_user:
        return fail(["--individual names people: add --as <your Slack user ID>, a facilitator of the cohort"])
    if args.individual and len(args.slugs) > 1:
        return fail(["--individual is for one cohort at a time: name only that cohort"])
    now: datetime = args.now or datetime.now(UTC)
    team: str = args.team or ""
    try:
        tenant_option(args.team)
        with opened(settings, existing=True) as db:
            team = team or only_workspace(db, "--team", args.slugs)
            if len(args.slugs) > 1:
                index = write_comparison(
                    db.reading(), team, args.slugs, Path(args.out), now, as_user=args.as_user
                )
                print("\n".join(compared(index, args.slugs, team, now)))
                return 0
            decrypt, notes = _decrypt(settings) if args.individual else (None, [])
            files = write_report(
                db.reading(),
                team,
                args.slugs[0],
                Path(args.out),
                now,
                individual=args.individual,
                as_user=args.as_user,
                decrypt=decrypt,
            )
    except Refused as error:
        return fail([str(error)])
    except CohortNotFound as error:
        return fail([cohort_not_found(error, team)])
    except NotAFacilitator as error:
        why = "individual rows are for them only" if args.individual else "name only the cohorts you run"
        return fail([f"{args.as_user} is not a facilitator of {error.slug}: {why}"])
    except OSError as error:
        return fail([f"{args.out}: cannot write the report there: {error.strerror or error}"])
    print("\n".join([*notes, *describe(files, team)]))
    return 0


def _decrypt(settings: Settings) -> tuple[Decrypt | None, list[str]]:
    """Open shared notes with the key `circles run` uses; a report never makes a key of its own."""
    try:
        return note_cipher(stored_notes_key(settings)).decrypt, []
    except NotesKeyMissing:
        return None, [f"no notes key (CIRCLES_NOTES_KEY or {KEY_FILE_NAME}): shared notes are left out"]


def unavailable_line(count: int) -> str:
    """Why shared notes read as unavailable, in one line: the key, not the notes, is what changed."""
    notes = "1 shared note" if count == 1 else f"{count} shared notes"
    return (
        f"{notes} could not be opened (notes_unavailable in individual.csv): the notes key changed, or is "
        "not the one they were written with; see CIRCLES_NOTES_KEY and rotating the key in README"
    )


def compared(index: Path, slugs: list[str], team: str, now: datetime) -> list[str]:
    """Where the comparison and each cohort's report went."""
    return [
        f"{len(slugs)} cohorts of {tenant_name(team)} side by side, as of {now:%Y-%m-%d %H:%M} UTC",
        *(f"  {index.parent / slug / 'index.html'}" for slug in slugs),
        f"open {index} in a browser to compare them",
    ]


def describe(files: ReportFiles, team: str) -> list[str]:
    """What was written, a line per file, then the figures that matter most and where to look."""
    report = files.report
    lines = [
        f"report of {report.slug} in {tenant_name(team)}, as of {report.generated_at:%Y-%m-%d %H:%M} UTC"
    ]
    lines += [f"  {path}" for path in files.paths]
    escalations = report.escalations
    lines.append(
        f"members joined: {report.members_joined}, left: {report.members_left}; "
        f"check-ins answered: {report.checkins_answered} of {report.checkins_due}; "
        f"escalations opened: {escalations.opened}, resolved: {escalations.resolved}"
    )
    if report.individual is not None:
        lines.append("individual.csv names people: keep it among the cohort's facilitators")
    if report.notes_unavailable:
        lines.append(unavailable_line(report.notes_unavailable))
    return [*lines, f"open {files.index} in a browser to see it all"]
