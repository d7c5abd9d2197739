"""Check-in answers: a rating tapped in the DM, the full form, and the message turning into "answered"."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.deps import Deps
from bot.listeners.incoming import Incoming, ack_now, after_ack
from bot.views.checkin import answered_message, closed_message, parse_checkin_id, parse_rate_value
from bot.views.checkin_form import FormOrigin, checkin_modal, submitted_answer
from bot.views.errors import friendly_message
from bot.views.message import Message
from circles.domain.checkins import CheckInAnswer
from circles.errors import (
    CheckInAlreadyAnswered,
    CheckInClosed,
    CheckInNotYours,
    CheckInSuperseded,
    CirclesError,
)
from circles.notes import NoteCipher, NotesKeyMissing, note_cipher
from circles.services.checkins.answers import Answered, answer, checkin_to_answer

logger = logging.getLogger(__name__)
# The message stays, but its buttons go: these refusals mean it can never be answered again.
CLOSED = (CheckInAlreadyAnswered, CheckInSuperseded, CheckInClosed)
Where = tuple[str, str]  # the channel and ts of the DM message holding a check-in


def register(app: App, deps: Deps) -> None:
    rate = re.compile(rf"^{ids.CHECKIN_RATE}_[1-5]$")
    app.action(rate)(ack=ack_now, lazy=[after_ack(rating_tapped, deps)])
    app.action(ids.CHECKIN_OPEN)(ack=ack_now, lazy=[after_ack(open_form, deps)])
    app.action(ids.CHECKIN_OPEN_SUPPORT)(ack=ack_now, lazy=[after_ack(open_form_for_support, deps)])
    # The form's ack checks the fields itself, so mistakes show inline; storing waits until after it.
    app.view(ids.CHECKIN_VIEW)(ack=check_form, lazy=[after_ack(form_sent, deps)])


def rating_tapped(incoming: Incoming) -> None:
    """A quick answer from the DM: the rating alone, stored, and the message updated in place."""
    parsed = parse_rate_value(_action(incoming).get("value"))
    if parsed is None:
        raise CheckInNotYours()  # a value this app never wrote: refuse kindly, say nothing more
    checkin_id, rating = parsed
    clicked = _clicked_message(incoming)
    answered = _answer(incoming, checkin_id, CheckInAnswer(rating=rating), clicked)
    done = answered_message(answered)
    if clicked is None or not _update(incoming, clicked, done):
        incoming.respond(text=done.text, blocks=done.block_dicts(), response_type="ephemeral")


def open_form(incoming: Incoming, *, wants_support: bool = False) -> None:
    """Open the full form for a check-in the person may still answer."""
    checkin_id = parse_checkin_id(_action(incoming).get("value"))
    if checkin_id is None:
        raise CheckInNotYours()
    clicked = _clicked_message(incoming)
    try:
        checkin = checkin_to_answer(
            incoming.deps.db.reading(), incoming.team_id, incoming.user_id, checkin_id
        )
    except CLOSED as closed:
        _close(incoming, clicked, closed)
        raise
    form = FormOrigin(checkin_id, *clicked) if clicked else FormOrigin(checkin_id)
    incoming.client.views_open(
        trigger_id=incoming.body["trigger_id"], view=checkin_modal(checkin, form, wants_support=wants_support)
    )


def open_form_for_support(incoming: Incoming) -> None:
    open_form(incoming, wants_support=True)


def check_form(ack: Ack, body: dict[str, Any]) -> None:
    """The ack itself: what to fix shows inline at once; no database, no Slack call, nothing stored."""
    _, errors = submitted_answer(_form_values(body))
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        ack()


def form_sent(incoming: Incoming) -> None:
    """After the ack: store the answer, then update the DM message (or confirm in the DM)."""
    given, _ = submitted_answer(_form_values(incoming.body))
    if given is None:
        return  # the form stayed open showing what to fix
    origin = FormOrigin.decode((incoming.body.get("view") or {}).get("private_metadata"))
    try:
        if origin is None:
            raise CheckInNotYours()
        shown_in = (origin.channel, origin.ts) if origin.channel and origin.ts else None
        answered = _answer(incoming, origin.checkin_id, given, shown_in)
    except Exception as error:
        # A form has no thread to answer in: the refusal (or apology) goes to the person's DM with the app.
        _direct(incoming, Message(text=friendly_message(error), blocks=[]))
        if not isinstance(error, CirclesError):
            raise  # and the details to the log
        return
    if shown_in is None or not _update(incoming, shown_in, answered_message(answered)):
        _direct(incoming, answered_message(answered))


def _answer(incoming: Incoming, checkin_id: int, given: CheckInAnswer, shown_in: Where | None) -> Answered:
    deps = incoming.deps
    try:
        return answer(
            deps.db.unit_of_work(),
            incoming.team_id,
            incoming.user_id,
            checkin_id,
            given,
            deps.clock(),
            cipher=_cipher(deps) if given.clean_note else None,
        )
    except CLOSED as closed:
        _close(incoming, shown_in, closed)
        raise


def _cipher(deps: Deps) -> NoteCipher | None:
    """The notes cipher; None (the note is not stored, the rest of the answer is) without a usable key."""
    try:
        return note_cipher(deps.settings)
    except (NotesKeyMissing, ValueError):
        logger.error("a check-in note was not stored: no usable notes key (CIRCLES_NOTES_KEY)")
        return None


def _clicked_message(incoming: Incoming) -> Where | None:
    """The DM message a button sits in; None for ephemeral messages, which cannot be updated."""
    container = incoming.body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if container.get("is_ephemeral") or not isinstance(channel, str) or not isinstance(ts, str):
        return None
    return channel, ts


def _close(incoming: Incoming, shown_in: Where | None, closed: CirclesError) -> None:
    if shown_in is not None:
        _update(incoming, shown_in, closed_message(friendly_message(closed)))


def _update(incoming: Incoming, shown_in: Where, message: Message) -> bool:
    """Replace the check-in in the DM; False when Slack would not (the message is gone, say)."""
    channel, ts = shown_in
    try:
        incoming.client.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.block_dicts())
    except SlackApiError as error:
        logger.warning("could not update a check-in message: %s", error.response.get("error"))
        return False
    return True


def _direct(incoming: Incoming, message: Message) -> None:
    blocks = message.block_dicts() or None
    incoming.client.chat_postMessage(channel=incoming.user_id, text=message.text, blocks=blocks)


def _action(incoming: Incoming) -> dict[str, Any]:
    actions = incoming.body.get("actions") or [{}]
    first = actions[0]
    return first if isinstance(first, dict) else {}


def _form_values(body: dict[str, Any]) -> dict[str, Any]:
    values = ((body.get("view") or {}).get("state") or {}).get("values")
    return values if isinstance(values, dict) else {}
