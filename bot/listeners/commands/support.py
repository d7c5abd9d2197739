"""`/circles support [<cohort>] [<message>]`: the cohort's facilitators hear at once, privately."""

from __future__ import annotations

from bot.listeners.commands.request import CommandRequest
from bot.views.support import support_sent_message
from circles.services.support import request_support


def support_command(request: CommandRequest) -> None:
    sent = request_support(
        request.deps.db.unit_of_work(),
        request.team_id,
        request.user_id,
        request.parsed.rest or None,
        request.deps.clock(),
    )
    request.reply(support_sent_message(sent))
