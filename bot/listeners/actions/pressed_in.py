"""Whether a pressed message is the one the app sent the presser for what the press or form answers.

A button's container and a form's private_metadata are the presser's word: they can name any message of the
app, a circle's prompt in its channel too. Only the message the app recorded sending (or, where Slack's answer
to the send was lost, Slack's own copy in their DM holding that check-in's or survey's button) is redrawn."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError

from bot import ids
from bot.listeners.incoming import Incoming
from bot.slack_refusals import slack_failure
from bot.views.checkin import parse_checkin_id, parse_rate_value
from bot.views.checkin_form import FormOrigin
from bot.views.survey_form import SurveyOrigin
from bot.views.surveys import parse_request_id
from circles.persistence.db import UnitOfWork
from circles.services.outbox.asked import where_checkin_asked, where_survey_asked

logger = logging.getLogger(__name__)
Where = tuple[str, str]  # the channel and ts of a message in Slack
# Where the app sent this person the check-in (or survey request) of this id, as the outbox recorded it.
AskedIn = Callable[[UnitOfWork, str, str, int], set[Where]]


def sent_there(incoming: Incoming, shown_in: Where) -> bool:
    """Whether `shown_in` is the message the app sent this person for the check-in or survey request the
    press or form answers. A button's container and a form's private_metadata are the presser's word: they
    can name any message of the app, a circle's prompt in its channel too."""
    asked = _asked(incoming)
    if asked is None:
        return False
    asked_in, asked_id, button = asked
    if shown_in in asked_in(incoming.deps.db.reading(), incoming.team_id, incoming.user_id, asked_id):
        return True  # as the outbox recorded where it went
    # Posted without the outbox learning where (Slack's answer lost): Slack's own copy must ask it.
    return (button, str(asked_id)) in _buttons(incoming, shown_in)


def _asked(incoming: Incoming) -> tuple[AskedIn, int, str] | None:
    """What the press or the form answers: where it was asked, its id, and the button that opens it."""
    view = incoming.body.get("view") or {}
    if incoming.body.get("type") == "view_submission":
        metadata = view.get("private_metadata")
        if view.get("callback_id") == ids.SURVEY_VIEW:
            survey = SurveyOrigin.decode(metadata)
            return (where_survey_asked, survey.request_id, ids.SURVEY_OPEN) if survey else None
        form = FormOrigin.decode(metadata)
        return (where_checkin_asked, form.checkin_id, ids.CHECKIN_OPEN) if form else None
    value = action_of(incoming).get("value")
    if action_of(incoming).get("action_id") == ids.SURVEY_OPEN:
        request_id = parse_request_id(value)
        return (where_survey_asked, request_id, ids.SURVEY_OPEN) if request_id is not None else None
    rated = parse_rate_value(value)
    checkin_id = rated[0] if rated else parse_checkin_id(value)
    return (where_checkin_asked, checkin_id, ids.CHECKIN_OPEN) if checkin_id is not None else None


def _buttons(incoming: Incoming, shown_in: Where) -> set[tuple[str, str]]:
    """The buttons (action, value) of the app's message at `shown_in` as Slack holds it; none when Slack
    will not show it (a channel the app may not read: only its DMs)."""
    channel, ts = shown_in
    try:
        page = incoming.client.conversations_history(
            channel=channel, oldest=ts, latest=ts, inclusive=True, limit=1
        )
    except (SlackApiError, OSError) as error:
        logger.info("could not read back a pressed message: %s", slack_failure(error))
        return set()
    # Whose message it is needs no asking: chat.update changes the app's own messages only.
    shown = [message for message in page.get("messages") or [] if message.get("ts") == ts]
    blocks = [block for message in shown for block in message.get("blocks") or []]
    elements = [e for b in blocks for e in (*(b.get("elements") or []), b.get("accessory") or {})]
    return {(str(e.get("action_id")), str(e.get("value"))) for e in elements if e.get("type") == "button"}


def action_of(incoming: Incoming) -> dict[str, Any]:
    actions = incoming.body.get("actions") or [{}]
    first = actions[0]
    return first if isinstance(first, dict) else {}
