"""The whole of a proposed round, before confirming: "See all" on a preview opens it, page by page."""

from __future__ import annotations

from bot.listeners.actions.matching import OUT_OF_DATE
from bot.listeners.incoming import Incoming, parse_id
from bot.views.match_list import round_modal
from bot.views.pages import turned_to
from circles.services.matching.previews import stored_round
from circles.services.matching.rounds import RoundPlan


def open_round(incoming: Incoming) -> None:
    """Open the stored proposal's first page, for the cohort's facilitators (and admins) only."""
    run_id = parse_id(str(incoming.body["actions"][0].get("value", "")))
    if run_id is None:
        incoming.say(OUT_OF_DATE)
        return
    view = round_modal(_round(incoming, run_id))
    incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=view)


def turn_page(incoming: Incoming) -> None:
    """Show another page in the same modal; a value this app did not write changes nothing."""
    turned = turned_to(incoming.body["actions"][0].get("value", ""))
    run_id = parse_id(turned[0]) if turned else None
    view = incoming.body.get("view") or {}
    if turned is None or run_id is None or not view.get("id"):
        return
    page = round_modal(_round(incoming, run_id), turned[1])
    incoming.client.views_update(view_id=view["id"], view=page)  # no hash: a second press shows it again


def _round(incoming: Incoming, run_id: int) -> RoundPlan:
    """The stored proposal, for the cohort's facilitators (and admins) only."""
    return incoming.as_facilitator(stored_round, run_id)
