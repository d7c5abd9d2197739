"""The form ending a partnership: it closes at once (with the list of partners under it), then the end."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack

from bot.listeners.actions.endings import OUT_OF_DATE
from bot.listeners.incoming import Incoming, parse_id
from bot.listeners.surfaces import Surface, redraw_home
from bot.slack_refusals import after_the_change, send_dm
from bot.views.endings import change_confirmed, end_form_origin, end_reason
from bot.views.form_values import state_values
from circles.services.partnerships.changes import end_partnership


def close_end_form(ack: Ack, body: dict[str, Any]) -> None:
    """Close the form, and the list of partners under it, which the ending has made out of date."""
    _, opened_from = end_form_origin(str(body["view"].get("private_metadata", "")))
    if opened_from == Surface.PARTNERS:
        ack(response_action="clear")
    else:
        ack()


def end_submitted(incoming: Incoming) -> None:
    """After the form closes: end it, then tell the person privately in their DM with the app."""
    view, deps = incoming.body["view"], incoming.deps
    raw_id, opened_from = end_form_origin(str(view.get("private_metadata", "")))
    partnership = parse_id(raw_id)
    if partnership is None:
        send_dm(incoming.client, incoming.user_id, OUT_OF_DATE)
        return
    reason = end_reason(state_values(view))
    change = incoming.as_person(
        end_partnership,
        partnership,
        reason,
        deps.clock(),
        request_key=incoming.key,
        admins=deps.circles_admins(incoming.team_id),  # when no facilitator may hear of it
    )
    confirm = partial(send_dm, incoming.client, incoming.user_id, change_confirmed(change))
    after_the_change("confirming an ending", confirm)  # it has ended whatever Slack does
    if opened_from in (Surface.HOME, Surface.PARTNERS):
        redraw_home(incoming)
