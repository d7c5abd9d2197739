"""Messages typed in the app's DM: each person gets a private answer at once; the text is never read."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import BoltContext

from bot.listeners.incoming import Incoming
from bot.slack_refusals import send_dm
from bot.views.direct_answer import unrecorded_answer_message
from circles.domain.care import direct_answer_key
from circles.domain.text import slack_id
from circles.services.support.care import answer_typed_message

logger = logging.getLogger(__name__)
REMEMBERED = 10_000  # people answered from memory before the oldest minutes are forgotten

# A person typing, with or without a file, perhaps in a thread or with /me; edits, deletions, joins are not.
TYPED = frozenset({None, "file_share", "thread_broadcast", "me_message"})
# Slackbot posts in a person's DM with the app as a user of its own (a reminder someone set there, a notice
# from Slack): nobody typed it, and an answer to it would go to nobody who asked.
SLACKBOT = "USLACKBOT"


def typed_by_a_person(event: dict[str, Any], bot_user_id: str | None) -> str | None:
    """Who typed this in the app's DM; None for the app's own posts, other bots, edits, other places."""
    return written_by_a_person(event, bot_user_id) if event.get("channel_type") == "im" else None


def written_by_a_person(event: dict[str, Any], bot_user_id: str | None) -> str | None:
    """Who wrote the message of this event; None for a kind nobody typed (an edit, a deletion, a join), the
    app's own posts, other bots and Slackbot."""
    if event.get("subtype") not in TYPED or event.get("bot_id") or event.get("bot_profile"):
        return None
    user = slack_id(event.get("user"))
    return user if user not in (bot_user_id, SLACKBOT) else None


def is_typed(body: dict[str, Any], context: BoltContext) -> bool:
    """Whether a message event is someone typing in the app's DM: only that takes any work at all."""
    event = body.get("event")
    return isinstance(event, dict) and typed_by_a_person(event, context.bot_user_id) is not None


def message_typed(incoming: Incoming) -> None:
    """Record the answer (one a minute per person); the woken sender posts it within a second."""
    answer_person(incoming, typed_by_a_person(incoming.body.get("event") or {}, incoming.context.bot_user_id))


def answer_person(incoming: Incoming, person: str | None) -> None:
    """Record the private answer to what `person` wrote to the app, in their DM with it (nobody: nothing)."""
    if person is None:
        return
    deps = incoming.deps
    answer_typed_message(
        deps.db.unit_of_work(), incoming.team_id, person, deps.clock(), deps.circles_admins(incoming.team_id)
    )


class AnswerFromMemory:
    """When the answer cannot be recorded (the database is down, say), the person is still answered, by
    this process, once a minute at most: a flood of messages during an outage gets one answer a minute,
    not an apology each, and none of them asks to "try again" what nobody reads anyway."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._answered: set[str] = set()

    def __call__(self, context: BoltContext, error: Exception) -> None:
        person = slack_id(context.user_id)
        if person is None or context.client is None:
            return
        key = f"{context.team_id}:{direct_answer_key(person, self._clock())}"
        if key in self._answered:
            return
        if len(self._answered) >= REMEMBERED:
            self._answered.clear()  # at worst, someone is answered twice in a minute
        self._answered.add(key)
        message = unrecorded_answer_message()
        try:
            send_dm(context.client, person, message.text, message.block_dicts())
        except Exception:  # Slack failing too: the log has the failure, never the person's words
            logger.warning("could not answer a typed message from memory", exc_info=True)
