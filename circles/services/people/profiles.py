"""Profiles: what people tell others about themselves, who may see it, and what Slack keeps fresh."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime

from circles.domain.care import DEFAULT_FREE_TEXT_HINT, shared_hint
from circles.domain.requests import MAX_CAPACITY
from circles.domain.tenants import workspace_team
from circles.domain.text import clean_optional
from circles.domain.vocabulary import Role
from circles.errors import InvalidProfile, NotInAnyCohort, ProfileNotShared
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Profile
from circles.queries.cohorts import facilitated_cohorts
from circles.queries.members import current_memberships
from circles.queries.outbox.rows import reconsider_held
from circles.queries.profiles import find_profile
from circles.services.intake.workspaces import find_workspace
from circles.services.planning.replan import replan_person

# Characters per field: enough for a few sentences, short enough to read in a directory.
LIMITS = {
    "interests": 500,
    "skills": 500,
    "aspirations": 500,
    "department": 120,
    "seniority": 64,
    "availability": 300,
    "offers": 500,
}


@dataclass(frozen=True)
class ProfileFields:
    """What a person writes about themselves; offers and capacity only count for coaches and mentors."""

    interests: str = ""
    skills: str = ""
    aspirations: str = ""
    department: str = ""
    seniority: str = ""
    availability: str = ""
    offers: str = ""
    capacity: int | None = None

    def trimmed(self) -> ProfileFields:
        return replace(self, **{name: getattr(self, name).strip() for name in LIMITS})


def profile_problems(profile: ProfileFields) -> dict[str, str]:
    """Each field that breaks a rule, with what to change; pure, so it can run before the ack."""
    problems = {
        name: f"Please keep this under {limit} characters."
        for name, limit in LIMITS.items()
        if len(getattr(profile, name).strip()) > limit
    }
    if profile.capacity is not None and not 0 <= profile.capacity <= MAX_CAPACITY:
        problems["capacity"] = f"Choose a whole number from 0 to {MAX_CAPACITY}."
    return problems


@dataclass(frozen=True)
class SlackPerson:
    """What Slack's users.info says about someone, when it could be asked."""

    timezone: str | None
    display_name: str | None
    team_id: str | None = None  # the person's own workspace (T…), which an org-wide token must name


@dataclass(frozen=True)
class ProfileForm:
    fields: ProfileFields
    guides: bool  # a coach or mentor somewhere: the form asks what they offer and their capacity
    in_cohort: bool
    free_text_hint: str = DEFAULT_FREE_TEXT_HINT  # a profile serves every cohort: theirs when they agree


@dataclass(frozen=True)
class ProfileCard:
    """Only what a profile is meant to share: no email, no capacity, no partnerships."""

    user_id: str
    fields: ProfileFields
    timezone: str | None
    roles: list[tuple[str, Role]]  # (cohort name, role) in the cohorts the viewer shares with them


def profile_form(uow: UnitOfWork, team_id: str, user_id: str) -> ProfileForm:
    """The person's current profile, to fill the form with."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        current = current_memberships(uow.session, workspace.id, user_id) if workspace else []
        profile = find_profile(uow.session, workspace.id, user_id) if workspace else None
        guides = any(m.role.guides for m, _ in current)
        found = _fields(profile) if profile else ProfileFields()
        return ProfileForm(
            replace(found, capacity=found.capacity if guides else None),
            guides,
            bool(current),
            shared_hint([cohort.free_text_hint for _, cohort in current]),
        )


def save_profile(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    given: ProfileFields,
    *,
    slack: SlackPerson | None,
    now: datetime,
) -> None:
    """Save a person's own profile; what they offer and their capacity change only if they guide someone."""
    problems = profile_problems(given)
    if problems:
        raise InvalidProfile(problems)
    given = given.trimmed()
    with uow:
        workspace = find_workspace(uow.session, team_id)
        current = current_memberships(uow.session, workspace.id, user_id) if workspace else []
        if workspace is None or not current:
            raise NotInAnyCohort()
        profile = find_profile(uow.session, workspace.id, user_id)
        if profile is None:
            profile = Profile(workspace_id=workspace.id, slack_user_id=user_id, capacity=0)
            uow.session.add(profile)
        for name in ("interests", "skills", "aspirations", "department", "seniority", "availability"):
            setattr(profile, name, getattr(given, name))
        if any(m.role.guides for m, _ in current):
            profile.offers = given.offers
            profile.capacity = given.capacity if given.capacity is not None else profile.capacity
        profile.updated_at = now
        _apply_slack(uow.session, profile, slack, now)
        uow.commit()


def profile_card(
    uow: UnitOfWork,
    team_id: str,
    viewer_id: str,
    subject_id: str,
    *,
    slack: SlackPerson | None,
    now: datetime,
) -> ProfileCard:
    """Someone's card, for themselves or for people who share a cohort with them or run one of theirs."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            raise ProfileNotShared()
        theirs = current_memberships(uow.session, workspace.id, subject_id)
        if viewer_id == subject_id:
            visible = {cohort.id for _, cohort in theirs}
        else:
            visible = _viewer_cohorts(uow.session, workspace.id, viewer_id)
        shared = [(m, c) for m, c in theirs if c.id in visible]
        profile = find_profile(uow.session, workspace.id, subject_id)
        if profile is None or not shared:
            raise ProfileNotShared()  # the same answer either way: whether a profile exists is not shared
        _apply_slack(uow.session, profile, slack, now)
        uow.commit()
        shown = _fields(profile)
        guides = any(m.role.guides for m, _ in shared)
        shown = replace(shown, offers=shown.offers if guides else "", capacity=None)
        return ProfileCard(subject_id, shown, profile.timezone, [(c.name, m.role) for m, c in shared])


def refresh_from_slack(
    uow: UnitOfWork, team_id: str, user_id: str, *, slack: SlackPerson, now: datetime
) -> bool:
    """Update an existing profile's time zone and name; say whether there was a profile to update."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return False
        profile = find_profile(uow.session, workspace.id, user_id)
        if profile is None:
            return False  # people who never joined a cohort are not stored
        _apply_slack(uow.session, profile, slack, now)
        uow.commit()
        return True


def _viewer_cohorts(session: Session, workspace_id: int, viewer_id: str) -> set[int]:
    """The cohorts whose members' cards the viewer may see: their own and those they facilitate."""
    own = {cohort.id for _, cohort in current_memberships(session, workspace_id, viewer_id)}
    return own | {cohort.id for cohort in facilitated_cohorts(session, workspace_id, viewer_id)}


def _fields(profile: Profile) -> ProfileFields:
    return ProfileFields(
        **{f.name: getattr(profile, f.name) for f in fields(ProfileFields) if f.name != "capacity"},
        capacity=profile.capacity,
    )


def _apply_slack(session: Session, profile: Profile, slack: SlackPerson | None, now: datetime) -> None:
    if slack is None:
        return  # Slack could not be asked this time: keep what we knew
    # What Slack says is what a person typed there: cleaned like any typed text (a NUL breaks PostgreSQL,
    # a direction override reorders whatever is shown after their name).
    zone, name = clean_optional(slack.timezone), clean_optional(slack.display_name)
    if zone and profile.timezone != zone[:64]:
        profile.timezone = zone[:64]
        replan_person(session, profile.workspace_id, profile.slack_user_id)  # their check-ins' hour moved
        reconsider_held(session, profile.workspace_id, profile.slack_user_id, now)  # and their window
    if name:
        profile.display_name = name[:255]
    if team := workspace_team(slack.team_id):
        profile.slack_team_id = team
    profile.timezone_checked_at = now
