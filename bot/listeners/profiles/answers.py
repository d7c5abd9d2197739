"""The coach's Accept and Decline: only the person asked may answer, and only the two of them hear of it."""

from __future__ import annotations

from bot.listeners.incoming import Incoming, parse_id
from bot.listeners.profiles.slack import send_direct
from bot.views.directory import (
    accepted_for_guide,
    accepted_for_learner,
    declined_for_guide,
    declined_for_learner,
)
from bot.views.message import Message
from circles.services.partnerships.requests import accept_request, decline_request


def accepted(incoming: Incoming) -> None:
    deps = incoming.deps
    answer = accept_request(
        deps.db.unit_of_work(), incoming.team_id, incoming.user_id, _request_id(incoming), deps.clock()
    )
    _replace_request(incoming, accepted_for_guide(answer))
    send_direct(incoming.client, answer.learner_id, accepted_for_learner(answer))


def declined(incoming: Incoming) -> None:
    deps = incoming.deps
    answer = decline_request(
        deps.db.unit_of_work(), incoming.team_id, incoming.user_id, _request_id(incoming), deps.clock()
    )
    _replace_request(incoming, declined_for_guide(answer))
    send_direct(incoming.client, answer.learner_id, declined_for_learner(answer))


def _request_id(incoming: Incoming) -> int:
    # No row has id 0: a value that is not an id is answered as a request that is not there.
    return parse_id(incoming.action_value) or 0


def _replace_request(incoming: Incoming, message: Message) -> None:
    """The request in the coach's direct messages becomes their answer, so it cannot be clicked twice."""
    incoming.respond(text=message.text, blocks=message.block_dicts(), replace_original=True)
