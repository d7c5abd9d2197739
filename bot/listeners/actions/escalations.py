"""Claim, snooze and resolve on a facilitator's escalation alert: each checked, every copy redrawn."""

from __future__ import annotations

from bot.deps import note_decrypt
from bot.listeners.actions.escalation_copies import clicked_id, redraw, say
from bot.listeners.incoming import Incoming, parse_id
from bot.views.escalation_forms import (
    OUT_OF_DATE,
    claimed_text,
    resolve_modal,
    snoozed_text,
)
from circles.domain.escalations import parse_snooze_days
from circles.services.escalations.actions import (
    check_access,
    claim_escalation,
    snooze_escalation,
)


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
