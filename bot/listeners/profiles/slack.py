"""What the profile and directory listeners ask of Slack, and how they answer people privately."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.listeners.incoming import Incoming
from bot.views.directory import notice_modal
from bot.views.message import Message
from circles.services.people.profiles import SlackPerson

logger = logging.getLogger(__name__)


def slack_person(client: WebClient, user_id: str) -> SlackPerson | None:
    """Someone's time zone and name from users.info; None when Slack cannot say right now."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        logger.warning("users.info failed for %s: %s", user_id, error.response.get("error"))
        return None
    except (SlackRequestError, OSError) as error:
        logger.warning("users.info failed for %s: %s", user_id, error)
        return None
    names = user.get("profile") or {}
    return SlackPerson(
        timezone=user.get("tz") or None,
        display_name=names.get("display_name") or names.get("real_name") or user.get("real_name") or None,
    )


def send_direct(client: WebClient, user_id: str, message: Message) -> None:
    """A direct message from the app to one person: the only place a request or its answer appears."""
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.chat_postMessage(channel=channel, text=message.text, blocks=message.block_dicts())


def tell(incoming: Incoming, message: Message) -> None:
    """Answer the person who clicked: below the message they clicked, or over the modal they are in."""
    if incoming.respond.response_url:
        incoming.respond(
            text=message.text, blocks=message.block_dicts(), response_type="ephemeral", replace_original=False
        )
    elif incoming.body.get("view") and incoming.body.get("trigger_id"):
        incoming.client.views_push(trigger_id=incoming.body["trigger_id"], view=notice_modal(message))
