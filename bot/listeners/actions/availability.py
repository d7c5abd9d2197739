"""Home's availability buttons: open the away form or the working hours form, or say one is back."""

from __future__ import annotations

from functools import partial

from bot.listeners.incoming import Incoming
from bot.listeners.surfaces import redraw_home
from bot.slack_refusals import after_the_change, send_dm
from bot.views.availability import back_answer
from bot.views.availability_forms import away_modal, hours_modal
from circles.services.availability.away import come_back
from circles.services.availability.pattern import Availability, availability_of


def open_away_form(incoming: Incoming) -> None:
    mine = availability_of(
        incoming.deps.db.reading(), incoming.team_id, incoming.user_id, incoming.deps.clock()
    )
    incoming.client.views_open(trigger_id=incoming.trigger_id, view=away_modal(mine))


def open_hours_form(incoming: Incoming) -> None:
    mine = availability_of(
        incoming.deps.db.reading(), incoming.team_id, incoming.user_id, incoming.deps.clock()
    )
    incoming.client.views_open(trigger_id=incoming.trigger_id, view=hours_modal(mine))


def back_clicked(incoming: Incoming) -> None:
    """The presser's own blocks end (a button on Home carries nobody's data); Home shows it at once.
    They are back whatever Slack does next: a failure to say so or to redraw Home is only logged."""
    back = incoming.as_person(come_back, incoming.deps.clock())
    after_the_change("answering back", partial(send_dm, incoming.client, incoming.user_id, back_answer(back)))
    redraw_home(incoming)


def _mine(incoming: Incoming) -> Availability:
    """The presser's own availability, read in one short reading transaction."""
    deps = incoming.deps
    return availability_of(deps.db.reading(), incoming.team_id, incoming.user_id, deps.clock())
