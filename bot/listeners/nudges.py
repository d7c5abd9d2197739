"""A coach acts on their daily digest: mutes it, opens everything it would hold, changes its days."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot import ids
from bot.deps import Deps
from bot.listeners.incoming import Incoming, ack_now, after_ack, parse_id
from bot.listeners.modals import open_then_fill
from bot.views.digest import chosen_days, days_in_words, days_modal, digest_modal
from bot.views.form_values import state_values
from bot.views.membership import when
from circles.services.nudges.days import choose_digest_days, digest_days
from circles.services.nudges.digests import digest_now, mute_nudges


def register(app: App, deps: Deps) -> None:
    app.action(ids.NUDGE_MUTE)(ack=ack_now, lazy=[after_ack(mute_clicked, deps)])
    app.action(ids.DIGEST_MORE)(ack=ack_now, lazy=[after_ack(open_full_digest, deps)])
    app.action(ids.DIGEST_DAYS_OPEN)(ack=ack_now, lazy=[after_ack(open_days_form, deps)])
    app.view(ids.DIGEST_DAYS_VIEW)(ack=check_days_form, lazy=[after_ack(days_chosen, deps)])


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


def check_days_form(ack: Ack, body: dict[str, Any]) -> None:
    """At least one day, checked on the form itself before anything is stored."""
    if chosen_days(state_values(body.get("view"))):
        ack()
    else:
        ack(response_action="errors", errors={ids.DIGEST_DAYS_BLOCK: "Choose at least one day."})


def days_chosen(incoming: Incoming) -> None:
    """Store the presser's own days (nobody can choose for someone else) and say so in their DM."""
    deps = incoming.deps
    days = chosen_days(state_values(incoming.body.get("view")))
    kept = choose_digest_days(deps.db.unit_of_work(), incoming.team_id, incoming.user_id, days, deps.clock())
    text = f"Your coaching digest now comes on {days_in_words(kept)}, at most once a day."
    incoming.client.chat_postMessage(channel=incoming.user_id, text=text)


def _say(incoming: Incoming, text: str) -> None:
    incoming.respond(text=text, response_type="ephemeral", replace_original=False)
