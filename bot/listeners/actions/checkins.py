"""Check-in buttons: a rating tapped or the full form opened (the DM then says "answered"); a pair chosen."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.listeners.actions.pressed_in import Where, action_of, sent_there
from bot.listeners.incoming import Incoming
from bot.slack_refusals import send_dm, slack_failure
from bot.views.checkin import (
    answered_message,
    closed_message,
    parse_checkin_id,
    parse_partnership_id,
    parse_rate_value,
)
from bot.views.checkin_form import FormOrigin, checkin_modal
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
from circles.services.checkins.opening import start_checkin

logger = logging.getLogger(__name__)
# The message stays, but its buttons go: these refusals mean it can never be answered again.
CLOSED = (CheckInAlreadyAnswered, CheckInSuperseded, CheckInClosed)


def rating_tapped(incoming: Incoming) -> None:
    """A quick answer from the DM: the rating alone, stored, and the message updated in place."""
    parsed = parse_rate_value(action_of(incoming).get("value"))
    if parsed is None:
        raise CheckInNotYours()  # a value this app never wrote: refuse kindly, say nothing more
    checkin_id, rating = parsed
    clicked = clicked_message(incoming)
    answered = answer_checkin(incoming, checkin_id, CheckInAnswer(rating=rating), clicked)
    done = answered_message(answered)
    if clicked is not None and not sent_there(incoming, clicked):
        post_in_dm(incoming, done)  # pressed in a message the app did not send for it: that one stays
    elif clicked is None or not _replace(incoming, clicked, done):
        incoming.respond(text=done.text, blocks=done.block_dicts(), response_type="ephemeral")


def open_form(incoming: Incoming, *, wants_support: bool = False) -> None:
    """Open the full form for a check-in the person may still answer."""
    checkin_id = parse_checkin_id(action_of(incoming).get("value"))
    if checkin_id is None:
        raise CheckInNotYours()
    clicked = clicked_message(incoming)
    try:
        checkin = checkin_to_answer(
            incoming.deps.db.reading(), incoming.team_id, incoming.user_id, checkin_id, incoming.deps.clock()
        )
    except CLOSED as closed:
        _close(incoming, clicked, closed)
        raise
    pair = checkin.partnership_id
    form = FormOrigin(checkin_id, *clicked, pair=pair) if clicked else FormOrigin(checkin_id, pair=pair)
    incoming.client.views_open(
        trigger_id=incoming.body["trigger_id"], view=checkin_modal(checkin, form, wants_support=wants_support)
    )


def open_form_for_support(incoming: Incoming) -> None:
    open_form(incoming, wants_support=True)


def start_chosen(incoming: Incoming) -> None:
    """A pair chosen in `/circles checkin`'s choice: its check-in opened now (or the one waiting), then its
    form; a pair not the presser's, or no longer running, is refused as a stale check-in button is."""
    partnership_id = parse_partnership_id(incoming.action_value)
    if partnership_id is None:
        raise CheckInNotYours()  # a value this app never wrote
    checkin = incoming.as_person(start_checkin, partnership_id, incoming.deps.clock())
    # No message of the app asked this check-in where the choice was pressed: the answer goes to the DM.
    form = FormOrigin(checkin.checkin_id, pair=partnership_id)
    incoming.client.views_open(trigger_id=incoming.trigger_id, view=checkin_modal(checkin, form))


def answer_checkin(
    incoming: Incoming, checkin_id: int, given: CheckInAnswer, shown_in: Where | None, pair: int | None = None
) -> Answered:
    """Store the answer; a check-in that can no longer be answered loses its buttons where it is shown.
    `pair`: the partnership its form names (see `answer`)."""
    deps = incoming.deps
    try:
        return incoming.as_person(
            answer,
            checkin_id,
            given,
            deps.clock(),
            cipher=_cipher(deps) if given.clean_note else None,
            admins=deps.circles_admins(incoming.team_id),  # when no facilitator may hear a support request
            pair=pair,
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


def clicked_message(incoming: Incoming) -> Where | None:
    """The message a button says it sits in (the presser's word, see `sent_there`); None for ephemeral
    messages, which cannot be updated."""
    container = incoming.body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if container.get("is_ephemeral") or not isinstance(channel, str) or not isinstance(ts, str):
        return None
    return channel, ts


def _close(incoming: Incoming, shown_in: Where | None, closed: CirclesError) -> None:
    """The check-in's reason in place of its buttons. Answered already: most often this very message a
    moment ago (a double click, a form sent twice, another device), so it keeps the answer it shows; the
    refusal alone tells the person."""
    if shown_in is not None and not isinstance(closed, CheckInAlreadyAnswered):
        update_message(incoming, shown_in, closed_message(friendly_message(closed)))


def update_message(incoming: Incoming, shown_in: Where, message: Message) -> bool:
    """Replace the check-in or survey in the person's DM; False when it is not a message the app sent them
    for it, or when Slack would not (the message is gone, Slack too slow)."""
    return sent_there(incoming, shown_in) and _replace(incoming, shown_in, message)


def _replace(incoming: Incoming, shown_in: Where, message: Message) -> bool:
    channel, ts = shown_in
    try:
        incoming.client.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.block_dicts())
    except (SlackApiError, OSError) as error:  # OSError: Slack did not answer in time, or not at all
        logger.warning("could not update a check-in message: %s", slack_failure(error))
        return False
    return True


def post_in_dm(incoming: Incoming, message: Message) -> None:
    """A private answer in the app's DM, where a form, having no thread, answers."""
    blocks = message.block_dicts() or None
    send_dm(incoming.client, incoming.user_id, message.text, blocks)
