"""The Home tab's button opening a cohort's settings form; the form itself is in views/cohort_config."""

from __future__ import annotations

from bot.listeners.commands.cohorts import open_config_modal
from bot.listeners.incoming import Incoming
from bot.slack_refusals import send_dm
from bot.views.errors import friendly_message
from circles.errors import CirclesError


def open_from_button(incoming: Incoming) -> None:
    slug = incoming.action_value
    try:
        open_config_modal(
            incoming.deps,
            incoming.client,
            incoming.team_id,
            incoming.user_id,
            slug,
            incoming.body["trigger_id"],
            incoming.is_admin(),
        )
    except CirclesError as refused:
        # A button in the home tab has no response_url: answer in the app's DM.
        send_dm(incoming.client, incoming.user_id, friendly_message(refused))
