"""The form resolving an escalation: it closes at once, then the outcome is recorded, every copy redrawn."""

from __future__ import annotations

from bot.listeners.actions.escalation_copies import acting, redraw
from bot.listeners.incoming import Incoming, parse_id
from bot.slack_refusals import send_dm
from bot.views.errors import friendly_message
from bot.views.escalation_forms import OUT_OF_DATE, RESOLVE_FAILED, resolve_answer
from bot.views.form_values import state_values
from circles.domain.escalations import parse_outcome
from circles.errors import CirclesError
from circles.services.escalations.resolve import resolve_escalation


def resolve_submitted(incoming: Incoming) -> None:
    """After the form closes: resolve, redraw every copy; a refusal reaches the person in their DM."""
    view_state = incoming.body["view"]
    escalation_id = parse_id(str(view_state.get("private_metadata", "")))
    outcome_text, comment = resolve_answer(state_values(view_state))
    outcome = parse_outcome(outcome_text)
    if escalation_id is None or outcome is None:
        send_dm(incoming.client, incoming.user_id, OUT_OF_DATE)
        return
    try:
        view = resolve_escalation(acting(incoming, escalation_id), outcome, comment)
    except CirclesError as refused:
        send_dm(incoming.client, incoming.user_id, RESOLVE_FAILED + friendly_message(refused))
        return
    redraw(incoming, view)
