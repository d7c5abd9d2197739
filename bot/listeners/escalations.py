"""The buttons on a facilitator's escalation alert: each action checked by the service, each copy redrawn."""

from __future__ import annotations

from slack_bolt import App

from bot import ids
from bot.deps import Deps, note_decrypt
from bot.listeners.escalation_copies import clicked_id, redraw, say
from bot.listeners.escalation_partnership import end_clicked, pause_clicked, rematch_clicked
from bot.listeners.incoming import Incoming, ack_now, after_ack, parse_id
from bot.views.errors import friendly_message
from bot.views.escalation_forms import (
    OUT_OF_DATE,
    RESOLVE_FAILED,
    claimed_text,
    resolve_answer,
    resolve_modal,
    snoozed_text,
)
from bot.views.form_values import state_values
from circles.domain.escalations import parse_outcome, parse_snooze_days
from circles.errors import CirclesError
from circles.services.escalations.access import check_access
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.resolve import resolve_escalation
from circles.services.escalations.snooze import snooze_escalation


def register(app: App, deps: Deps) -> None:
    app.action(ids.ESCALATION_CLAIM)(ack=ack_now, lazy=[after_ack(claim_clicked, deps)])
    app.action(ids.ESCALATION_SNOOZE)(ack=ack_now, lazy=[after_ack(snooze_chosen, deps)])
    app.action(ids.ESCALATION_RESOLVE_OPEN)(ack=ack_now, lazy=[after_ack(open_resolve_form, deps)])
    app.view(ids.ESCALATION_RESOLVE_VIEW)(ack=ack_now, lazy=[after_ack(resolve_submitted, deps)])
    app.action(ids.ESCALATION_PAUSE)(ack=ack_now, lazy=[after_ack(pause_clicked, deps)])
    app.action(ids.ESCALATION_END)(ack=ack_now, lazy=[after_ack(end_clicked, deps)])
    app.action(ids.ESCALATION_REMATCH)(ack=ack_now, lazy=[after_ack(rematch_clicked, deps)])


def claim_clicked(incoming: Incoming) -> None:
    escalation_id, deps = clicked_id(incoming), incoming.deps
    if escalation_id is None:
        say(incoming, OUT_OF_DATE)
        return
    view = claim_escalation(
        deps.db.unit_of_work(),
        incoming.team_id,
        incoming.user_id,
        escalation_id,
        is_admin=incoming.is_admin(),
        now=deps.clock(),
        decrypt=note_decrypt(deps),
    )
    redraw(incoming, view)
    say(incoming, claimed_text(view.card.first, view.card.second))


def snooze_chosen(incoming: Incoming) -> None:
    chosen = incoming.body["actions"][0].get("selected_option") or {}
    number, _, days_text = str(chosen.get("value", "")).partition(":")
    escalation_id, days, deps = parse_id(number), parse_snooze_days(days_text), incoming.deps
    if escalation_id is None or days is None:
        say(incoming, OUT_OF_DATE)
        return
    view = snooze_escalation(
        deps.db.unit_of_work(),
        incoming.team_id,
        incoming.user_id,
        escalation_id,
        days,
        is_admin=incoming.is_admin(),
        now=deps.clock(),
        decrypt=note_decrypt(deps),
    )
    redraw(incoming, view)
    say(incoming, snoozed_text(days))


def open_resolve_form(incoming: Incoming) -> None:
    escalation_id, deps = clicked_id(incoming), incoming.deps
    if escalation_id is None:
        say(incoming, OUT_OF_DATE)
        return
    uow, admin = deps.db.unit_of_work(), incoming.is_admin()
    hint = check_access(uow, incoming.team_id, incoming.user_id, escalation_id, is_admin=admin)
    view = resolve_modal(escalation_id, hint)
    incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=view)


def resolve_submitted(incoming: Incoming) -> None:
    """After the form closes: resolve, redraw every copy; a refusal reaches the person in their DM."""
    view_state, deps = incoming.body["view"], incoming.deps
    escalation_id = parse_id(str(view_state.get("private_metadata", "")))
    outcome_text, comment = resolve_answer(state_values(view_state))
    outcome = parse_outcome(outcome_text)
    if escalation_id is None or outcome is None:
        incoming.client.chat_postMessage(channel=incoming.user_id, text=OUT_OF_DATE)
        return
    try:
        view = resolve_escalation(
            deps.db.unit_of_work(),
            incoming.team_id,
            incoming.user_id,
            escalation_id,
            outcome,
            comment,
            is_admin=incoming.is_admin(),
            now=deps.clock(),
            decrypt=note_decrypt(deps),
        )
    except CirclesError as refused:
        incoming.client.chat_postMessage(
            channel=incoming.user_id, text=RESOLVE_FAILED + friendly_message(refused)
        )
        return
    redraw(incoming, view)
