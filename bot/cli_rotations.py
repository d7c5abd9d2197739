"""`circles cohort rotations <slug> FILE`: rotation and leave blocks for a cohort's members, from CSV or
iCalendar, with a report of every row that was not understood; the other rows are imported."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.cli_common import Refused, fail, opened, read_limited, tenant_name, tenant_option
from bot.cli_slack import NAME_THE_TENANT, NOT_FOUND, connect, slack_refused, unreachable
from circles.domain.rotations import (
    MAX_BYTES,
    Lookup,
    RotationFileRefused,
    RowProblem,
    assign_people,
    find_people,
    read_rotations,
)
from circles.errors import CohortNotFound
from circles.services.availability.rotations import RotationsImported, import_rotations, rotation_cohort
from circles.settings import Settings

EXIT_SOME_ROWS = 1  # some rows were not understood: the others were imported (2: nothing was)


def cohort_rotations(settings: Settings, args: argparse.Namespace) -> int:
    """Import the file's blocks, report each row with a problem; exit 1 when some rows had one, 2 when
    nothing could be imported."""
    try:
        data = _read(Path(args.file))
        team_id, ask = _slack(settings, args.team)
        problems, imported, zone = _import(settings, team_id, args, data, ask)
    except Refused as error:
        return fail([str(error)])
    except RotationFileRefused as error:
        return fail([f"{args.file}: {error}"])
    for problem in problems:
        print(f"circles: {args.file}:{problem}", file=sys.stderr)
    print("\n".join(describe(args.slug, team_id, zone, imported, problems, dry_run=args.dry_run)))
    return EXIT_SOME_ROWS if problems else 0


def describe(
    slug: str,
    team_id: str,
    zone: str,
    imported: RotationsImported,
    problems: list[RowProblem],
    *,
    dry_run: bool,
) -> list[str]:
    """What was imported, for how many people, which stored blocks took the file's end, and how many rows
    were not imported (each named on stderr)."""
    verb = "would be imported" if dry_run else "imported"
    notes = []
    if imported.updated:
        notes.append(f"{imported.updated} {'would be ' if dry_run else ''}updated to the file's end")
    if imported.already_stored:
        notes.append(f"{imported.already_stored} already stored, left as they were")
    lines = [
        f"cohort {slug} in {tenant_name(team_id)}, dates in {zone}" + (" (dry run)" if dry_run else ""),
        f"blocks {verb}: {imported.added} for {imported.people} people"
        + (f" ({', '.join(notes)})" if notes else ""),
    ]
    if problems:
        lines.append(f"rows not imported: {len(problems)} (listed above): nothing of theirs was stored")
    if dry_run:
        lines.append("dry run: nothing was written; run it again without --dry-run to import")
    return lines


def _read(path: Path) -> bytes:
    data = read_limited(path, MAX_BYTES)
    if data is None:
        raise RotationFileRefused(f"larger than {MAX_BYTES // (1024 * 1024)} MB: split the file")
    return data


def _slack(settings: Settings, team: str | None) -> tuple[str, Lookup | None]:
    """The tenant, and how to ask Slack who an email is (None without a token: profiles only)."""
    tenant_option(team)
    connected = connect(settings, team)
    if connected is None:
        if team is None:
            raise Refused(NAME_THE_TENANT)
        return team, None
    client, found = connected

    def ask(email: str) -> str | None:
        try:
            user = client.users_lookupByEmail(email=email)["user"]
        except SlackApiError as error:
            if error.response.get("error") in NOT_FOUND:
                return None
            raise Refused(slack_refused(str(error.response.get("error")))) from None
        except (SlackRequestError, OSError) as error:
            raise Refused(unreachable(settings, error)) from None
        return None if user.get("deleted") or user.get("is_bot") else str(user["id"])

    return found, ask


def _import(
    settings: Settings, team_id: str, args: argparse.Namespace, data: bytes, ask: Lookup | None
) -> tuple[list[RowProblem], RotationsImported, str]:
    with opened(settings, existing=True) as db:
        try:
            cohort = rotation_cohort(db.reading(), team_id, args.slug)
        except CohortNotFound as error:
            nearest = f" (did you mean {', '.join(error.suggestions)}?)" if error.suggestions else ""
            raise Refused(f"no cohort {args.slug} in {tenant_name(team_id)}{nearest}") from None
        zone, now = ZoneInfo(cohort.timezone), datetime.now(UTC)
        rotations = read_rotations(data, args.file, zone, now.astimezone(zone).date())
        found, refused = find_people(rotations.emails(), cohort.members, ask)
        blocks, problems = assign_people(rotations, found, refused)
        imported = import_rotations(db.unit_of_work(), cohort, blocks, now=now, dry_run=args.dry_run)
    return problems, imported, cohort.timezone
