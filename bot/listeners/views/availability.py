"""The away form and the working hours form, sent: checked in the ack, kept after it, Home refreshed."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.deps import Deps
from bot.listeners.events.app_home import refresh_home
from bot.listeners.incoming import Incoming, ack_errors
from bot.views.availability import away_answer
from bot.views.availability_forms import away_request, hours_choice
from bot.views.form_values import state_values
from circles.services.availability.away import go_away
from circles.services.availability.pattern import choose_hours


def check_away_form(ack: Ack, body: dict[str, Any], deps: Deps) -> None:
    """Weeks or a date, one of them, within limits: shown on the form before anything is stored."""
    _, errors = away_request(state_values(body.get("view")), deps.clock().date())
    ack_errors(ack, errors)


def away_chosen(incoming: Incoming) -> None:
    now = incoming.deps.clock()
    request, errors = away_request(state_values(incoming.body.get("view")), now.date())
    if request is None or errors:  # the form showed them: nothing to keep
        return
    away = incoming.as_person(go_away, request, now)
    incoming.client.chat_postMessage(channel=incoming.user_id, text=away_answer(away))
    refresh_home(incoming, incoming.user_id)


def check_hours_form(ack: Ack, body: dict[str, Any], deps: Deps) -> None:
    _, errors = hours_choice(state_values(body.get("view")), deps.clock().date())
    ack_errors(ack, errors)


def hours_chosen(incoming: Incoming) -> None:
    now = incoming.deps.clock()
    choice, errors = hours_choice(state_values(incoming.body.get("view")), now.date())
    if choice is None or errors:
        return
    incoming.as_person(choose_hours, choice, now)
    incoming.client.chat_postMessage(
        channel=incoming.user_id,
        text="Saved your working hours and quiet hours: personal messages now wait for your next window.",
    )
    refresh_home(incoming, incoming.user_id)
