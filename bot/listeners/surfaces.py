"""Where a button was pressed (a message, Home, or the list of someone's partners) and how to answer there."""

from __future__ import annotations

from enum import StrEnum
from functools import partial

from bot import ids
from bot.listeners.events.app_home import refresh_home
from bot.listeners.incoming import Incoming
from bot.slack_refusals import after_the_change
from bot.views.relationships import partners_modal
from bot.views.relationships_pages import page_shown
from circles.services.people.status import my_status


class Surface(StrEnum):
    MESSAGE = "message"  # a message, e.g. the answer to `/circles status`: it has a response_url
    HOME = "home"
    PARTNERS = "partners"  # the modal listing someone's partners in one cohort


def surface_of(incoming: Incoming) -> Surface:
    view = incoming.body.get("view") or {}
    if view.get("type") == "home":
        return Surface.HOME
    if view.get("callback_id") == ids.RELATIONSHIPS_VIEW:
        return Surface.PARTNERS
    return Surface.MESSAGE


def tell(incoming: Incoming, text: str) -> None:
    """A private answer: under the message pressed, or in the app's DM when a view was pressed."""
    incoming.say(text)  # `respond` after an ack answers in the DM where there is no response_url


def show_change(incoming: Incoming, text: str) -> None:
    """After a partnership changed: say so where it was asked, and bring Home and the list up to date.

    The change is made: a list closed meanwhile, or Slack failing to redraw, only moves the words to the
    DM, and a Home left stale is redrawn when next opened."""
    where = surface_of(incoming)
    if where is not Surface.PARTNERS or not _redraw_list(incoming, text):
        tell(incoming, text)
    if where is not Surface.MESSAGE:
        redraw_home(incoming)


def redraw_home(incoming: Incoming) -> bool:
    """Bring the presser's Home up to date after a change; False, logged, when Slack would not (the change
    stands, and Home is drawn afresh when next opened)."""
    return after_the_change("redrawing Home", partial(refresh_home, incoming, incoming.user_id))


def _redraw_list(incoming: Incoming, text: str) -> bool:
    """The list of partners again, on the page it was pressed on, with the change said on top; False when
    the person is no longer in that cohort or Slack would not redraw it (they closed it, say)."""
    view = incoming.body["view"]  # the edge lets no view without its id through
    found = my_status(
        incoming.deps.db.reading(),
        incoming.team_id,
        incoming.user_id,
        incoming.deps.clock(),
        slug=str(view.get("private_metadata", "")),
    )
    if not found:
        return False
    page = partners_modal(found[0], note=text, page=page_shown(view))  # the page it was pressed on
    return after_the_change(
        "redrawing the list of partners", partial(incoming.client.views_update, view_id=view["id"], view=page)
    )
