"""`/circles help`, `/circles` alone, and the answer to anything unknown."""

from __future__ import annotations

from bot.listeners.commands.request import CommandRequest
from bot.views.help import help_message


def show_help(request: CommandRequest, note: str | None = None) -> None:
    caller = request.caller()
    request.reply(help_message(request.menu, runs_cohorts=caller.runs_cohorts, note=note))
