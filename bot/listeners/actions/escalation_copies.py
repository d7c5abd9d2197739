"""What every escalation button shares: reading its value, answering the clicker, redrawing each copy."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.listeners.incoming import Incoming, parse_id
from bot.views.escalation import escalation_message
from circles.services.escalations.actions import EscalationView, MessageCopy

logger = logging.getLogger(__name__)


def clicked_id(incoming: Incoming) -> int | None:
    return parse_id(str(incoming.body["actions"][0].get("value", "")))


def say(incoming: Incoming, text: str) -> None:
    incoming.respond(text=text, response_type="ephemeral", replace_original=False)


def redraw(incoming: Incoming, view: EscalationView) -> None:
    """Update every DM the alert went out as (and the one clicked): everyone sees where it stands."""
    copies = list(view.copies)
    container = incoming.body.get("container") or {}
    clicked = (str(container.get("channel_id") or ""), str(container.get("message_ts") or ""))
    if all(clicked) and clicked not in {(c.channel, c.ts) for c in copies}:
        copies.append(MessageCopy(*clicked, for_admins=not view.actor_facilitates))
    for copy in copies:
        message = escalation_message(view.card_for(copy))
        try:
            incoming.client.chat_update(
                channel=copy.channel, ts=copy.ts, text=message.text, blocks=message.block_dicts()
            )
        except SlackApiError as failed:  # one deleted copy must not keep the others stale
            logger.warning("could not redraw a copy of an escalation: %s", failed.response.get("error"))
