"""Every partner of a person, one button away when status or Home shows only the first few, page by page."""

from __future__ import annotations

from bot import ids
from bot.listeners.incoming import Incoming
from bot.listeners.surfaces import tell
from bot.views.pages import turn_pressed, turned_to
from bot.views.relationships import partners_modal
from circles.services.people.status import CohortStatus, my_status

GONE = "You are no longer in that cohort; `/circles status` shows where you are now."


def show_all_partners(incoming: Incoming) -> None:
    """The list of every running partnership in one cohort, each with its own buttons."""
    found = _mine(incoming, str(incoming.body["actions"][0].get("value", "")))
    if not found:
        tell(incoming, GONE)
        return
    incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=partners_modal(found))


def turn_page(incoming: Incoming) -> None:
    """Another page of the same list, read again for the one who pressed: only their own partners."""
    turned = turned_to(incoming.body["actions"][0].get("value", ""))
    view = incoming.body.get("view") or {}
    if turned is None or not view.get("id"):
        tell(incoming, "That page could not be shown; `/circles status` lists your partners.")
        return
    found = _mine(incoming, turned[0])
    if not found:
        tell(incoming, GONE)
        return
    # From right after the last partner shown, as the buttons' block names them: none is passed over when
    # one before ended meanwhile. A page past the last shows the last.
    turn = turn_pressed(incoming.body["actions"][0], ids.RELATIONSHIPS_PAGES_BLOCK, turned[1])
    page = partners_modal(found, page=turn)
    incoming.client.views_update(view_id=view["id"], view=page)  # no hash: a second press shows it again


def _mine(incoming: Incoming, slug: str) -> CohortStatus | None:
    deps = incoming.deps
    found = my_status(deps.db.reading(), incoming.team_id, incoming.user_id, deps.clock(), slug=slug)
    return found[0] if found else None
