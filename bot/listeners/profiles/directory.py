"""`/circles coaches [<topic>]`, the Home tab's directory button, and asking someone to be your coach."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.listeners.incoming import Incoming
from bot.listeners.profiles.slack import send_direct, tell
from bot.views.directory import (
    directory_message,
    directory_modal,
    notice_modal,
    request_for_guide,
    request_sent,
    say,
)
from bot.views.errors import friendly_message
from circles.errors import CirclesError
from circles.services.partnerships.requests import request_guide, withdraw_request
from circles.services.people.directory import directory

if TYPE_CHECKING:
    from bot.listeners.commands.request import CommandRequest


def coaches_command(request: CommandRequest) -> None:
    topic = request.parsed.rest
    found = directory(request.deps.db.reading(), request.team_id, request.user_id, topic or None)
    request.reply(directory_message(found, topic))


def open_from_home(incoming: Incoming) -> None:
    """The Home tab has no thread to answer in: the directory opens as a modal."""
    try:
        view = directory_modal(
            directory(incoming.deps.db.reading(), incoming.team_id, incoming.user_id, None)
        )
    except CirclesError as error:
        view = notice_modal(say(friendly_message(error)))
    incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=view)


def request_chosen(incoming: Incoming) -> None:
    """Record the request, then tell only the coach, in a direct message with Accept and Decline."""
    slug, _, coach_id = incoming.action_value.partition(":")
    deps, team_id = incoming.deps, incoming.team_id
    try:
        sent = request_guide(deps.db.unit_of_work(), team_id, incoming.user_id, slug, coach_id, deps.clock())
    except CirclesError as error:
        tell(incoming, say(friendly_message(error)))
        return
    try:
        send_direct(incoming.client, sent.coach_id, request_for_guide(sent))
    except Exception:
        # Undelivered, it would block the learner's next request while nobody can answer it.
        withdraw_request(deps.db.unit_of_work(), team_id, sent.request_id, deps.clock())
        raise
    tell(incoming, request_sent(sent))
