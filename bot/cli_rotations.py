"""`circles cohort rotations <slug> FILE`: rotation and leave blocks for a cohort's members, from CSV or
iCalendar, with a report of every row that was not understood; the other rows are imported. With
`--replace` the file is the members' whole rota over its days, and blocks imported before that it no longer
holds are taken away (a file with a row that could be a member's and cannot be used is then not imported)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.cli_common import EXIT_PROBLEMS, Refused, fail, opened, read_limited, tenant_name, tenant_option
from bot.cli_import_people import User, find_in_slack, say, tenant_of
from bot.cli_slack import NAME_THE_TENANT, connect, refuse_uninstalled, refused_when_failing
from circles.domain.cohort_file import PersonRef
from circles.domain.rotations import (
    MAX_BYTES,
    Lookup,
    RotationFileRefused,
    RowProblem,
    assign_people,
    holding_back,
    read_rotations,
    sort_people,
)
from circles.errors import CohortNotFound
from circles.services.availability.rotations import RotationsImported, import_rotations, rotation_cohort
from circles.settings import Settings

EXIT_SOME_ROWS = 1  # some rows were not understood: the others were imported (EXIT_PROBLEMS: nothing was)
NOT_REPLACED = (
    "with --replace every row must be usable (a row in error could be a member's block, which would be taken"
    " away): nothing was written; correct the rows above and import again"
)


def cohort_rotations(settings: Settings, args: argparse.Namespace) -> int:
    """Import the file's blocks, report each row with a problem; exit 1 when some rows had one and the
    others were imported, 2 when nothing could be: the file or cohort refused, or every row in error."""
    try:
        data = _read(Path(args.file))
        team_id, client = _slack(settings, args.team)
        problems, imported, cohort = _import(settings, team_id, args, data, client)
    except Refused as error:
        return fail([str(error)])
    except RotationFileRefused as error:
        return fail([f"{args.file}: {error}"])
    for problem in problems:
        print(f"circles: {args.file}:{problem}", file=sys.stderr)
    if imported is None:
        return fail([f"{args.file}: {NOT_REPLACED}"])
    lines = describe(args.slug, team_id, cohort.timezone, imported, problems, dry_run=args.dry_run)
    if getattr(args, "replace", False):
        lines[2:2] = taken_away(imported, cohort.timezone, cohort.emails, dry_run=args.dry_run)
    print("\n".join(lines))
    if not problems:
        return 0
    return EXIT_SOME_ROWS if took_effect(imported) else EXIT_PROBLEMS


def took_effect(imported: RotationsImported) -> bool:
    """Whether any row of the file was used: a block added, moved to the file's end or found already stored,
    or (replacing the rota) one taken away. A file whose every row was in error imported nothing."""
    return bool(imported.added or imported.updated or imported.already_stored or imported.removed)


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


def taken_away(
    imported: RotationsImported, zone: str, emails: Mapping[str, str], *, dry_run: bool
) -> list[str]:
    """The blocks a replacing file took away, each by its person's email (never a Slack ID) and days."""
    if imported.span is None:
        return []
    first, last = _days(imported.span, ZoneInfo(zone))
    verb = "would be taken away" if dry_run else "taken away"
    lines = [
        f"blocks {verb}: {len(imported.removed)} imported before from {first} to {last} and not in the file"
    ]
    for gone in imported.removed:
        start, end = _days((gone.starts_at, gone.ends_at), ZoneInfo(zone))
        if gone.running:
            what = "running: would end now" if dry_run else "running: ended now"
        else:
            what = "not started: would be removed" if dry_run else "not started: removed"
        who = emails.get(gone.user_id, "someone with no email on their profile")  # one who left, say
        lines.append(f"  {who}: {gone.kind} {start} to {end}, {what}")
    return lines


def _days(span: tuple[datetime, datetime], zone: ZoneInfo) -> tuple[str, str]:
    """The first and last day of a span in the cohort's time zone, as a rota writes them."""
    starts_at, ends_at = span
    last = (ends_at - timedelta(microseconds=1)).astimezone(zone).date()  # the instant back ends the last day
    return starts_at.astimezone(zone).date().isoformat(), last.isoformat()


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
        refuse_uninstalled(settings, team)
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


class Cohort(NamedTuple):
    timezone: str
    emails: dict[str, str]  # each member's (and each person the file names) email, by user ID


def _import(
    settings: Settings, team_id: str, args: argparse.Namespace, data: bytes, client: WebClient | None
) -> tuple[list[RowProblem], RotationsImported | None, Cohort]:
    """The rows not understood, and what was imported (None: a replacing file with rows in error)."""
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
        people = sort_people(emails, cohort.members, ask)
        blocks, problems = assign_people(rotations, people.found, people.refused, people.outside)
        known = {user: email for email, user in [*cohort.members.by_email.items(), *people.found.items()]}
        replace = getattr(args, "replace", False)
        if replace and holding_back(problems):
            return problems, None, Cohort(cohort.timezone, known)
        imported = import_rotations(
            db.unit_of_work(), cohort, blocks, now=now, dry_run=args.dry_run, replace=replace
        )
    return problems, imported, Cohort(cohort.timezone, known)
