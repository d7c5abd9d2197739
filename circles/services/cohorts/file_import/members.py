"""A cohort file's members: their memberships, roles and statuses, and the profile fields it gives."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from circles.domain.cohort_file import MemberEntry
from circles.domain.health.paused import Stored, ended, started
from circles.domain.text import clean_optional
from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.db import Session
from circles.persistence.models import Cohort, Member, Profile
from circles.queries.members import add_member, cohort_members, profiles_by_user
from circles.queries.partnerships import guiding_here
from circles.services.cohorts.file_import.report import Change, ChangeKind
from circles.services.cohorts.file_import.slack_people import SlackPerson
from circles.services.outbox.held import reconsider_held
from circles.services.partnerships.request_notices import close_requests_of
from circles.services.people.membership.joining import begin_again
from circles.services.people.welcome import welcome_added
from circles.services.planning.replan import replan_people

FROM_SLACK = ("email", "display_name", "timezone")
# A new profile starts empty; the columns' own defaults only apply once the row is inserted.
EMPTY_PROFILE: dict[str, str | int | None] = {
    "capacity": None,  # not said: only a file's own capacity, or the person, says how many partners
    **dict.fromkeys(
        ("interests", "skills", "aspirations", "department", "seniority", "availability", "offers"), ""
    ),
}


def file_members(
    session: Session,
    cohort: Cohort,
    entries: Sequence[MemberEntry],
    people: Mapping[str, SlackPerson],
    now: datetime,
) -> tuple[list[Change], list[str], int]:
    """Apply the file's members: the changes, the members it leaves out, and how many are welcomed."""
    stored = {member.slack_user_id: member for member in cohort_members(session, cohort.id)}
    listed = [people[entry.person.key] for entry in entries]
    profiles = profiles_by_user(session, cohort.workspace_id, [person.user_id for person in listed])
    changes: list[Change] = []
    moved = []  # people whose time zone changed: their cohorts and digests are worked out again, at once
    added: list[Member] = []  # memberships that begin now: welcomed, as the file's people did not join
    # Coaches and mentors the file makes learners or peers: requests to them can no longer be accepted.
    stopped_guiding = [
        m.id
        for e, p in zip(entries, listed, strict=True)
        if (m := stored.get(p.user_id)) and m.role.guides and not e.role.guides
    ]
    close_requests_of(session, cohort, stopped_guiding, now)
    # Their running partnerships go on (the learners keep who they know): the summary says so.
    still_guiding = guiding_here(session, stopped_guiding)
    for entry, person in zip(entries, listed, strict=True):
        was = stored.get(person.user_id)
        role = was.role if was is not None else None  # as it was: the membership takes the file's
        changed_member, began = _member(session, cohort, was, entry, person.user_id, now)
        if was is not None and role is not None and still_guiding.get(was.id):
            changed_member = [_still_guiding(c, role, still_guiding[was.id]) for c in changed_member]
        changes += changed_member
        added += [began] if began is not None and began.status is not MemberStatus.LEFT else []
        membership = was if was is not None else began
        if membership is None or membership.status is MemberStatus.LEFT:
            continue  # they left by themselves: nothing of theirs is written (an erased profile stays erased)
        changed = _profile(session, cohort.workspace_id, profiles.get(person.user_id), entry, person, now)
        if changed:
            changes.append(Change(ChangeKind.PROFILE_CHANGED, person.user_id, ", ".join(changed)))
        if "timezone" in changed:
            moved.append(person.user_id)
    replan_people(session, cohort.workspace_id, moved, moved_at=now)  # their other cohorts too
    reconsider_held(session, cohort.workspace_id, moved, now)  # what waited for their old hours, again
    welcomed = welcome_added(session, cohort, added, now)
    named = {person.user_id for person in listed}
    not_in_file = [user for user, m in stored.items() if user not in named and m.status != MemberStatus.LEFT]
    return changes, sorted(not_in_file), welcomed


def _member(
    session: Session, cohort: Cohort, member: Member | None, entry: MemberEntry, user_id: str, now: datetime
) -> tuple[list[Change], Member | None]:
    """The changes to the person's membership, and the membership when it begins now (new, or back)."""
    status = entry.status or (member.status if member else MemberStatus.ACTIVE)
    if member is not None and member.status is MemberStatus.LEFT and status is not MemberStatus.ACTIVE:
        status = MemberStatus.LEFT  # leaving is theirs to do: only `status: active` brings them back
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
            begin_again(member, now)
            began = member
        member.pauses = _paused_spans(member, status, now)  # a break from the file is no time against a pair
        member.status, member.paused_until = status, None  # a pause from the file lasts until resumed
    return changes, began


def _still_guiding(change: Change, was: Role, learners: int) -> Change:
    """A role change away from coaching or mentoring, with the partnerships that still run as before."""
    if change.kind is not ChangeKind.ROLE_CHANGED:
        return change
    doing = "coaching" if was is Role.COACH else "mentoring"
    those = "that partnership goes" if learners == 1 else "those partnerships go"
    whom = "1 learner" if learners == 1 else f"{learners} learners"
    detail = f"{change.detail} (still {doing} {whom} here: {those} on until ended)"
    return Change(change.kind, change.subject, detail)


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
