"""The full check-in form: checked in the ack, stored after it, the DM message then turned "answered"."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack

from bot.listeners.actions.checkins import answer_checkin, post_in_dm, update_message
from bot.listeners.incoming import Incoming, ack_errors
from bot.slack_refusals import after_the_change
from bot.views.checkin import answered_message
from bot.views.checkin_form import FormOrigin, submitted_answer
from bot.views.errors import friendly_message
from bot.views.message import Message
from circles.errors import CheckInNotYours, CirclesError


def check_form(ack: Ack, body: dict[str, Any]) -> None:
    """The ack itself: what to fix shows inline at once; no database, no Slack call, nothing stored."""
    ack_errors(ack, submitted_answer(_form_values(body))[1])


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
        answered = answer_checkin(incoming, origin.checkin_id, given, shown_in)
    except CirclesError as error:
        # A form has no thread to answer in: the refusal goes to the person's DM with the app. Any other
        # failure rises: the error handler says it there, once, and logs it as its kind calls for.
        post_in_dm(incoming, Message(text=friendly_message(error), blocks=[]))
        return
    if shown_in is None or not update_message(incoming, shown_in, answered_message(answered)):
        confirm = partial(post_in_dm, incoming, answered_message(answered))
        after_the_change("confirming a check-in answer", confirm)  # it is answered whatever Slack does


def _form_values(body: dict[str, Any]) -> dict[str, Any]:
    values = ((body.get("view") or {}).get("state") or {}).get("values")
    return values if isinstance(values, dict) else {}
