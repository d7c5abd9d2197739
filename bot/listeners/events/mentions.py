"""An @mention of the app in a channel or group DM: the person gets, in their own DM with the app, the answer
a message typed there gets (one a minute, the same one); nothing is said in the channel, and the text is
never read."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.listeners.events.direct_messages import answer_person, written_by_a_person
from bot.listeners.incoming import Incoming


def mentioned_by_a_person(event: dict[str, Any], bot_user_id: str | None) -> str | None:
    """Who named the app; None for the app itself, other bots, Slackbot, an edit (its message was answered
    when it was first posted) or anything but an app_mention."""
    if event.get("type") != "app_mention" or event.get("edited"):
        return None
    return written_by_a_person(event, bot_user_id)


def is_mention(body: dict[str, Any], context: BoltContext) -> bool:
    """Whether the event is a person naming the app: only that takes any work at all."""
    event = body.get("event")
    return isinstance(event, dict) and mentioned_by_a_person(event, context.bot_user_id) is not None


def app_mentioned(incoming: Incoming) -> None:
    """Record the answer to the person's DM (one a minute per person, shared with what they type there);
    the woken sender posts it within a second."""
    answer_person(
        incoming, mentioned_by_a_person(incoming.body.get("event") or {}, incoming.context.bot_user_id)
    )
