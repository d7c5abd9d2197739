"""A partner pauses, resumes or opens the form to end their partnership; a facilitator re-matches after."""

from __future__ import annotations

from collections.abc import Callable

from bot.listeners.incoming import Incoming, parse_id
from bot.listeners.surfaces import Surface, show_change, surface_of, tell
from bot.views.endings import change_confirmed, end_modal
from bot.views.matching import preview_message
from circles.services.matching.rematch import preview_rematch
from circles.services.partnerships.changes import (
    PartnershipChange,
    end_form_hint,
    pause_partnership,
    resume_partnership,
)

OUT_OF_DATE = "That button is out of date; `/circles status` shows your partnership now."


def _partnership_id(incoming: Incoming) -> int | None:
    value = str(incoming.body["actions"][0].get("value", ""))
    return parse_id(value)


def pause_clicked(incoming: Incoming) -> None:
    _change(incoming, pause_partnership)


def resume_clicked(incoming: Incoming) -> None:
    _change(incoming, resume_partnership)


def _change(incoming: Incoming, change_service: Callable[..., PartnershipChange]) -> None:
    partnership = _partnership_id(incoming)
    if partnership is None:
        tell(incoming, OUT_OF_DATE)
        return
    change = incoming.as_person(change_service, partnership, incoming.deps.clock(), request_key=incoming.key)
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


def rematch_offered(incoming: Incoming) -> None:
    """A facilitator's button on an ending report: the same re-match preview as the command gives."""
    slug, _, member = str(incoming.body["actions"][0].get("value", "")).partition(":")
    if not slug or not member:
        incoming.say("That button is out of date. Use `/circles match &lt;cohort&gt; @someone preview`.")
        return
    plan = incoming.as_facilitator(preview_rematch, slug, member, now=incoming.deps.clock())
    incoming.reply(preview_message(plan))
