"""Claim, snooze and resolve on a facilitator's escalation alert: each checked, every copy redrawn."""

from __future__ import annotations

from bot.listeners.actions.escalation_copies import act_on, clicked_id
from bot.listeners.incoming import Incoming, parse_id
from bot.views.escalation_forms import (
    OUT_OF_DATE,
    claimed_text,
    resolve_modal,
    snoozed_text,
)
from circles.domain.escalations import parse_snooze_days
from circles.services.escalations.access import check_access
from circles.services.escalations.claim import claim_escalation
from circles.services.escalations.snooze import snooze_escalation


def claim_clicked(incoming: Incoming) -> None:
    view = act_on(incoming, clicked_id(incoming), claim_escalation)
    if view is not None:
        incoming.say(claimed_text(view.card.first, view.card.second))


def snooze_chosen(incoming: Incoming) -> None:
    chosen = incoming.body["actions"][0].get("selected_option")
    # Anything but the option object Slack sends (text, a list, a number) is a menu this app never drew.
    value = chosen.get("value") if isinstance(chosen, dict) else None
    number, _, days_text = str(value or "").partition(":")
    escalation_id, days = parse_id(number), parse_snooze_days(days_text)
    if days is None:  # a number of days this app never offered
        incoming.say(OUT_OF_DATE)
        return
    if act_on(incoming, escalation_id, snooze_escalation, days) is not None:
        incoming.say(snoozed_text(days))


def open_resolve_form(incoming: Incoming) -> None:
    escalation_id, deps = clicked_id(incoming), incoming.deps
    if escalation_id is None:
        incoming.say(OUT_OF_DATE)
        return
    uow, admin = deps.db.unit_of_work(), incoming.is_admin()
    hint = check_access(uow, incoming.team_id, incoming.user_id, escalation_id, is_admin=admin)
    view = resolve_modal(escalation_id, hint)
    incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=view)
