"""`/circles support [<cohort>] [<message>]`: facilitators hear at once, privately; no message: the form."""

from __future__ import annotations

from bot.listeners.actions.support import open_support_form
from bot.listeners.commands.request import CommandRequest
from bot.views.support import support_sent_message
from circles.services.support.form import SupportAbout
from circles.services.support.request import request_support


def support_command(request: CommandRequest) -> None:
    if not request.said.strip():  # nothing said yet: the form asks, with room to say it
        open_support_form(request, SupportAbout())
        return
    sent = request.as_person(
        request_support,
        request.said or None,
        request.deps.clock(),
        request_key=request.key,
        admins=request.deps.circles_admins(request.team_id),  # when no facilitator may hear it
    )
    request.reply(support_sent_message(sent))
