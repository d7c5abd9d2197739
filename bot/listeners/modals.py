"""Open a modal at once, then fill it: a trigger_id lives three seconds, slow work must not spend it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from bot.errors import explained
from bot.listeners.incoming import Incoming
from bot.slack_refusals import slack_failure
from bot.views.directory.requests import notice_modal, say
from bot.views.errors import friendly_message
from bot.views.loading import loading_modal
from circles.errors import CirclesError

logger = logging.getLogger(__name__)


def open_then_fill(incoming: Incoming, title: str, fill: Callable[[], View]) -> None:
    """Show a "one moment" modal now, then replace it with what `fill` builds (or a kind refusal).

    Who may see it is checked before this is called: nobody outside sees even the empty modal.
    """
    opened = incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=loading_modal(title))
    shown = opened.get("view") or {}
    try:
        view = fill()
    except CirclesError as error:
        logger.info("refused to fill a modal: %s", type(error).__name__)
        view = notice_modal(say(friendly_message(error)))
    except Exception as error:  # the modal must not stay on "One moment…": it says what happened
        view = notice_modal(say(explained(error, incoming.body)))
    incoming.client.views_update(view_id=shown["id"], hash=shown.get("hash"), view=view)


def answer_on_form(incoming: Incoming, text: str) -> bool:
    """Replace the submitted form, which shows "One moment…" since its ack, with an answer; False when
    Slack would not (the person closed it): then the caller answers in the DM."""
    view = incoming.body.get("view") or {}
    if not view.get("id"):
        return False
    try:
        incoming.client.views_update(view_id=view["id"], view=notice_modal(say(text)))
    except (SlackApiError, OSError) as error:  # OSError: Slack did not answer in time, or not at all
        logger.info("the form could not be answered on (%s): answering elsewhere", slack_failure(error))
        return False
    return True
