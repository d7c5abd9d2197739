"""A button on a match preview opens the form recording two members who must never be matched."""

from __future__ import annotations

from bot.listeners.incoming import Incoming
from bot.views.errors import friendly_message
from bot.views.match_conflict import conflict_modal
from circles.errors import CirclesError
from circles.services.matching.constraints import require_facilitator


def open_form(incoming: Incoming) -> None:
    """Open the form only for the cohort's facilitators (and admins); anyone else is told why not."""
    slug = str(incoming.body["actions"][0].get("value", ""))
    try:
        incoming.as_facilitator(require_facilitator, slug)
    except CirclesError as refused:
        incoming.say(friendly_message(refused))
        return
    incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=conflict_modal(slug))
