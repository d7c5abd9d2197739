"""Facilitators record two members who must never be matched: a button on the preview opens the form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot import ids
from bot.deps import Deps
from bot.listeners.incoming import Incoming, ack_now, after_ack
from bot.views.errors import friendly_message
from bot.views.form_values import state_values
from bot.views.match_conflict import conflict_modal, conflict_recorded_text, read_conflict
from circles.errors import CirclesError
from circles.services.matching.constraints import record_conflict, require_facilitator


def register(app: App, deps: Deps) -> None:
    app.action(ids.MATCH_CONFLICT_OPEN)(ack=ack_now, lazy=[after_ack(open_form, deps)])
    app.view(ids.MATCH_CONFLICT_VIEW)(ack=check_form, lazy=[after_ack(save_form, deps)])


def open_form(incoming: Incoming) -> None:
    """Open the form only for the cohort's facilitators (and admins); anyone else is told why not."""
    slug = str(incoming.body["actions"][0].get("value", ""))
    try:
        require_facilitator(
            incoming.deps.db.unit_of_work(),
            incoming.team_id,
            slug,
            user_id=incoming.user_id,
            is_admin=incoming.is_admin(),
        )
    except CirclesError as refused:
        incoming.respond(text=friendly_message(refused), response_type="ephemeral", replace_original=False)
        return
    incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=conflict_modal(slug))


def check_form(ack: Ack, body: dict[str, Any]) -> None:
    """The ack: missing or identical people show on the form at once; nothing is saved yet."""
    _, errors = read_conflict(state_values(body.get("view")))
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        ack()


def save_form(incoming: Incoming) -> None:
    form, errors = read_conflict(state_values(incoming.body.get("view")))
    if form is None or errors:
        return  # the form stayed open showing what to fix
    slug, deps = str(incoming.body["view"]["private_metadata"]), incoming.deps
    try:
        record_conflict(
            deps.db.unit_of_work(),
            incoming.team_id,
            slug,
            form.one,
            form.other,
            form.kind,
            user_id=incoming.user_id,
            is_admin=incoming.is_admin(),
            now=deps.clock(),
        )
    except CirclesError as refused:
        incoming.client.chat_postMessage(channel=incoming.user_id, text=friendly_message(refused))
        return
    incoming.client.chat_postMessage(channel=incoming.user_id, text=conflict_recorded_text(slug, form))
