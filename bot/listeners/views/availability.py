"""The away form and the working hours form, sent: checked in the ack, kept after it, Home refreshed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from slack_bolt import Ack

from bot.deps import Deps
from bot.listeners.incoming import Incoming, ack_errors
from bot.listeners.surfaces import redraw_home
from bot.slack_refusals import after_the_change, send_dm
from bot.views.availability import away_answer
from bot.views.availability_forms import away_request, hours_submitted
from bot.views.form_values import state_values
from circles.services.availability.away import go_away
from circles.services.availability.pattern import choose_hours

# The sent view (its values and private_metadata) and now: the form's choice, or what to fix by block.
Parse = Callable[[Any, datetime], tuple[Any, dict[str, str]]]


def _away_sent(view: Any, now: datetime) -> tuple[Any, dict[str, str]]:
    return away_request(state_values(view), now.date())


def form_check(parse: Parse) -> Callable[..., None]:
    """Check a form in the ack, so its mistakes show on its fields before anything is stored."""

    def check(ack: Ack, body: dict[str, Any], deps: Deps) -> None:
        _, errors = parse(body.get("view"), deps.clock())
        ack_errors(ack, errors)

    return check


# Weeks or a date, one of them, within limits; working hours, a rota entry and quiet hours (over the
# rota entries kept from before too, which the form carries).
check_away_form = form_check(_away_sent)
check_hours_form = form_check(hours_submitted)


def _submitted(incoming: Incoming, parse: Parse) -> tuple[Any, datetime]:
    """The form's choice as the check passed it (None when it showed mistakes: nothing to keep), and now."""
    now = incoming.deps.clock()
    choice, errors = parse(incoming.body.get("view"), now)
    return (None if errors else choice), now


def away_chosen(incoming: Incoming) -> None:
    request, now = _submitted(incoming, _away_sent)
    if request is None:
        return
    away = incoming.as_person(go_away, request, now)
    _confirm(incoming, away_answer(away))


def hours_chosen(incoming: Incoming) -> None:
    choice, now = _submitted(incoming, hours_submitted)
    if choice is None:
        return
    incoming.as_person(choose_hours, choice, now)
    _confirm(
        incoming, "Saved your working hours and quiet hours: personal messages now wait for your next window."
    )


def _confirm(incoming: Incoming, text: str) -> None:
    """Say what was saved in the DM and show it on Home; it stands whatever Slack does (only logged)."""
    after_the_change("confirming availability", partial(send_dm, incoming.client, incoming.user_id, text))
    redraw_home(incoming)
