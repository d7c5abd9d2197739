"""Publish the home tab when someone opens it, and whenever what it shows has changed."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.listeners.incoming import Incoming
from bot.views.home import RUNS_PER_PAGE, home_view
from circles.domain.paging import Turn
from circles.domain.text import slack_id
from circles.services.availability.pattern import availability_of
from circles.services.people.runs_page import runs_page
from circles.services.people.status import my_status
from circles.services.research.consent import consent_status


def opener(body: dict[str, Any]) -> str | None:
    """Who opened the Home tab; None for the Messages tab, which needs nothing from us, or for nobody."""
    event = body.get("event")
    if not isinstance(event, dict) or event.get("tab") != "home":
        return None
    return slack_id(event.get("user"))


def is_home(body: dict[str, Any], context: BoltContext) -> bool:
    """Whether the event is someone opening the Home tab: only that takes any work at all."""
    return opener(body) is not None


def publish_home(incoming: Incoming) -> None:
    user_id = opener(incoming.body)
    if user_id is not None:
        refresh_home(incoming, user_id)


def refresh_home(incoming: Incoming, user_id: str, runs_page_asked: Turn | int = 0) -> None:
    """Build the person's home from the database and publish it: of the cohorts they run, only the page
    asked for is read and has its health worked out (a page turned to: from right after the last shown)."""
    turn = runs_page_asked if isinstance(runs_page_asked, Turn) else Turn(runs_page_asked)
    deps = incoming.deps
    statuses = my_status(deps.db.reading(), incoming.team_id, user_id, deps.clock())
    runs = runs_page(
        deps.db.reading(),
        incoming.team_id,
        user_id,
        deps.clock(),
        page=turn.page,
        per_page=RUNS_PER_PAGE,
        turn=turn,
    )
    is_admin = bool(runs.total) or deps.is_admin(incoming.client, incoming.team_id, user_id)
    mine = availability_of(deps.db.reading(), incoming.team_id, user_id, deps.clock())
    research = consent_status(deps.db.reading(), incoming.team_id, user_id, deps.clock()) if statuses else []
    view = home_view(
        statuses,
        runs.runs,
        is_admin,
        runs.boards,
        runs.page,
        availability=mine,
        research=research,
        runs_total=runs.total,
        runs_start=runs.start,
    )
    incoming.client.views_publish(user_id=user_id, view=view)
