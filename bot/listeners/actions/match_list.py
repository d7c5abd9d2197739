"""The whole of a proposed round, before confirming: "See all" on a preview opens it, page by page."""

from __future__ import annotations

from bot.listeners.incoming import Incoming, parse_id
from bot.views.match_list import round_modal
from bot.views.pages import turned_to
from circles.services.matching.previews import stored_round

OUT_OF_DATE = "That button is out of date. Run `/circles match` again for a fresh preview."


def open_round(incoming: Incoming) -> None:
    """Open the stored proposal's first page, for the cohort's facilitators (and admins) only."""
    run_id = parse_id(str(incoming.body["actions"][0].get("value", "")))
    if run_id is None:
        incoming.respond(text=OUT_OF_DATE, response_type="ephemeral", replace_original=False)
        return
    plan = stored_round(
        incoming.deps.db.unit_of_work(),
        incoming.team_id,
        run_id,
        user_id=incoming.user_id,
        is_admin=incoming.is_admin(),
    )
    incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=round_modal(plan))


def turn_page(incoming: Incoming) -> None:
    """Show another page in the same modal; a value this app did not write changes nothing."""
    turned = turned_to(incoming.body["actions"][0].get("value", ""))
    run_id = parse_id(turned[0]) if turned else None
    view = incoming.body.get("view") or {}
    if turned is None or run_id is None or not view.get("id"):
        return
    plan = stored_round(
        incoming.deps.db.unit_of_work(),
        incoming.team_id,
        run_id,
        user_id=incoming.user_id,
        is_admin=incoming.is_admin(),
    )
    incoming.client.views_update(view_id=view["id"], hash=view.get("hash"), view=round_modal(plan, turned[1]))
