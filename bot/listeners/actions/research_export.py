"""The report's "Research export" button: the ZIP goes to the presser's DM, if they facilitate the cohort."""

from __future__ import annotations

from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError

from bot import ids
from bot.deps import note_decrypt
from bot.edge.once import press_key
from bot.errors import FILE_UNANSWERED, unanswered_share
from bot.listeners.incoming import Incoming
from bot.slack_refusals import OWN_DM_CLOSED, open_dm
from bot.views.research_export import (
    already_coming_text,
    delivered_text,
    export_comment,
    export_title,
    stopped_text,
)
from circles.domain.research.tables import IdentifyingColumn
from circles.research_key import research_key_of
from circles.services.research.export import research_export

# Presses of one cohort's export by one person this close together are one ask (a double click, or the
# button pressed again while the ZIP is being made): the first press's ZIP answers both.
SAME_ASK = timedelta(seconds=10)


def export_clicked(incoming: Incoming) -> None:
    """Build the export after the ack, for a facilitator of the cohort only; anyone else is refused."""
    deps = incoming.deps
    now, slug = deps.clock(), incoming.action_value
    asked = press_key(incoming.team_id, incoming.user_id, ids.RESEARCH_EXPORT, slug)
    if not deps.take_in.first_press(asked, now, SAME_ASK):
        incoming.say(already_coming_text(slug))
        return
    shared = False
    try:
        shared = _exported(incoming, slug, now)
    finally:  # refused (not their cohort, a value that identifies someone), no DM, or an error: a new ask
        if not shared:
            deps.take_in.press_came_to_nothing(asked)


def _exported(incoming: Incoming, slug: str, now: datetime) -> bool:
    """Build the export and share it in the presser's DM; False when nothing was shared (refused, or no
    DM), the presser told why. A share Slack may have made counts as made: they are told to look first."""
    deps = incoming.deps
    try:
        made = research_export(
            deps.db.unit_of_work(),
            incoming.team_id,
            slug,
            now,
            key=research_key_of(deps.db, deps.settings),
            decrypt=note_decrypt(deps),
            facilitator=incoming.user_id,
        )
    except IdentifyingColumn as stopped:  # a value facilitators can change: say which, never the value
        incoming.say(stopped_text(stopped))
        return False
    client = incoming.client
    channel = open_dm(client, incoming.user_id)
    if channel is None:
        incoming.say(OWN_DM_CLOSED)
        return False
    try:
        client.files_upload_v2(
            channel=channel,
            content=made.content,
            filename=made.filename,
            title=export_title(made),
            initial_comment=export_comment(made),
        )
    except (SlackApiError, OSError) as error:  # OSError: Slack did not answer in time, or not at all
        if not unanswered_share(error, "a research export"):
            raise
        incoming.say(FILE_UNANSWERED)
        return True
    incoming.say(delivered_text(made))
    return True
