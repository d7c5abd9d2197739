"""The form recording two members who must never be matched: checked in the ack, saved after it."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack

from bot.listeners.incoming import Incoming, ack_errors
from bot.slack_refusals import after_the_change, send_dm
from bot.views.errors import friendly_message
from bot.views.form_values import state_values
from bot.views.match_conflict import conflict_recorded_text, read_conflict
from circles.errors import CirclesError
from circles.services.matching.constraints import record_conflict


def check_form(ack: Ack, body: dict[str, Any]) -> None:
    """The ack: missing or identical people show on the form at once; nothing is saved yet."""
    ack_errors(ack, read_conflict(state_values(body.get("view")))[1])


def save_form(incoming: Incoming) -> None:
    form, errors = read_conflict(state_values(incoming.body.get("view")))
    if form is None or errors:
        return  # the form stayed open showing what to fix
    slug, deps = str(incoming.body["view"]["private_metadata"]), incoming.deps
    try:
        incoming.as_facilitator(record_conflict, slug, form.one, form.other, form.kind, now=deps.clock())
    except CirclesError as refused:
        send_dm(incoming.client, incoming.user_id, friendly_message(refused))
        return
    confirm = partial(send_dm, incoming.client, incoming.user_id, conflict_recorded_text(slug, form))
    after_the_change("confirming a conflict", confirm)  # it is recorded whatever Slack does
