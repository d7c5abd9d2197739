"""A coach mutes their daily digest from the digest itself."""

from __future__ import annotations

from slack_bolt import App

from bot import ids
from bot.deps import Deps
from bot.listeners.incoming import Incoming, ack_now, after_ack, parse_id
from bot.views.membership import when
from circles.services.nudges import mute_nudges


def register(app: App, deps: Deps) -> None:
    app.action(ids.NUDGE_MUTE)(ack=ack_now, lazy=[after_ack(mute_clicked, deps)])


def mute_clicked(incoming: Incoming) -> None:
    raw_member, _, raw_weeks = str(incoming.body["actions"][0].get("value", "")).partition(":")
    member, weeks = parse_id(raw_member), parse_id(raw_weeks)
    if member is None or weeks is None:
        _say(incoming, "That button is out of date; nothing was changed.")
        return
    deps = incoming.deps
    until = mute_nudges(
        deps.db.unit_of_work(), incoming.team_id, incoming.user_id, member, weeks, deps.clock()
    )
    _say(incoming, f"Digests are muted until {when(until)}. Check-ins and prompts carry on as before.")


def _say(incoming: Incoming, text: str) -> None:
    incoming.respond(text=text, response_type="ephemeral", replace_original=False)
