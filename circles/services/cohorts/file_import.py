"""Import a cohort file: compare it with what is stored and apply the differences in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum

from circles.domain.cohort_file import (
    SETTING_KEYS,
    WORDINGS,
    CohortFile,
    CohortFileInvalid,
    FileProblem,
    MemberEntry,
)
from circles.domain.cohort_rules import WEEKDAYS, CohortSettings
from circles.domain.cohort_settings import PHASES
from circles.domain.health.paused import Stored, ended, started
from circles.domain.text import clean_optional
from circles.domain.vocabulary import MemberStatus
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Cohort, Member, Profile
from circles.queries.cohorts import facilitator_ids, hold_for_change, live_cohort, slug_taken
from circles.queries.members import add_member, cohort_members, profiles_by_user
from circles.queries.profiles import hold_profiles
from circles.services.cohorts.config import apply_settings, set_facilitators, settings_of
from circles.services.escalations.notes import Decrypt
from circles.services.health.due import look_at_cohort
from circles.services.intake.workspaces import find_workspace, workspace_for_request
from circles.services.people.welcome import welcome_added
from circles.services.planning.replan import replan, replan_people

CREATED_BY = "import"  # the cohort came from a file, not from someone in Slack
FROM_SLACK = ("email", "display_name", "timezone")
# A new profile starts empty; the columns' own defaults only apply once the row is inserted.
EMPTY_PROFILE: dict[str, str | int] = {"capacity": 0} | dict.fromkeys(
    ("interests", "skills", "aspirations", "department", "seniority", "availability", "offers"), ""
)


class ChangeKind(StrEnum):
    COHORT_CREATED = "cohort created"
    SETTING_CHANGED = "setting changed"
    FACILITATOR_ADDED = "facilitator added"
    FACILITATOR_REMOVED = "facilitator removed"
    MEMBER_ADDED = "member added"
    ROLE_CHANGED = "role changed"
    STATUS_CHANGED = "status changed"
    PROFILE_CHANGED = "profile changed"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    subject: str  # a setting's key in the file, or a Slack user ID
    detail: str = ""


@dataclass(frozen=True)
class SlackPerson:
    """Who an entry of the file turned out to be, with what Slack says about them."""

    user_id: str
    email: str | None = None
    display_name: str | None = None
    timezone: str | None = None
    team_id: str | None = None  # their own workspace (T…), which an org-wide token must name for them


@dataclass(frozen=True)
class ImportReport:
    team_id: str
    slug: str
    changes: list[Change]
    not_in_file: list[str]  # active or paused members the file does not list: kept as they are
    applied: bool  # False for a dry run, and when nothing needed changing
    welcomed: int = 0  # people added (or back) who are sent a private welcome; a dry run's would be


def as_given(cohort_file: CohortFile) -> dict[str, SlackPerson]:
    """The people of a file that names everyone by user ID, taken as written without asking Slack."""
    return {ref.key: SlackPerson(ref.user_id) for ref in cohort_file.people() if ref.user_id}


def import_cohort(
    uow: UnitOfWork,
    team_id: str,
    cohort_file: CohortFile,
    people: Mapping[str, SlackPerson],
    *,
    now: datetime,
    dry_run: bool = False,
    decrypt: Decrypt | None = None,
) -> ImportReport:
    """Make the stored cohort match the file; a dry run makes the same changes, then rolls them back."""
    # `people` answers who each PersonRef.key of the file is; the caller asked Slack (or took IDs as given).
    with uow:
        session = uow.session
        listed = [people[entry.person.key].user_id for entry in cohort_file.members]
        cohort, changes = _cohort(session, team_id, cohort_file, listed, now)
        wanted = list(dict.fromkeys(people[ref.key].user_id for ref in cohort_file.facilitators))
        current = facilitator_ids(session, cohort.id)
        changes += [Change(ChangeKind.FACILITATOR_ADDED, user) for user in wanted if user not in current]
        changes += [Change(ChangeKind.FACILITATOR_REMOVED, user) for user in current if user not in wanted]
        set_facilitators(session, cohort, wanted, now, decrypt=decrypt)  # the new ones get waiting alerts
        if set(wanted) != set(current):
            cohort.settings_saved_by = None  # a settings form opened before shows other facilitators
        member_changes, not_in_file, welcomed = _members(session, cohort, cohort_file.members, people, now)
        changes += member_changes
        applied = bool(changes) and not dry_run
        if applied:
            replan(session, [cohort.id], digests=True)
            uow.commit()
    return ImportReport(team_id, cohort_file.slug, changes, not_in_file, applied, welcomed)


def _cohort(
    session: Session, team_id: str, cohort_file: CohortFile, listed: Sequence[str], now: datetime
) -> tuple[Cohort, list[Change]]:
    workspace = find_workspace(session, team_id) or workspace_for_request(session, team_id, now)
    # Imports into one workspace take turns (SQLite's writers always do): one that waited reads what the
    # other wrote, so two imports of a new cohort at once create it once and the second applies the file to
    # it, as a second import does. NO KEY UPDATE leaves rows that point at the workspace free to be written.
    session.refresh(workspace, with_for_update={"key_share": True})
    # Then the file's people's profiles, its cohort's members and the cohort, in the order a round's
    # confirmation, an accepted request, a leave or a settings form takes them: they take turns, never
    # deadlock.
    hold_profiles(session, workspace.id, listed)
    cohort = live_cohort(session, workspace.id, cohort_file.slug)
    if cohort is None:
        if slug_taken(session, workspace.id, cohort_file.slug):  # archived cohorts keep their slug
            message = f"`{cohort_file.slug}` belongs to an archived cohort; choose another slug"
            raise CohortFileInvalid([FileProblem(cohort_file.file, cohort_file.slug_line, "slug", message)])
        cohort = Cohort(
            workspace_id=workspace.id, slug=cohort_file.slug, created_by=CREATED_BY, created_at=now
        )
        apply_settings(cohort, cohort_file.settings)
        session.add(cohort)
        session.flush()
        return cohort, [Change(ChangeKind.COHORT_CREATED, cohort_file.slug, cohort_file.settings.name)]
    hold_for_change(session, cohort)  # read as it now stands
    kept = settings_of(cohort)
    # Settings a file does not write (quiet hours, blackout dates) stay as the settings form left them.
    unwritten = (*NOT_IN_FILES, *cohort_file.unwritten)
    wanted = cohort_file.settings.with_changes(**{name: getattr(kept, name) for name in unwritten})
    before, after = _shown(kept), _shown(wanted)
    changes = [
        Change(ChangeKind.SETTING_CHANGED, key, f"{before[key]} → {after[key]}")
        for key in after
        if before[key] != after[key]
    ]
    if changes:
        apply_settings(cohort, wanted)
        cohort.settings_saved_by = None  # the file's settings: any form opened before is out of date
        look_at_cohort(session, cohort.id, now)
    return cohort, changes


NOT_IN_FILES = ("quiet_hours", "blackout_dates")


def _shown(settings: CohortSettings) -> dict[str, str]:
    """Each setting as the file writes it, keyed as in the file."""
    values = {
        item.name: getattr(settings, item.name)
        for item in fields(settings)
        if item.name not in ("thresholds", "survey_plan") and item.name not in NOT_IN_FILES
    }
    values |= settings.thresholds.to_json()
    for phase in PHASES:
        values[f"survey_{phase}"] = ", ".join(getattr(settings.survey_plan, phase)) or None
    values["prompt_weekday"] = WEEKDAYS[settings.prompt_weekday].lower()
    values["prompt_local_time"] = settings.prompt_local_time.strftime("%H:%M")
    return {SETTING_KEYS[name]: _shown_value(name, value) for name, value in values.items()}


def _shown_value(name: str, value: object) -> str:
    if value is None:
        return "default wording" if name in WORDINGS else "none"
    return f'"{value}"' if name in WORDINGS else str(value)


def _members(
    session: Session,
    cohort: Cohort,
    entries: Sequence[MemberEntry],
    people: Mapping[str, SlackPerson],
    now: datetime,
) -> tuple[list[Change], list[str], int]:
    stored = {member.slack_user_id: member for member in cohort_members(session, cohort.id)}
    listed = [people[entry.person.key] for entry in entries]
    profiles = profiles_by_user(session, cohort.workspace_id, [person.user_id for person in listed])
    changes: list[Change] = []
    moved = []  # people whose time zone changed: their cohorts and digests are worked out again, at once
    added: list[Member] = []  # memberships that begin now: welcomed, as the file's people did not join
    for entry, person in zip(entries, listed, strict=True):
        was = stored.get(person.user_id)
        changed_member, began = _member(session, cohort, was, entry, person.user_id, now)
        changes += changed_member
        added += [began] if began is not None and began.status is not MemberStatus.LEFT else []
        changed = _profile(session, cohort.workspace_id, profiles.get(person.user_id), entry, person, now)
        if changed:
            changes.append(Change(ChangeKind.PROFILE_CHANGED, person.user_id, ", ".join(changed)))
        if "timezone" in changed:
            moved.append(person.user_id)
    replan_people(session, cohort.workspace_id, moved)  # their other cohorts too
    welcomed = welcome_added(session, cohort, added, now)
    named = {person.user_id for person in listed}
    not_in_file = [user for user, m in stored.items() if user not in named and m.status != MemberStatus.LEFT]
    return changes, sorted(not_in_file), welcomed


def _member(
    session: Session, cohort: Cohort, member: Member | None, entry: MemberEntry, user_id: str, now: datetime
) -> tuple[list[Change], Member | None]:
    """The changes to the person's membership, and the membership when it begins now (new, or back)."""
    status = entry.status or (member.status if member else MemberStatus.ACTIVE)
    if member is None:
        added = add_member(session, cohort, user_id, entry.role, status, now)
        added.pauses = _paused_spans(added, status, now)
        shown = entry.role + ("" if status == "active" else f", {status}")
        return [Change(ChangeKind.MEMBER_ADDED, user_id, shown)], added
    changes, began = [], None
    if member.role != entry.role:
        changes.append(Change(ChangeKind.ROLE_CHANGED, user_id, f"{member.role} → {entry.role}"))
        member.role = entry.role
    if member.status != status:
        changes.append(Change(ChangeKind.STATUS_CHANGED, user_id, f"{member.status} → {status}"))
        if member.status == MemberStatus.LEFT:  # back after leaving, as when they join again
            member.joined_at, member.left_at, began = now, None, member
        member.pauses = _paused_spans(member, status, now)  # a break from the file is no time against a pair
        member.status, member.paused_until = status, None  # a pause from the file lasts until resumed
    return changes, began


