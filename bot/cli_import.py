"""`circles cohort import FILE`: check a cohort file, find its people in Slack, then apply it."""

from __future__ import annotations

import argparse
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy.exc import IntegrityError

from bot.cli_common import (
    Refused,
    fail,
    missing_sqlite_file,
    opened,
    read_limited,
    tenant_name,
    tenant_option,
)
from bot.cli_import_people import look_up as look_up  # where the cohort import looks people up
from bot.cli_import_people import say, tenant_of
from bot.cli_slack import NAME_THE_TENANT, connect, refuse_uninstalled, refused_when_failing
from bot.views.kept_completed import kept_completed_lines
from circles.domain.admins import tenant_admins
from circles.domain.cohort_file import (
    LISTED_PROBLEMS,
    MAX_BYTES,
    CohortFile,
    CohortFileInvalid,
    FileProblem,
    parse_cohort_file,
    same_person_twice,
)
from circles.domain.tenants import is_organisation_key
from circles.notes import NotesKeyMissing, note_cipher
from circles.notes_key import stored_notes_key
from circles.services.cohorts.file_import import (
    ChangeKind,
    ImportReport,
    SlackPerson,
    as_given,
    import_cohort,
)
from circles.services.escalations.notes import Decrypt
from circles.settings import Settings
from instruments.catalog import catalogue
from prompts.tracks import track_names

SHOWN = {  # how each change is printed, and its name in the tally
    ChangeKind.COHORT_CREATED: ("+ cohort {subject} created: {detail}", "cohort created"),
    ChangeKind.SETTING_CHANGED: ("~ {subject}: {detail}", "settings changed"),
    ChangeKind.FACILITATOR_ADDED: ("+ facilitator {who}", "facilitators added"),
    ChangeKind.FACILITATOR_REMOVED: ("- facilitator {who}", "facilitators removed"),
    ChangeKind.MEMBER_ADDED: ("+ member {who} as {detail}", "members added"),
    ChangeKind.ROLE_CHANGED: ("~ member {who}: role {detail}", "roles changed"),
    ChangeKind.STATUS_CHANGED: ("~ member {who}: status {detail}", "statuses changed"),
    ChangeKind.PROFILE_CHANGED: ("~ member {who}: profile {detail}", "profiles changed"),
}
SHOWN_PROBLEMS = LISTED_PROBLEMS  # a file wrong throughout would bury the first lines, the ones to fix first


def cohort_import(settings: Settings, args: argparse.Namespace) -> int:
    """Check the file and its people, then apply it or show the plan; exit 2 means nothing was written."""
    try:
        text = read_file(args.file)
        checked = partial(
            parse_cohort_file,
            text,
            args.file,
            frozenset(track_names()),
            today=datetime.now(UTC).date(),
            known_surveys=catalogue(settings.circles_instruments_dir),
        )
        cohort_file = checked()
        team_id, people, notes = find_people(settings, cohort_file, args.team)
        if is_organisation_key(team_id):  # known only now: its circles meet in group DMs, sizes checked so
            cohort_file = checked(organisation=True)
        report = _apply(settings, team_id, cohort_file, people, dry_run=args.dry_run)
    except CohortFileInvalid as error:
        return fail(shown_problems(error.problems, error.unlisted))
    except Refused as error:
        return fail([str(error)])
    names = {person.user_id: person.email or person.display_name for person in people.values()}
    print("\n".join([*notes, *describe(report, names, dry_run=args.dry_run)]))
    return 0


