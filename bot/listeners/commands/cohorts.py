"""`/circles cohort create` and `/circles cohort config`, for admins and facilitators."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.deps import Deps
from bot.listeners.commands.request import CommandRequest
from bot.views.cohort_config import config_modal
from bot.views.cohorts import created_message
from circles.services.cohorts.config import cohort_config, create_cohort
from instruments.catalog import catalogue
from prompts.tracks import track_names

CREATE_USAGE = (
    "Use `/circles cohort create &lt;slug&gt; &lt;name…&gt;`, "
    "e.g. `/circles cohort create pgy1-spring PGY-1 spring`."
)
CONFIG_USAGE = "Use `/circles cohort config &lt;slug&gt;`, e.g. `/circles cohort config pgy1-spring`."


def create(request: CommandRequest) -> None:
    words = request.said.split(maxsplit=1)  # the name as the facilitator saw it: `#ward` is not a token
    if len(words) < 2:
        request.say(CREATE_USAGE)
        return
    slug, name = words[0], words[1]
    config = create_cohort(
        request.deps.db.unit_of_work(),
        request.team_id,
        slug,
        name,
        creator=request.user_id,
        creator_is_admin=request.is_admin(),
        now=request.deps.clock(),
    )
    request.reply(created_message(config.slug, config.settings.name))


def configure(request: CommandRequest) -> None:
    if len(request.parsed.args) != 1:
        request.say(CONFIG_USAGE)
        return
    open_config_modal(
        request.deps,
        request.client,
        request.team_id,
        request.user_id,
        request.parsed.args[0],
        request.trigger_id,
        request.is_admin(),
    )


def open_config_modal(
    deps: Deps, client: WebClient, team_id: str, user_id: str, slug: str, trigger_id: str, is_admin: bool
) -> None:
    """Check the person may configure the cohort, then open its settings form."""
    config = cohort_config(deps.db.reading(), team_id, slug.lower(), user_id=user_id, is_admin=is_admin)
    surveys = catalogue(deps.settings.circles_instruments_dir)
    view = config_modal(
        config.slug,
        config.settings,
        config.facilitators,
        track_names(),
        surveys,
        config.digest,
        start_kept=config.start_kept,
    )
    client.views_open(trigger_id=trigger_id, view=view)
