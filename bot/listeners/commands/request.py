"""What a subcommand handler receives: the parsed text, who asked, and how to answer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.listeners.incoming import Incoming, PrivateAnswers
from bot.subcommands import Parsed, Subcommand
from circles.services.people.caller import Caller, describe_caller

# Slack sends mentions escaped: <@U123|name>, or <@U123> in newer clients.
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True)
class CommandRequest(PrivateAnswers):
    parsed: Parsed
    user_id: str
    team_id: str
    respond: Respond
    client: WebClient
    deps: Deps
    trigger_id: str = ""  # opens a modal within three seconds of the command
    request_key: str = ""  # names this request: what a change keys on, so a repeat of it changes nothing
    menu: tuple[Subcommand, ...] = ()  # every subcommand there is, for help to list

    @classmethod
    def from_incoming(
        cls, incoming: Incoming, parsed: Parsed, menu: tuple[Subcommand, ...] = ()
    ) -> CommandRequest:
        return cls(
            parsed=parsed,
            user_id=incoming.body["user_id"],
            team_id=incoming.team_id,
            respond=incoming.respond,
            client=incoming.client,
            deps=incoming.deps,
            trigger_id=incoming.body.get("trigger_id", ""),
            request_key=incoming.key,
            menu=menu,
        )

    def is_admin(self) -> bool:
        return self.deps.is_admin(self.client, self.team_id, self.user_id)

    def caller(self) -> Caller:
        """Who is asking; Slack is asked about admin rights only when CIRCLES_ADMINS does not settle it."""
        return describe_caller(
            self.deps.db.unit_of_work(),
            team_id=self.team_id,
            user_id=self.user_id,
            is_workspace_admin=self.is_admin(),
            circles_admins=self.deps.settings.circles_admins,
        )
