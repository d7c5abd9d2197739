"""What Slack keeps fresh on a stored profile: the time zone, the display name and the person's own team;
kept from a join on, so a member's check-ins and quiet hours follow their own zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from circles.domain.tenants import workspace_team
from circles.domain.text import clean_optional, clean_typed, one_line
from circles.persistence.db import Session, UnitOfWork
from circles.persistence.models import Profile
from circles.queries.members import current_memberships
from circles.queries.profiles import find_profile, hold_profile
from circles.services.intake.workspaces import find_workspace
from circles.services.outbox.held import follow_new_zone, reconsider_held
from circles.services.planning.replan import replan_person


@dataclass(frozen=True)
class SlackPerson:
    """What Slack's users.info says about someone, when it could be asked."""

    timezone: str | None
    display_name: str | None
    team_id: str | None = None  # the person's own workspace (T…), which an org-wide token must name
    deleted: bool = False  # the account is deactivated or deleted: they have left Slack
    # Every name Slack gives for them (real, display, first, last): only a research export reads them.
    names: tuple[str, ...] = ()


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
        apply_slack(uow.session, profile, slack, now)
        uow.commit()
        return True


def keep_from_slack(
    uow: UnitOfWork, team_id: str, user_id: str, *, slack: SlackPerson, now: datetime
) -> bool:
    """Keep what Slack says on a member's profile, made for it when they have none yet; say whether it was
    kept. A profile made so holds nothing they wrote, which is no profile of theirs (`fields.written`)."""
    if not (slack.timezone or slack.display_name or slack.team_id):
        return False  # nothing to keep: no row for it
    with uow:
        workspace = find_workspace(uow.session, team_id)
        if workspace is None:
            return False
        profile = hold_profile(uow.session, workspace.id, user_id, now)
        if not current_memberships(uow.session, workspace.id, user_id):
            return False  # left (perhaps erased) meanwhile: nothing of theirs is kept, the new row undone
        apply_slack(uow.session, profile, slack, now)
        uow.commit()
        return True


def apply_slack(session: Session, profile: Profile, slack: SlackPerson | None, now: datetime) -> None:
    """Keep what Slack says on the profile; a new time zone moves the person's planned and held messages."""
    if slack is None:
        return  # Slack could not be asked this time: keep what we knew
    # What Slack says is what a person typed there: cleaned like any typed text (a NUL breaks PostgreSQL,
    # a direction override reorders whatever is shown after their name).
    zone, name = clean_optional(slack.timezone), clean_optional(slack.display_name)
    if zone and profile.timezone != zone[:64]:
        was, profile.timezone = profile.timezone, zone[:64]
        # What was planned at the hour of the zone used for them (their cohort's, with none of their own):
        # at the hour of the one used now.
        follow_new_zone(session, profile.workspace_id, profile.slack_user_id, (was, zone[:64]), now)
        # Their check-ins' hour moved: one the new zone puts in the past before it went comes at once.
        replan_person(session, profile.workspace_id, profile.slack_user_id, moved_at=now)
        reconsider_held(session, profile.workspace_id, [profile.slack_user_id], now)  # and their window
    if name:
        profile.display_name = name[:255]
    if names := slack_names(slack.names):
        profile.slack_names = names
    if team := workspace_team(slack.team_id):
        profile.slack_team_id = team
    profile.timezone_checked_at = now


# Slack gives a handful of names (real, display, first, last, and their plain-letter forms): a few more
# would be no name of the person's.
NAMES_KEPT = 8


def slack_names(given: tuple[str, ...]) -> list[str]:
    """The distinct names Slack gave, cleaned like typed text, each on one line and at most 255 characters."""
    kept: list[str] = []
    for name in given:
        clean = one_line(clean_typed(name))[:255]
        if clean and clean not in kept:
            kept.append(clean)
    return kept[:NAMES_KEPT]
