"""Every partner of a person, one button away when status or Home shows only the first few."""

from __future__ import annotations

import re

from slack_bolt import App

from bot import ids
from bot.deps import Deps
from bot.listeners.events.app_home import turn_runs_page
from bot.listeners.incoming import Incoming, ack_now, after_ack
from bot.listeners.surfaces import tell
from bot.views.relationships import partners_modal
from circles.services.people.status import my_status


def register(app: App, deps: Deps) -> None:
    app.action(ids.RELATIONSHIPS_MORE)(ack=ack_now, lazy=[after_ack(show_all_partners, deps)])
    home_pages = re.compile(f"^{ids.HOME_RUNS_PAGE}:")
    app.action(home_pages)(ack=ack_now, lazy=[after_ack(turn_runs_page, deps)])


def show_all_partners(incoming: Incoming) -> None:
    """The list of every running partnership in one cohort, each with its own buttons."""
    slug = str(incoming.body["actions"][0].get("value", ""))
    deps = incoming.deps
    found = my_status(deps.db.reading(), incoming.team_id, incoming.user_id, deps.clock(), slug=slug)
    if not found:
        tell(incoming, "You are no longer in that cohort; `/circles status` shows where you are now.")
        return
    incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=partners_modal(found[0]))