def _paused_spans(member: Member, status: MemberStatus, now: datetime) -> Stored:
    """The membership's pauses once the file sets this status: a pause opens now, or the running one ends
    (at its date, when it ran out before)."""
    if status == MemberStatus.PAUSED:
        return started(member.pauses, now, member.status == MemberStatus.PAUSED, member.paused_until)
    if member.status == MemberStatus.PAUSED:
        ran_out = member.paused_until is not None and member.paused_until < now
        return ended(member.pauses, member.paused_until if ran_out and member.paused_until else now)
    return list(member.pauses or [])


def _profile(
    session: Session,
    workspace_id: int,
    profile: Profile | None,
    entry: MemberEntry,
    person: SlackPerson,
    now: datetime,
) -> list[str]:
    """Write the profile fields the file gives and what Slack says; leave every other field as it is.
    The names of the fields that changed."""
    # What Slack says was typed there by the person: cleaned like any typed text (a NUL breaks PostgreSQL).
    said = {name: clean_optional(getattr(person, name)) for name in FROM_SLACK}
    wanted = {name: value for name, value in said.items() if value} | entry.profile
    if not wanted:
        return []
    if profile is None:
        profile = Profile(
            workspace_id=workspace_id, slack_user_id=person.user_id, updated_at=now, **EMPTY_PROFILE
        )
        session.add(profile)
    changed = [name for name, value in wanted.items() if getattr(profile, name) != value]
    for name in changed:
        setattr(profile, name, wanted[name])
    if changed:
        profile.updated_at = now
    if person.team_id and profile.slack_team_id != person.team_id:
        profile.slack_team_id = person.team_id  # Slack's fact, not the file's: not reported as a change
    if "timezone" in changed:
        profile.timezone_checked_at = now
    return changed
