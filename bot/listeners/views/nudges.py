"""The form choosing the days a coach's digest may come: at least one, checked in the ack."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack

from bot import ids
from bot.listeners.incoming import Incoming, ack_errors
from bot.slack_refusals import after_the_change, send_dm
from bot.views.digest import chosen_days, days_in_words
from bot.views.form_values import state_values
from circles.services.nudges.days import choose_digest_days


def check_days_form(ack: Ack, body: dict[str, Any]) -> None:
    """At least one day, checked on the form itself before anything is stored."""
    chosen = chosen_days(state_values(body.get("view")))
    ack_errors(ack, {} if chosen else {ids.DIGEST_DAYS_BLOCK: "Choose at least one day."})


def days_chosen(incoming: Incoming) -> None:
    """Store the presser's own days (nobody can choose for someone else) and say so in their DM."""
    deps = incoming.deps
    days = chosen_days(state_values(incoming.body.get("view")))
    if not days:
        return  # the form stayed open showing what to fix; nothing to store
    kept = choose_digest_days(deps.db.unit_of_work(), incoming.team_id, incoming.user_id, days, deps.clock())
    text = f"Your coaching digest now comes on {days_in_words(kept)}, at most once a day."
    confirm = partial(send_dm, incoming.client, incoming.user_id, text)
    after_the_change("confirming digest days", confirm)  # they are kept whatever Slack does
