"""Messages typed in the app's DM: each person gets a private answer at once; the text is never read."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.listeners.incoming import Incoming
from circles.domain.text import slack_id
from circles.services.support.care import answer_typed_message

# A person typing, with or without a file, perhaps in a thread or with /me; edits, deletions, joins are not.
TYPED = frozenset({None, "file_share", "thread_broadcast", "me_message"})


def typed_by_a_person(event: dict[str, Any], bot_user_id: str | None) -> str | None:
    """Who typed this in the app's DM; None for the app's own posts, other bots, edits, other places."""
    if event.get("channel_type") != "im" or event.get("subtype") not in TYPED:
        return None
    if event.get("bot_id") or event.get("bot_profile"):
        return None
    user = slack_id(event.get("user"))
    return user if user != bot_user_id else None


def is_typed(body: dict[str, Any], context: BoltContext) -> bool:
    """Whether a message event is someone typing in the app's DM: only that takes any work at all."""
    event = body.get("event")
    return isinstance(event, dict) and typed_by_a_person(event, context.bot_user_id) is not None


def message_typed(incoming: Incoming) -> None:
    """Record the answer (one a minute per person); the woken sender posts it within a second."""
    person = typed_by_a_person(incoming.body.get("event") or {}, incoming.context.bot_user_id)
    if person is None:
        return
    answer_typed_message(incoming.deps.db.unit_of_work(), incoming.team_id, person, incoming.deps.clock())
