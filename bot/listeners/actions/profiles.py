"""The profile form, opened within the trigger's seconds: from Home, `/circles profile`, or after joining."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.deps import Deps
from bot.listeners.incoming import Incoming
from bot.views.profile import not_in_a_cohort_modal, profile_modal
from circles.services.matching.constraints import own_blocks
from circles.services.people.profiles import profile_form


def open_profile_modal(
    client: WebClient, deps: Deps, *, trigger_id: str, team_id: str, user_id: str, note: str | None = None
) -> None:
    """Open the form filled with the person's profile: one quick read, then views.open, nothing else."""
    form = profile_form(deps.db.reading(), team_id, user_id)
    avoid = own_blocks(deps.db.reading(), team_id, user_id)
    view = profile_modal(form, note, avoid) if form.in_cohort else not_in_a_cohort_modal()
    client.views_open(trigger_id=trigger_id, view=view)


def edit_from_home(incoming: Incoming) -> None:
    """The Home tab's "Edit profile" button."""
    open_profile_modal(
        incoming.client,
        incoming.deps,
        trigger_id=incoming.body["trigger_id"],
        team_id=incoming.team_id,
        user_id=incoming.user_id,
    )
