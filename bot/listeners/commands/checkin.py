"""`/circles checkin`: open the form for the person's check-in, or let them choose the partnership first."""

from __future__ import annotations

from bot.listeners.commands.request import CommandRequest
from bot.views.checkin import choose_message
from bot.views.checkin_form import FormOrigin, checkin_modal
from circles.services.checkins.answers import open_checkin


def checkin_command(request: CommandRequest) -> None:
    found = open_checkin(
        request.deps.db.unit_of_work(), request.team_id, request.user_id, request.deps.clock()
    )
    if len(found) > 1:
        request.reply(choose_message(found))
        return
    [checkin] = found
    request.client.views_open(
        trigger_id=request.trigger_id, view=checkin_modal(checkin, FormOrigin(checkin.checkin_id))
    )
