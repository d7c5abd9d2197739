"""Publish the home tab when someone opens it, and whenever what it shows has changed."""

from __future__ import annotations

import functools
from typing import Any

from slack_bolt import BoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from bot.errors import handle_error
from bot.gateway.outcomes import RateLimited, from_api_error
from bot.listeners.incoming import Incoming
from bot.pacing import SLACK_LIMITS
from bot.slack_client import raising_rate_limits
from bot.views.home import RUNS_PER_PAGE, home_view
from circles.domain.paging import Turn
from circles.domain.text import slack_id
from circles.services.availability.pattern import availability_of
from circles.services.people.runs_page import runs_page
from circles.services.people.status import my_status
from circles.services.research.consent import consent_status

PUBLISH = "views.publish"


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
    """Hand whoever opened Home to the Home publisher (deps.acked_work.homes), which builds and publishes
    it on threads of its own: a crowd opening Home keeps no other work after an ack waiting."""
    user_id = opener(incoming.body)
    if user_id is not None:
        publish = functools.partial(publish_or_wait, incoming, user_id)
        incoming.deps.acked_work.homes.ask(incoming.team_id, user_id, publish)


def publish_or_wait(incoming: Incoming, user_id: str) -> float | None:
    """Build the person's Home and publish it; the seconds to wait first when Slack (a 429 here, or the
    dispatcher's) holds views.publish in the tenant. Any other failure goes to the log, nobody's DM."""
    held = SLACK_LIMITS.slots(incoming.team_id, PUBLISH)[0][0]  # the key the dispatcher's pacer holds
    if (wait := incoming.deps.pacer.opens_in(held)) > 0:
        return wait
    try:
        raising_rate_limits(incoming.client).views_publish(
            user_id=user_id, view=built_home(incoming, user_id)
        )
    except SlackApiError as error:
        said = from_api_error(error, PUBLISH)
        if isinstance(said, RateLimited):
            incoming.deps.pacer.hold(held, said.retry_after)  # the dispatcher's Home updates wait too
            return said.retry_after
        handle_error(error, incoming.body, None, incoming.respond)
    except Exception as error:
        handle_error(error, incoming.body, None, incoming.respond)
    return None


def refresh_home(incoming: Incoming, user_id: str, runs_page_asked: Turn | int = 0) -> None:
    """Publish the person's home again after something they pressed, on the page asked for."""
    incoming.client.views_publish(user_id=user_id, view=built_home(incoming, user_id, runs_page_asked))


def built_home(incoming: Incoming, user_id: str, runs_page_asked: Turn | int = 0) -> View:
    """The person's home from the database: of the cohorts they run, only the page asked for is read and
    has its health worked out (a page turned to: from right after the last shown)."""
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
    return home_view(
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
