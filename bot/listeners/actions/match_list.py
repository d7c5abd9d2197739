"""The whole of a proposed round, before confirming: "See all" on a preview opens it, page by page."""

from __future__ import annotations

from bot.listeners.actions.matching import OUT_OF_DATE, offer_fresh_preview
from bot.listeners.incoming import Incoming, parse_id
from bot.views.match_list import round_modal
from bot.views.pages import turned_to
from circles.errors import StalePreview
from circles.services.matching.previews import stored_round
from circles.services.matching.rounds import RoundPlan


def open_round(incoming: Incoming) -> None:
    """Open the stored proposal's first page, for the cohort's facilitators (and admins) only."""
    run_id = parse_id(str(incoming.body["actions"][0].get("value", "")))
    if run_id is None:
        incoming.say(OUT_OF_DATE)
        return
    shown = _round(incoming, run_id)
    if shown is not None:
        incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=round_modal(shown))


def turn_page(incoming: Incoming) -> None:
    """Show another page in the same modal; a value this app did not write changes nothing."""
    turned = turned_to(incoming.body["actions"][0].get("value", ""))
    run_id = parse_id(turned[0]) if turned else None
    view = incoming.body.get("view") or {}
    if turned is None or run_id is None or not view.get("id"):
        return
    shown = _round(incoming, run_id)
    if shown is not None:  # no hash: a second press shows it again
        incoming.client.views_update(view_id=view["id"], view=round_modal(shown, turned[1]))


def _round(incoming: Incoming, run_id: int) -> RoundPlan | None:
    """The stored proposal, for the cohort's facilitators (and admins) only; None when it went stale (it
    may name someone who left since), a fresh preview offered instead, as Confirm does."""
    try:
        return incoming.as_facilitator(stored_round, run_id, now=incoming.deps.clock())
    except StalePreview as stale:
        offer_fresh_preview(incoming, stale)
        return None
