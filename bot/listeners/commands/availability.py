"""`/circles away <N weeks | until YYYY-MM-DD>` and `/circles back`."""

from __future__ import annotations

from bot.listeners.commands.request import CommandRequest
from bot.views.availability import AWAY_USAGE, away_answer, back_answer
from bot.views.text import quote_typed
from circles.domain.availability.going_away import impossible_day, parse_away
from circles.services.availability.away import come_back, go_away


def away_command(request: CommandRequest) -> None:
    wanted = parse_away(request.parsed.args)
    if wanted is None:
        written = impossible_day(request.parsed.args)
        if written is not None:  # the right shape, but no such day
            request.say(f"`{quote_typed(written, 10)}` is not a day on the calendar. {AWAY_USAGE}")
            return
        request.say(AWAY_USAGE)
        return
    away = request.as_person(go_away, wanted, request.deps.clock())
    request.say(away_answer(away))


def back_command(request: CommandRequest) -> None:
    if request.parsed.args:
        request.say("Use `/circles back` on its own, when you return.")
        return
    request.say(back_answer(request.as_person(come_back, request.deps.clock())))
