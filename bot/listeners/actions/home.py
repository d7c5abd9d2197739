"""The Home tab's own buttons: "Next" and "Previous" under the cohorts someone runs."""

from __future__ import annotations

from bot import ids
from bot.listeners.events.app_home import refresh_home
from bot.listeners.incoming import Incoming, parse_id
from bot.views.pages import turn_pressed


def turn_runs_page(incoming: Incoming) -> None:
    """Publish the home again at the page asked for; a value this app did not write shows the first."""
    page = parse_id(str(incoming.body["actions"][0].get("value", ""))) or 0
    # From right after the last cohort shown, as the buttons' block names it: none is passed over when one
    # before was archived meanwhile.
    turn = turn_pressed(incoming.body["actions"][0], ids.HOME_RUNS_PAGE_BLOCK, page)
    refresh_home(incoming, incoming.user_id, runs_page_asked=turn)
