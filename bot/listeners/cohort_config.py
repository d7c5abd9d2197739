"""The cohort settings form: opened from a button, saved on submit with every rule re-checked."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import ids
from bot.deps import Deps
from bot.listeners.commands.cohorts import open_config_modal
from bot.listeners.incoming import Incoming, ack_now, after_ack
from bot.views.cohort_config_submission import errors_by_block, read_submission, submitted_values
from bot.views.errors import friendly_message
from circles.errors import CirclesError, InvalidCohortSettings
from circles.services.cohorts import configure_cohort
from prompts.tracks import track_names

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    app.action(ids.HOME_CONFIGURE_COHORT)(ack=ack_now, lazy=[after_ack(open_from_button, deps)])
    app.view(ids.COHORT_CONFIG_VIEW)(partial(save, deps=deps))


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
        incoming.client.chat_postMessage(channel=incoming.user_id, text=friendly_message(refused))


def save(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, deps: Deps) -> None:
    """Check and save in one short transaction, so problems come back on the form itself."""
    settings, facilitators, unreadable = read_submission(submitted_values(body))
    if unreadable:
        ack(response_action="errors", errors=unreadable)
        return
    slug = str((body.get("view") or {}).get("private_metadata") or "")
    user_id = context.user_id or ""
    team_id = context.team_id or ""
    try:
        configure_cohort(
            deps.db.unit_of_work(),
            team_id,
            slug,
            settings,
            facilitators,
            user_id=user_id,
            is_admin=deps.is_admin(client, team_id, user_id),
            now=deps.clock(),
            known_tracks=frozenset(track_names()),
        )
    except InvalidCohortSettings as invalid:
        ack(response_action="errors", errors=errors_by_block(invalid.problems))
        return
    except CirclesError as refused:
        ack(response_action="errors", errors={"name": friendly_message(refused)})
        return
    ack()
    logger.info("cohort %s configured by %s", slug, user_id)
