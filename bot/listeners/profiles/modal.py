"""The profile form: open it within the trigger's seconds, check it in the ack, save it after."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.deps import Deps
from bot.listeners.incoming import Incoming
from bot.listeners.profiles.slack import slack_person
from bot.views.form_values import state_values
from bot.views.profile import avoided_users, not_in_a_cohort_modal, profile_modal, submitted_profile
from circles.services.matching.constraints import own_blocks, set_own_blocks
from circles.services.people.profiles import profile_form, save_profile

if TYPE_CHECKING:
    from bot.listeners.commands.request import CommandRequest


def open_profile_modal(
    client: WebClient, deps: Deps, *, trigger_id: str, team_id: str, user_id: str, note: str | None = None
) -> None:
    """Open the form filled with the person's profile: one quick read, then views.open, nothing else."""
    form = profile_form(deps.db.reading(), team_id, user_id)
    avoid = own_blocks(deps.db.reading(), team_id, user_id)
    view = profile_modal(form, note, avoid) if form.in_cohort else not_in_a_cohort_modal()
    client.views_open(trigger_id=trigger_id, view=view)


def edit_command(request: CommandRequest) -> None:
    """`/circles profile`."""
    open_profile_modal(
        request.client,
        request.deps,
        trigger_id=request.trigger_id,
        team_id=request.team_id,
        user_id=request.user_id,
    )


def edit_from_home(incoming: Incoming) -> None:
    """The Home tab's "Edit profile" button."""
    open_profile_modal(
        incoming.client,
        incoming.deps,
        trigger_id=incoming.body["trigger_id"],
        team_id=incoming.team_id,
        user_id=incoming.user_id,
    )


def check_submission(ack: Ack, body: dict[str, Any]) -> None:
    """The ack itself: what to fix shows inline at once; no database, no Slack call, nothing saved."""
    _, errors = submitted_profile(state_values(body.get("view")))
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        ack()


def save_submission(incoming: Incoming) -> None:
    """After the ack: save the person's own profile with their time zone fresh from Slack."""
    given, errors = submitted_profile(state_values(incoming.body.get("view")))
    if errors:
        return  # the form stayed open showing what to fix; nothing to save
    deps = incoming.deps
    save_profile(
        deps.db.unit_of_work(),
        incoming.team_id,
        incoming.user_id,
        given,
        slack=slack_person(incoming.client, incoming.user_id),
        now=deps.clock(),
    )
    avoid = avoided_users(state_values(incoming.body.get("view")))
    set_own_blocks(deps.db.unit_of_work(), incoming.team_id, incoming.user_id, avoid, deps.clock())
