"""Every partnership of a cohort's health board, on request: "See all" on a long board opens them all."""

from __future__ import annotations

from bot import ids
from bot.listeners.incoming import Incoming
from bot.listeners.modals import open_then_fill
from bot.views.health import board_modal
from bot.views.pages import packed_turn, turned_to
from circles.services.health.boards import Board, board
from circles.services.matching.constraints import require_facilitator


def open_board(incoming: Incoming) -> None:
    """Open the whole board, for the cohort's facilitators (and admins) only: checked before it opens."""
    slug = str(incoming.body["actions"][0].get("value", ""))
    deps = incoming.deps
    require_facilitator(
        deps.db.reading(),
        incoming.team_id,
        slug.lower(),
        user_id=incoming.user_id,
        is_admin=incoming.is_admin(),
    )
    open_then_fill(incoming, "Partnership health", lambda: board_modal(_board(incoming, slug)))


def turn_page(incoming: Incoming) -> None:
    """Show another page in the same modal; a value this app did not write changes nothing."""
    turned = turned_to(incoming.body["actions"][0].get("value", ""))
    view = incoming.body.get("view") or {}
    if turned is None or not view.get("id"):
        return
    found = _board(incoming, turned[0])
    # The page starts right after the last pair shown, as the buttons' block names it (a button drawn
    # before it named one: at the page number). No hash: both presses of a double click carry the page
    # they were pressed on, and Slack would refuse the second as a conflict; each shows the page asked for.
    turn = packed_turn(incoming.body["actions"][0], ids.HEALTH_LIST_PAGES_BLOCK, turned[1])
    incoming.client.views_update(view_id=view["id"], view=board_modal(found, turn))


def _board(incoming: Incoming, slug: str) -> Board:
    deps = incoming.deps
    uow, now = deps.db.reading(), deps.clock()
    return board(uow, incoming.team_id, incoming.user_id, slug, now, is_admin=incoming.is_admin())
