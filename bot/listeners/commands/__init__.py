"""The `/circles` slash command: ack at once, then route the text to one handler."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners import matching, profiles
from bot.listeners.commands import cohorts, membership
from bot.listeners.commands import health as health_command
from bot.listeners.commands import help as help_command
from bot.listeners.commands.checkin import checkin_command
from bot.listeners.commands.report import send_report
from bot.listeners.commands.request import CommandRequest, Handler
from bot.listeners.commands.support import support_command
from bot.listeners.incoming import Incoming, ack_now, after_ack
from bot.subcommands import parse
from bot.views.text import from_slack, quote_typed
from circles.domain.text import clean_typed

HANDLERS: dict[str, Handler] = {
    "help": help_command.show_help,
    "cohort create": cohorts.create,
    "cohort config": cohorts.configure,
    "join": membership.join_cohort,
    "leave": membership.leave_cohort,
    "pause": membership.pause_membership,
    "resume": membership.resume_membership,
    "status": membership.show_status,
    "match": matching.match_command,
    **profiles.HANDLERS,
    "checkin": checkin_command,
    "support": support_command,
    "health": health_command.show_board,
    "report": send_report,
}


def register(app: App, deps: Deps) -> None:
    app.command("/circles")(ack=ack_now, lazy=[after_ack(circles, deps)])


def circles(incoming: Incoming) -> None:
    """Answer every `/circles` text: a handler for known subcommands, help for everything else."""
    # Slack sends command text escaped (&amp; &lt; &gt;): undone here once, so handlers and services see
    # what was typed, and every view escapes it once on the way out.
    # Cleaned here too: a NUL or a direction override never reaches the database or a facilitator.
    text = clean_typed(from_slack(str(incoming.body.get("text") or "")))
    request = CommandRequest.from_incoming(incoming, parse(text))
    parsed = request.parsed
    if parsed.key is None:
        help_command.show_help(
            request, note=f"I don't know `{quote_typed(parsed.word)}`. Here is what I can do:"
        )
        return
    handler = HANDLERS.get(parsed.key)
    if handler is None:
        help_command.show_help(
            request,
            note=f"`/circles {quote_typed(parsed.key)}` is not available in this version of Circles yet.",
        )
        return
    handler(request)
