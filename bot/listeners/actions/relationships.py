"""Every partner of a person, one button away when status or Home shows only the first few."""

from __future__ import annotations

from bot.listeners.incoming import Incoming
from bot.listeners.surfaces import tell
from bot.views.relationships import partners_modal
from circles.services.people.status import my_status


def show_all_partners(incoming: Incoming) -> None:
    """The list of every running partnership in one cohort, each with its own buttons."""
    slug = str(incoming.body["actions"][0].get("value", ""))
    deps = incoming.deps
    found = my_status(deps.db.reading(), incoming.team_id, incoming.user_id, deps.clock(), slug=slug)
    if not found:
        tell(incoming, "You are no longer in that cohort; `/circles status` shows where you are now.")
        return
    incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=partners_modal(found[0]))
