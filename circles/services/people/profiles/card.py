"""Someone's profile card, shown only to people who share a cohort with them or run one of theirs."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from circles.domain.text import clean_optional
from circles.domain.vocabulary import Role
from circles.errors import ProfileNotShared
from circles.persistence.db import Session, UnitOfWork
from circles.queries.cohorts import facilitated_cohorts
from circles.queries.members import current_memberships
from circles.queries.profiles import find_profile
from circles.services.intake.workspaces import find_workspace
from circles.services.people.profiles.fields import ProfileFields, fields_of
from circles.services.people.profiles.slack import SlackPerson, apply_slack


@dataclass(frozen=True)
class ProfileCard:
    """Only what a profile is meant to share: no email, no capacity, no partnerships."""

    user_id: str
    fields: ProfileFields
    timezone: str | None
    roles: list[tuple[str, Role]]  # (cohort name, role) in the cohorts the viewer shares with them


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
        if not shared:
            raise ProfileNotShared()  # whether they have a profile at all is not shared either
        profile = find_profile(uow.session, workspace.id, subject_id)
        if profile is None:
            # Nothing kept of them yet (Slack was not asked at their join): a card like that of someone
            # whose profile holds only what Slack says, the zone as Slack says it now (kept only at a join).
            zone = clean_optional(slack.timezone) if slack else None
            shown, timezone = ProfileFields(), zone[:64] if zone else None
        else:
            apply_slack(uow.session, profile, slack, now)
            uow.commit()
            shown, timezone = fields_of(profile), profile.timezone
        guides = any(m.role.guides for m, _ in shared)
        shown = replace(shown, offers=shown.offers if guides else "", capacity=None)
        return ProfileCard(subject_id, shown, timezone, [(c.name, m.role) for m, c in shared])


def _viewer_cohorts(session: Session, workspace_id: int, viewer_id: str) -> set[int]:
    """The cohorts whose members' cards the viewer may see: their own and those they facilitate."""
    own = {cohort.id for _, cohort in current_memberships(session, workspace_id, viewer_id)}
    return own | {cohort.id for cohort in facilitated_cohorts(session, workspace_id, viewer_id)}
