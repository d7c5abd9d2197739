"""`circles cohort rotations <slug> FILE`: rotation and leave blocks for a cohort's members, from CSV or
iCalendar, with a report of every row that was not understood; the other rows are imported."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.cli_common import Refused, fail, opened, read_limited, tenant_name, tenant_option
from bot.cli_import_people import User, find_in_slack, say, tenant_of
from bot.cli_slack import NAME_THE_TENANT, connect, refused_when_failing
from circles.domain.cohort_file import PersonRef
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
        team_id, client = _slack(settings, args.team)
        problems, imported, zone = _import(settings, team_id, args, data, client)
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


def _slack(settings: Settings, team: str | None) -> tuple[str, WebClient | None]:
    """The tenant, and a client to ask Slack who an email is (None without a token: profiles only)."""
    tenant_option(team)
    connected = connect(settings, team)
    if connected is None:
        if team is None:
            raise Refused(NAME_THE_TENANT)
        return team, None
    client, found = connected
    return found, client


def _in_slack(settings: Settings, client: WebClient, tenant: str, emails: list[str]) -> Lookup:
    """Whose each email is in Slack, found at once for all of them (from the tenant's list of people
    when there are many), with how far it is on stderr; Slack failing refuses the whole file."""
    people = [PersonRef(None, email, 0, "email") for email in emails]  # a rota names people by email only
    with refused_when_failing(settings):
        found = find_in_slack(client, people, tenant_of(tenant), _active_person, say)
    return found.get


def _active_person(user: User | None, _: PersonRef) -> str | None:
    """The user ID of an active person; a deactivated account or a bot is nobody a rota may name."""
    return None if user is None or user.get("deleted") or user.get("is_bot") else str(user["id"])


def _import(
    settings: Settings, team_id: str, args: argparse.Namespace, data: bytes, client: WebClient | None
) -> tuple[list[RowProblem], RotationsImported, str]:
    with opened(settings, existing=True) as db:
        try:
            cohort = rotation_cohort(db.reading(), team_id, args.slug)
        except CohortNotFound as error:
            nearest = f" (did you mean {', '.join(error.suggestions)}?)" if error.suggestions else ""
            raise Refused(f"no cohort {args.slug} in {tenant_name(team_id)}{nearest}") from None
        zone, now = ZoneInfo(cohort.timezone), datetime.now(UTC)
        rotations = read_rotations(data, args.file, zone, now.astimezone(zone).date())
        emails = rotations.emails()
        ask = None
        if client is not None:  # Slack is asked about the emails no member's profile holds
            unknown = [email for email in emails if email not in cohort.members.by_email]
            ask = _in_slack(settings, client, team_id, unknown)
        found, refused = find_people(emails, cohort.members, ask)
        blocks, problems = assign_people(rotations, found, refused)
        imported = import_rotations(db.unit_of_work(), cohort, blocks, now=now, dry_run=args.dry_run)
    return problems, imported, cohort.timezone
