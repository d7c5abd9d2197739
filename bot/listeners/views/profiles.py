"""The profile form, submitted: checked in the ack, saved after it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.listeners.incoming import Incoming, ack_errors
from bot.slack_people import slack_person
from bot.views.form_values import state_values
from bot.views.profile import avoided_users, submitted_profile
from circles.services.matching.constraints import set_own_blocks
from circles.services.people.profiles import save_profile


def check_submission(ack: Ack, body: dict[str, Any]) -> None:
    """The ack itself: what to fix shows inline at once; no database, no Slack call, nothing saved."""
    ack_errors(ack, submitted_profile(state_values(body.get("view")))[1])


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
