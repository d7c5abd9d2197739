"""The report's "Research export" button: the ZIP goes to the presser's DM, if they facilitate the cohort."""

from __future__ import annotations

from bot.deps import note_decrypt
from bot.listeners.incoming import Incoming
from bot.slack_refusals import OWN_DM_CLOSED, open_dm
from bot.views.research_export import delivered_text, export_comment, export_title, stopped_text
from circles.domain.research.tables import IdentifyingColumn
from circles.research_key import research_key_of
from circles.services.research.export import research_export


def export_clicked(incoming: Incoming) -> None:
    """Build the export after the ack, for a facilitator of the cohort only; anyone else is refused."""
    deps = incoming.deps
    try:
        made = research_export(
            deps.db.unit_of_work(),
            incoming.team_id,
            incoming.action_value,
            deps.clock(),
            key=research_key_of(deps.db, deps.settings),
            decrypt=note_decrypt(deps),
            facilitator=incoming.user_id,
        )
    except IdentifyingColumn as stopped:  # a value facilitators can change: say which, never the value
        incoming.say(stopped_text(stopped))
        return
    client = incoming.client
    channel = open_dm(client, incoming.user_id)
    if channel is None:
        incoming.say(OWN_DM_CLOSED)
        return
    client.files_upload_v2(
        channel=channel,
        content=made.content,
        filename=made.filename,
        title=export_title(made),
        initial_comment=export_comment(made),
    )
    incoming.say(delivered_text(made))