def read_file(name: str) -> str:
    """The file's text; Refused when it cannot be read, or is larger than a cohort file may be."""
    data = read_limited(Path(name), MAX_BYTES)
    if data is None:
        raise Refused(
            f"{name}: larger than {MAX_BYTES // 2**20} MB: "
            "split its members over several files (members missing from a file are kept)"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refused(f"{name}: cannot read it: {error}") from None


def shown_problems(problems: list[FileProblem], unlisted: int = 0) -> list[str]:
    """The first SHOWN_PROBLEMS problems, one line each, and how many more there are (`unlisted`: found,
    not kept)."""
    lines = [str(problem) for problem in problems[:SHOWN_PROBLEMS]]
    if (more := len(problems[SHOWN_PROBLEMS:]) + unlisted) > 0:
        lines.append(f"… and {more:,} more problems")
    return lines


def find_people(
    settings: Settings, cohort_file: CohortFile, team: str | None
) -> tuple[str, dict[str, SlackPerson], list[str]]:
    """The tenant and who each entry of the file is: from Slack, or as written with --team and no token."""
    tenant_option(team)
    by_email = [ref for ref in cohort_file.people() if ref.email]
    connected = connect(settings, team)
    if connected is None:
        if by_email:
            where = f"{cohort_file.file}:{by_email[0].line}"
            raise Refused(
                f"SLACK_BOT_TOKEN is not set: {where} names someone by email, and only Slack knows who"
            )
        if team is None:
            raise Refused(NAME_THE_TENANT)
        refuse_uninstalled(settings, team)
        note = (
            f"{tenant_name(team)} from --team; no SLACK_BOT_TOKEN, "
            "so user IDs are taken as given, not checked"
        )
        return team, as_given(cohort_file), [note]
    client, found = connected
    with refused_when_failing(settings):
        people, problems = look_up(client, cohort_file, tenant_of(found), say)
    problems += same_person_twice(cohort_file, {key: person.user_id for key, person in people.items()})
    if problems:
        raise CohortFileInvalid(problems)
    return found, people, []


def _apply(
    settings: Settings,
    team_id: str,
    cohort_file: CohortFile,
    people: dict[str, SlackPerson],
    *,
    dry_run: bool,
) -> ImportReport:
    with ExitStack() as stack:
        if dry_run and missing_sqlite_file(settings) is not None:
            # Nothing is stored yet, so everything in the file would be new; a dry run writes nothing,
            # not even the database: it is planned against an empty one that is thrown away.
            empty = Path(stack.enter_context(TemporaryDirectory())) / "circles.db"
            settings = settings.model_copy(update={"database_url": f"sqlite:///{empty}"})
        db = stack.enter_context(opened(settings))
        try:
            return import_cohort(
                db.unit_of_work(),
                team_id,
                cohort_file,
                people,
                now=datetime.now(UTC),
                dry_run=dry_run,
                decrypt=_decrypt(settings),
                admins=tenant_admins(settings.circles_admins, team_id),  # a released alert nobody may hear
            )
        except IntegrityError:
            # Imports take turns, but someone may join or save their profile at that very moment: the
            # transaction was rolled back, and running it again applies the file to what is there now.
            raise Refused(
                f"{cohort_file.file}: cohort {cohort_file.slug} changed while the file was applied (someone "
                "joined it or saved their profile at that moment); nothing was written: run it again"
            ) from None


def _decrypt(settings: Settings) -> Decrypt | None:
    """Open shared notes with the key `circles run` uses, for the alerts a new facilitator is sent."""
    try:
        return note_cipher(stored_notes_key(settings)).decrypt
    except NotesKeyMissing:
        return None


def describe(report: ImportReport, names: dict[str, str | None], *, dry_run: bool) -> list[str]:
    """One line per change (a new member's profile on their line), a tally, then what became of them."""
    lines = [f"cohort {report.slug} in {tenant_name(report.team_id)}" + (" (dry run)" if dry_run else "")]
    previous = None
    named = partial(_named, names)
    for change in report.changes:
        who = named(change.subject)
        if change.kind is ChangeKind.PROFILE_CHANGED and previous == (
            ChangeKind.MEMBER_ADDED,
            change.subject,
        ):
            lines[-1] += f"; profile: {change.detail}"
        else:
            lines.append(
                "  " + SHOWN[change.kind][0].format(subject=change.subject, detail=change.detail, who=who)
            )
        previous = (change.kind, change.subject)
    if report.not_in_file:
        lines.append(f"  = not in the file, kept as they are: {', '.join(report.not_in_file)}")
    if not report.changes:
        return [*lines, "no changes: the cohort already matches the file"]
    tally = Counter(change.kind for change in report.changes)
    lines.append(", ".join(f"{SHOWN[kind][1]}: {count}" for kind, count in tally.items()))
    lines += ["  ! " + line for line in kept_completed_lines(report.kept_completed, named, dry_run=dry_run)]
    if report.welcomed:
        welcomed = "would be welcomed" if dry_run else "welcomed"
        lines.append(
            f"{report.welcomed:,} {'person' if report.welcomed == 1 else 'people'} {welcomed}: "
            "a private message each, in their own working hours"
        )
    done = "saved" if not dry_run else "dry run: nothing was written; run it again without --dry-run to save"
    return [*lines, done]


def _named(names: dict[str, str | None], user_id: str) -> str:
    """Someone as the summary shows them: their ID, and the email or name Slack gave for it."""
    return f"{user_id} ({names[user_id]})" if names.get(user_id) else user_id
