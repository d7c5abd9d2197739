"""From the alert: pause or end the partnership, or end it and preview a new partner for each."""

from __future__ import annotations

from bot.listeners.actions.escalation_copies import act_on, acting, clicked_id, redraw
from bot.listeners.incoming import Incoming
from bot.views.errors import friendly_message
from bot.views.escalation_forms import OUT_OF_DATE, ended_text, paused_text, replaced_preview
from bot.views.matching import preview_message
from circles.errors import CirclesError
from circles.services.escalations.partnership import end_from_escalation, pause_from_escalation
from circles.services.matching.rematch import preview_rematch


def pause_clicked(incoming: Incoming) -> None:
    view = act_on(incoming, clicked_id(incoming), pause_from_escalation, request_key=incoming.key)
    if view is not None:
        incoming.say(paused_text(view.card.first, view.card.second))


def end_clicked(incoming: Incoming) -> None:
    _end(incoming, rematch=False)


def rematch_clicked(incoming: Incoming) -> None:
    _end(incoming, rematch=True)


def _end(incoming: Incoming, *, rematch: bool) -> None:
    escalation_id, deps = clicked_id(incoming), incoming.deps
    if escalation_id is None:
        incoming.say(OUT_OF_DATE)
        return
    ended = end_from_escalation(acting(incoming, escalation_id), rematch=rematch, request_key=incoming.key)
    redraw(incoming, ended.view)
    incoming.say(ended_text(*ended.partners))
    if not rematch:
        return
    for position, partner in enumerate(ended.partners):
        try:
            plan = incoming.as_facilitator(preview_rematch, ended.slug, partner, now=deps.clock())
        except CirclesError as cannot:
            incoming.say(friendly_message(cannot))
            continue
        message = preview_message(plan)
        if position == 0 and plan.run_id:  # the second partner's preview replaces this one
            message = replaced_preview(message, ended.slug, partner, position)
        incoming.reply(message)
