"""`/circles checkin`: open the form for the person's check-in, or let them choose the partnership first."""

from __future__ import annotations

from bot.listeners.commands.request import CommandRequest
from bot.views.checkin import choose_message
from bot.views.checkin_form import FormOrigin, checkin_modal
from circles.services.checkins.opening import checkin_or_choice


def checkin_command(request: CommandRequest) -> None:
    found = checkin_or_choice(
        request.deps.db.unit_of_work(), request.team_id, request.user_id, request.deps.clock()
    )
    if isinstance(found, list):
        request.reply(choose_message(found))  # the choice opens no check-in: a press opens the one chosen
        return
    request.client.views_open(
        trigger_id=request.trigger_id,
        view=checkin_modal(found, FormOrigin(found.checkin_id, pair=found.partnership_id)),
    )
