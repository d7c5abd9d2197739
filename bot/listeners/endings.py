"""A partner pauses, resumes or ends their partnership; facilitators re-match from the report they get."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App

from bot import ids
from bot.deps import Deps
from bot.listeners.events.app_home import refresh_home
from bot.listeners.incoming import Incoming, ack_now, after_ack, parse_id
from bot.listeners.surfaces import Surface, show_change, surface_of, tell
from bot.views.endings import change_confirmed, end_form_origin, end_modal, end_reason
from bot.views.form_values import state_values
from bot.views.matching import preview_message
from circles.services.matching.rematch import preview_rematch
from circles.services.partnerships.changes import (
    PartnershipChange,
    end_form_hint,
    end_partnership,
    pause_partnership,
    resume_partnership,
)

OUT_OF_DATE = "That button is out of date; `/circles status` shows your partnership now."


def register(app: App, deps: Deps) -> None:
    app.action(ids.PARTNERSHIP_PAUSE)(ack=ack_now, lazy=[after_ack(pause_clicked, deps)])
    app.action(ids.PARTNERSHIP_RESUME)(ack=ack_now, lazy=[after_ack(resume_clicked, deps)])
    app.action(ids.PARTNERSHIP_END_OPEN)(ack=ack_now, lazy=[after_ack(open_end_form, deps)])
    app.view(ids.PARTNERSHIP_END_VIEW)(ack=close_end_form, lazy=[after_ack(end_submitted, deps)])
    app.action(re.compile(f"^{ids.REMATCH_OFFER}:"))(ack=ack_now, lazy=[after_ack(rematch_offered, deps)])


def _partnership_id(incoming: Incoming) -> int | None:
    value = str(incoming.body["actions"][0].get("value", ""))
    return parse_id(value)


def _say(incoming: Incoming, text: str) -> None:
    incoming.respond(text=text, response_type="ephemeral", replace_original=False)


def pause_clicked(incoming: Incoming) -> None:
    _change(incoming, pause_partnership)


def resume_clicked(incoming: Incoming) -> None:
    _change(incoming, resume_partnership)


def _change(incoming: Incoming, change_service: Callable[..., PartnershipChange]) -> None:
    partnership = _partnership_id(incoming)
    if partnership is None:
        tell(incoming, OUT_OF_DATE)
        return
    deps = incoming.deps
    change = change_service(
        deps.db.unit_of_work(),
        incoming.team_id,
        incoming.user_id,
        partnership,
        deps.clock(),
        request_key=incoming.key,
    )
    show_change(incoming, change_confirmed(change))


def open_end_form(incoming: Incoming) -> None:
    partnership = _partnership_id(incoming)
    if partnership is None:
        tell(incoming, OUT_OF_DATE)
        return
    # Refused (privately, in words) before the form opens: only a partner may end a partnership.
    hint = end_form_hint(incoming.deps.db.reading(), incoming.team_id, incoming.user_id, partnership)
    where = surface_of(incoming)
    form = end_modal(partnership, None, hint, opened_from=where.value)
    if where is Surface.PARTNERS:  # a modal can only stack another on top of itself
        incoming.client.views_push(trigger_id=incoming.body["trigger_id"], view=form)
    else:
        incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=form)


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
        incoming.client.chat_postMessage(channel=incoming.user_id, text=OUT_OF_DATE)
        return
    reason = end_reason(state_values(view))
    change = end_partnership(
        deps.db.unit_of_work(),
        incoming.team_id,
        incoming.user_id,
        partnership,
        reason,
        deps.clock(),
        request_key=incoming.key,
    )
    incoming.client.chat_postMessage(channel=incoming.user_id, text=change_confirmed(change))
    if opened_from in (Surface.HOME, Surface.PARTNERS):
        refresh_home(incoming, incoming.user_id)


def rematch_offered(incoming: Incoming) -> None:
    """A facilitator's button on an ending report: the same re-match preview as the command gives."""
    slug, _, member = str(incoming.body["actions"][0].get("value", "")).partition(":")
    if not slug or not member:
        _say(incoming, "That button is out of date. Use `/circles match <cohort> @someone preview`.")
        return
    deps = incoming.deps
    plan = preview_rematch(
        deps.db.unit_of_work(),
        incoming.team_id,
        slug,
        member,
        user_id=incoming.user_id,
        is_admin=incoming.is_admin(),
        now=deps.clock(),
    )
    message = preview_message(plan)
    incoming.respond(
        text=message.text, blocks=message.block_dicts(), response_type="ephemeral", replace_original=False
    )
