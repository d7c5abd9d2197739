"""The coach and mentor directory: opened from Home, asking someone to coach you, and their answer.

Only the person asked may answer, and only the two of them hear of it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View
from sqlalchemy.exc import SQLAlchemyError

from bot import ids
from bot.listeners.incoming import Incoming, parse_id
from bot.slack_refusals import after_the_change, could_not_reach, open_dm, post_dm, slack_failure
from bot.views.directory.listing import directory_modal, page_asked
from bot.views.directory.requests import (
    accepted_for_guide,
    accepted_for_learner,
    accepted_untold,
    already_asked,
    declined_for_guide,
    declined_for_learner,
    declined_untold,
    notice_modal,
    request_for_guide,
    request_sent,
    say,
    withdrawn_for_learner,
)
from bot.views.errors import friendly_message
from bot.views.message import Message
from bot.views.pages import turn_pressed
from circles.domain.paging import Turn
from circles.errors import CirclesError, RequestAlreadyOpen, RequestLapsed
from circles.services.partnerships.request_notices import remember_copy
from circles.services.partnerships.request_view import RequestView
from circles.services.partnerships.request_withdrawal import withdraw_own_request
from circles.services.partnerships.requests import (
    accept_request,
    decline_request,
    request_guide,
    withdraw_request,
)
from circles.services.people.directory import directory

logger = logging.getLogger(__name__)


def open_from_home(incoming: Incoming) -> None:
    """The Home tab has no thread to answer in: the directory opens as a modal."""
    incoming.client.views_open(trigger_id=incoming.trigger_id, view=_directory_view(incoming, "", 0))


def open_all(incoming: Incoming) -> None:
    """The "See all" under the directory message: every coach and mentor, page by page, with buttons."""
    topic, page = page_asked(incoming.action_value) or ("", 0)
    incoming.client.views_open(trigger_id=incoming.trigger_id, view=_directory_view(incoming, topic, page))


def turn_page(incoming: Incoming) -> None:
    """Another page of the same modal, read again; a value this app did not write changes nothing.

    The page starts right after the last person shown, as the buttons' block names them (a button drawn
    before it named them: at the page number). No hash: a second press of the same button (both carry the
    page it was pressed on) shows that page again, where Slack would refuse it as a conflict and the person
    be told something went wrong."""
    asked, view = page_asked(incoming.action_value), incoming.body.get("view") or {}
    if asked is None or not view.get("id"):
        return
    topic, page = asked
    turn = turn_pressed(incoming.body["actions"][0], ids.DIRECTORY_PAGES_BLOCK, page)
    incoming.client.views_update(view_id=view["id"], view=_directory_view(incoming, topic, turn))


def _directory_view(incoming: Incoming, topic: str, turn: Turn | int) -> View:
    deps = incoming.deps
    try:
        found = directory(
            deps.db.reading(), incoming.team_id, incoming.user_id, topic or None, now=deps.clock()
        )
    except CirclesError as error:
        return notice_modal(say(friendly_message(error)))
    return directory_modal(found, topic, turn)


def request_chosen(incoming: Incoming) -> None:
    """Record the request, then tell only the coach, in a direct message with Accept and Decline."""
    slug, _, coach_id = incoming.action_value.partition(":")
    deps, team_id = incoming.deps, incoming.team_id
    try:
        sent = request_guide(deps.db.unit_of_work(), team_id, incoming.user_id, slug, coach_id, deps.clock())
    except RequestAlreadyOpen as waiting:  # with a button to withdraw the one that waits
        _tell(incoming, already_asked(friendly_message(waiting), waiting.slug))
        return
    except CirclesError as error:
        _tell(incoming, say(friendly_message(error)))
        return
    try:
        delivered = _post_direct(incoming.client, sent.coach_id, request_for_guide(sent))
    except Exception:
        # Undelivered, it would block the learner's next request while nobody can answer it.
        withdraw_request(deps.db.unit_of_work(), team_id, sent.request_id, deps.clock())
        raise
    if delivered is None:
        withdraw_request(deps.db.unit_of_work(), team_id, sent.request_id, deps.clock())
        _tell(incoming, say(could_not_reach(sent.coach_id)))
        return
    channel, ts = delivered
    try:  # redrawn as closed if the learner's side closes it before the coach answers
        remember_copy(deps.db.unit_of_work(), team_id, sent.request_id, channel, ts, deps.clock())
    except SQLAlchemyError as error:  # the request went: only a later redraw of its copy is lost
        logger.warning(
            "could not keep where request %s was posted: %s", sent.request_id, type(error).__name__
        )
    _tell(incoming, request_sent(sent))


def withdrawn_by_learner(incoming: Incoming) -> None:
    """The learner withdraws the request that waits in a cohort, to ask someone else."""
    slug, deps = incoming.action_value, incoming.deps
    try:
        coach = withdraw_own_request(
            deps.db.unit_of_work(), incoming.team_id, incoming.user_id, slug, deps.clock()
        )
    except CirclesError as error:
        _tell(incoming, say(friendly_message(error)))
        return
    _tell(incoming, withdrawn_for_learner(coach, slug))


Words = Callable[[RequestView], Message]


def accepted(incoming: Incoming) -> None:
    _answer(incoming, accept_request, accepted_for_learner, (accepted_for_guide, accepted_untold))


def declined(incoming: Incoming) -> None:
    _answer(incoming, decline_request, declined_for_learner, (declined_for_guide, declined_untold))


def _answer(
    incoming: Incoming,
    record: Callable[..., RequestView],
    for_learner: Words,
    for_guide: tuple[Words, Words],
) -> None:
    """Record the coach's answer, tell the learner, then turn the request in the coach's DM into what was
    done (so it cannot be clicked twice): `for_guide` says it when the learner was told, and when not."""
    # No row has id 0: a value that is not an id is answered as a request that is not there.
    request_id, deps = parse_id(incoming.action_value) or 0, incoming.deps
    try:
        answer = record(deps.db.unit_of_work(), incoming.team_id, incoming.user_id, request_id, deps.clock())
    except RequestLapsed as lapsed:  # closed by this press: why takes the request's place, buttons and all
        closed = say(friendly_message(lapsed))
        incoming.respond(text=closed.text, blocks=closed.block_dicts(), replace_original=True)
        return
    try:
        reached: bool | None = _send_direct(incoming.client, answer.learner_id, for_learner(answer))
    except (SlackApiError, OSError) as error:  # Slack kept failing or was too slow: the answer stands
        logger.warning("could not tell the learner of a coach's answer: %s", slack_failure(error))
        reached = None
    shown = for_guide[0](answer) if reached else for_guide[1](answer)
    incoming.respond(text=shown.text, blocks=shown.block_dicts(), replace_original=True)
    if reached is False:
        _tell(incoming, say(could_not_reach(answer.learner_id)))


def _send_direct(client: WebClient, user_id: str, message: Message) -> bool:
    """A direct message from the app to one person: the only place a request or its answer appears."""
    return _post_direct(client, user_id, message) is not None


def _post_direct(client: WebClient, user_id: str, message: Message) -> tuple[str, str] | None:
    """As `_send_direct`: where the message went (channel, ts), or None when Slack cannot reach them."""
    channel = open_dm(client, user_id)
    return None if channel is None else post_dm(client, channel, message.text, message.block_dicts())


def _tell(incoming: Incoming, message: Message) -> None:
    """Answer the person who clicked: below the message they clicked, or over the modal they are in."""
    if incoming.respond.response_url:
        incoming.respond(
            text=message.text, blocks=message.block_dicts(), response_type="ephemeral", replace_original=False
        )
    elif incoming.body.get("view") and incoming.body.get("trigger_id"):
        # The trigger lives three seconds, which a slow DM to the coach may have spent: then the DM.
        push = partial(
            incoming.client.views_push, trigger_id=incoming.body["trigger_id"], view=notice_modal(message)
        )
        if not after_the_change("answering over the directory", push):
            incoming.reply(message)
