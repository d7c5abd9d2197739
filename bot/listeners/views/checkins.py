"""The full check-in form: checked in the ack, stored after it, the DM message then turned "answered"."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack

from bot.listeners.actions.checkins import CLOSED, answer_checkin, post_in_dm, update_message
from bot.listeners.incoming import Incoming, ack_errors
from bot.slack_refusals import after_the_change
from bot.views.checkin import answered_message
from bot.views.checkin_form import FormOrigin, submitted_answer
from bot.views.checkin_refused import support_refused_too, support_went_anyway
from bot.views.errors import friendly_message
from bot.views.message import Message
from circles.domain.checkins import CheckInAnswer
from circles.errors import CheckInNotYours, CirclesError
from circles.services.checkins.late_support import support_anyway


def check_form(ack: Ack, body: dict[str, Any]) -> None:
    """The ack itself: what to fix shows inline at once; no database, no Slack call, nothing stored."""
    ack_errors(ack, submitted_answer(_form_values(body))[1])


def form_sent(incoming: Incoming) -> None:
    """After the ack: store the answer, then update the DM message (or confirm in the DM)."""
    given, _ = submitted_answer(_form_values(incoming.body))
    if given is None:
        return  # the form stayed open showing what to fix
    origin = FormOrigin.decode((incoming.body.get("view") or {}).get("private_metadata"))
    if origin is None:
        post_in_dm(incoming, Message(text=friendly_message(CheckInNotYours()), blocks=[]))
        return
    try:
        shown_in = (origin.channel, origin.ts) if origin.channel and origin.ts else None
        answered = answer_checkin(incoming, origin.checkin_id, given, shown_in, origin.pair)
    except CLOSED as refused:
        # Answered on another device, closed, superseded or dropped while the form was open: the answer is not
        # kept, but a request for support ticked on it still goes, as the support form sends one.
        _refused(incoming, origin, given, refused)
        return
    except CirclesError as error:
        # A form has no thread to answer in: the refusal goes to the person's DM with the app. Any other
        # failure rises: the error handler says it there, once, and logs it as its kind calls for.
        post_in_dm(incoming, Message(text=friendly_message(error), blocks=[]))
        return
    if shown_in is None or not update_message(incoming, shown_in, answered_message(answered)):
        confirm = partial(post_in_dm, incoming, answered_message(answered))
        after_the_change("confirming a check-in answer", confirm)  # it is answered whatever Slack does


def _refused(incoming: Incoming, origin: FormOrigin, given: CheckInAnswer, refused: CirclesError) -> None:
    """Why the answer was refused, in the DM; with support ticked, where the request went (or why not)."""
    if not given.wants_support:
        post_in_dm(incoming, Message(text=friendly_message(refused), blocks=[]))
        return
    deps = incoming.deps
    try:
        sent = incoming.as_person(
            support_anyway,
            origin.checkin_id,
            given,
            deps.clock(),
            request_key=incoming.key,
            admins=deps.circles_admins(incoming.team_id),  # when no facilitator may hear it
            pair=origin.pair,
        )
    except CirclesError as unsent:
        post_in_dm(incoming, support_refused_too(refused, unsent))
        return
    post_in_dm(incoming, support_went_anyway(refused, sent, given))


def _form_values(body: dict[str, Any]) -> dict[str, Any]:
    values = ((body.get("view") or {}).get("state") or {}).get("values")
    return values if isinstance(values, dict) else {}
