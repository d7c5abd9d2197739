"""The Home tab's own buttons: "Next" and "Previous" under the cohorts someone runs."""

from __future__ import annotations

from bot.listeners.events.app_home import refresh_home
from bot.listeners.incoming import Incoming, parse_id


def turn_runs_page(incoming: Incoming) -> None:
    """Publish the home again at the page asked for; a value this app did not write shows the first."""
    page = parse_id(str(incoming.body["actions"][0].get("value", "")))
    refresh_home(incoming, incoming.user_id, runs_page_asked=page or 0)
