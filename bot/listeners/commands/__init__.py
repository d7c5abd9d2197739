"""The `/circles` slash command: ack at once, then route the text to one handler."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.listeners.commands import help as help_command
from bot.listeners.commands.catalog import parse
from bot.listeners.commands.request import CommandRequest, Handler
from bot.views.text import quote_typed

HANDLERS: dict[str, Handler] = {
    "help": help_command.show_help,
}


def register(app: App, deps: Deps) -> None:
    app.command("/circles")(partial(circles, deps=deps))


def circles(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext, deps: Deps
) -> None:
    """Answer every `/circles` text: a handler for known subcommands, help for everything else."""
    ack()  # within Slack's 3 seconds, before any database or Web API work
    parsed = parse(command.get("text"))
    request = CommandRequest(
        parsed=parsed,
        user_id=command["user_id"],
        team_id=context.team_id or command.get("team_id", ""),
        respond=respond,
        client=client,
        deps=deps,
    )
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
