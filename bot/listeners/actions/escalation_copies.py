"""What every escalation button shares: reading its value, acting as the clicker, redrawing each copy."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.deps import note_decrypt
from bot.listeners.incoming import Incoming, parse_id
from bot.slack_refusals import open_dm
from bot.views.escalation import escalation_message, withdrawn_message
from bot.views.escalation_forms import OUT_OF_DATE
from circles.messages import EscalationWithdrawn
from circles.services.escalations.access import EscalationAct
from circles.services.escalations.view import EscalationView, MessageCopy

logger = logging.getLogger(__name__)


def clicked_id(incoming: Incoming) -> int | None:
    return parse_id(str(incoming.body["actions"][0].get("value", "")))


def acting(incoming: Incoming, escalation_id: int) -> EscalationAct:
    """The person who pressed or submitted, acting on the escalation now (the service checks they may)."""
    deps = incoming.deps
    return EscalationAct(
        deps.db.unit_of_work(),
        incoming.team_id,
        incoming.user_id,
        escalation_id,
        is_admin=incoming.is_admin(),
        now=deps.clock(),
        decrypt=note_decrypt(deps),
    )


def act_on(
    incoming: Incoming,
    escalation_id: int | None,
    change: Callable[..., EscalationView],
    *args: object,
    **options: object,
) -> EscalationView | None:
    """Change the escalation as the person who pressed (the service checks they may), then redraw it.

    None, and the person told the button is out of date, when its value is not one this app wrote.
    """
    if escalation_id is None:
        incoming.say(OUT_OF_DATE)
        return None
    view = change(acting(incoming, escalation_id), *args, **options)
    redraw(incoming, view)
    return view


def redraw(incoming: Incoming, view: EscalationView) -> None:
    """Update every DM the alert went out as, as the outbox recorded them (and the presser's own copy it did
    not): everyone sees where it stands, but a former facilitator's copy, which keeps nothing of the pair."""
    copies = list(view.copies)
    if own := _own_unrecorded_copy(incoming, view):
        copies.append(own)
    for copy in copies:
        card = view.card_for(copy)
        if copy.withdrawn:  # drawn as the outbox's redraw of it is, by the one renderer
            message = withdrawn_message(EscalationWithdrawn(card.cohort_name))
        else:
            message = escalation_message(card)
        try:
            incoming.client.chat_update(
                channel=copy.channel, ts=copy.ts, text=message.text, blocks=message.block_dicts()
            )
        except (SlackClientError, OSError) as failed:  # one deleted copy, or Slack not answering in time,
            # must not keep the others stale, nor tell the person their step failed: it is recorded.
            logger.warning("could not redraw a copy of an escalation: %s", _why(failed))


def _own_unrecorded_copy(incoming: Incoming, view: EscalationView) -> MessageCopy | None:
    """The pressed message when the outbox does not know it as a copy (a send whose answer Slack lost), and
    only in the presser's own DM with the app, as Slack tells the app. A button's container is the
    presser's word: it can name any message of the app, a circle's prompt in its channel too."""
    container = incoming.body.get("container") or {}
    clicked = (str(container.get("channel_id") or ""), str(container.get("message_ts") or ""))
    if not all(clicked) or clicked in {(c.channel, c.ts) for c in view.copies}:
        return None
    try:
        own_dm = open_dm(incoming.client, incoming.user_id)
    except (SlackClientError, OSError) as failed:
        logger.warning("could not tell whether a pressed alert is the presser's own: %s", _why(failed))
        return None
    if own_dm != clicked[0]:
        return None
    return MessageCopy(*clicked, for_admins=not view.actor_facilitates)


def _why(failed: Exception) -> str:
    """Slack's error code, or the kind of failure (a timeout, a dropped connection): never a message."""
    if isinstance(failed, SlackApiError):
        return str(failed.response.get("error"))
    return type(failed).__name__
