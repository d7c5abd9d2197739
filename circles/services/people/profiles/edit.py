"""A person's own profile: the form filled with what they wrote, and saving it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from circles.domain.care import DEFAULT_FREE_TEXT_HINT, shared_hint
from circles.errors import InvalidProfile, NotInAnyCohort
from circles.persistence.db import UnitOfWork
from circles.queries.members import current_memberships
from circles.queries.profiles import find_profile, hold_profile
from circles.services.intake.workspaces import find_workspace
from circles.services.people.profiles.fields import ProfileFields, fields_of, profile_problems
from circles.services.people.profiles.slack import SlackPerson, apply_slack


@dataclass(frozen=True)
class ProfileForm:
    fields: ProfileFields
    guides: bool  # a coach or mentor somewhere: the form asks what they offer and their capacity
    in_cohort: bool
    free_text_hint: str = DEFAULT_FREE_TEXT_HINT  # a profile serves every cohort: theirs when they agree


def profile_form(uow: UnitOfWork, team_id: str, user_id: str) -> ProfileForm:
    """The person's current profile, to fill the form with."""
    with uow:
        workspace = find_workspace(uow.session, team_id)
        current = current_memberships(uow.session, workspace.id, user_id) if workspace else []
        profile = find_profile(uow.session, workspace.id, user_id) if workspace else None
        guides = any(m.role.guides for m, _ in current)
        found = fields_of(profile) if profile else ProfileFields()
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
        profile = hold_profile(uow.session, workspace.id, user_id, now)
        for name in ("interests", "skills", "aspirations", "department", "seniority", "availability"):
            setattr(profile, name, getattr(given, name))
        if any(m.role.guides for m, _ in current):
            profile.offers = given.offers
            profile.capacity = given.capacity if given.capacity is not None else profile.capacity
        profile.updated_at = now
        apply_slack(uow.session, profile, slack, now)
        uow.commit()
