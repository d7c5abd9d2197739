"""A coach acts on their daily digest: mutes it, opens everything it would hold, opens its days' form."""

from __future__ import annotations

from bot.listeners.incoming import Incoming, parse_id
from bot.listeners.modals import open_then_fill
from bot.views.digest import days_modal, digest_modal
from bot.views.membership import when
from circles.services.nudges.days import digest_days
from circles.services.nudges.digests import digest_now, mute_nudges


def mute_clicked(incoming: Incoming) -> None:
    raw_member, _, raw_weeks = str(incoming.body["actions"][0].get("value", "")).partition(":")
    member, weeks = parse_id(raw_member), parse_id(raw_weeks)
    if member is None or weeks is None:
        incoming.say("That button is out of date; nothing was changed.")
        return
    until = incoming.as_person(mute_nudges, member, weeks, incoming.deps.clock())
    incoming.say(f"Digests are muted until {when(until)}. Check-ins and prompts carry on as before.")


def open_full_digest(incoming: Incoming) -> None:
    """Everything the presser's own digest would hold now: the button carries nobody's data."""
    deps = incoming.deps
    open_then_fill(
        incoming,
        "Your digest",
        lambda: digest_modal(digest_now(deps.db.reading(), incoming.team_id, incoming.user_id, deps.clock())),
    )


def open_days_form(incoming: Incoming) -> None:
    days = digest_days(incoming.deps.db.reading(), incoming.team_id, incoming.user_id)
    incoming.client.views_open(trigger_id=incoming.body["trigger_id"], view=days_modal(days))
