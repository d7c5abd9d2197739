"""`/circles health <cohort>`: the cohort's partnerships, riskiest first, for its facilitators only."""

from __future__ import annotations

from bot.listeners.commands.request import CommandRequest
from bot.views.health import board_message
from circles.services.health.boards import board

USAGE = "Use `/circles health &lt;cohort&gt;`, e.g. `/circles health pgy1-spring`."


def show_board(request: CommandRequest) -> None:
    if len(request.parsed.args) != 1:
        request.say(USAGE)
        return
    found = board(
        request.deps.db.reading(),
        request.team_id,
        request.user_id,
        request.parsed.args[0],
        request.deps.clock(),
        is_admin=request.is_admin(),
    )
    request.reply(board_message(found))
