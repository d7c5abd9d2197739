"""What a subcommand handler receives: the request, the parsed text, and every subcommand for help to list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.listeners.incoming import Incoming
from bot.subcommands import Parsed, Subcommand
from circles.services.people.caller import Caller, describe_caller

# Slack sends mentions escaped: <@U123|name>, or <@U123> in newer clients; punctuation typed straight
# after one (`@Lee,`) is not part of the word.
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>[,.?!;:)]*$")


@dataclass(frozen=True)
class CommandRequest(Incoming):
    """A `/circles` command, its text parsed; answered like any other request."""

    parsed: Parsed = field(kw_only=True)
    menu: tuple[Subcommand, ...] = field(default=(), kw_only=True)
    seen: Parsed | None = field(default=None, kw_only=True)  # the text with its tokens as words

    @classmethod
    def from_incoming(
        cls, incoming: Incoming, parsed: Parsed, menu: tuple[Subcommand, ...] = (), seen: Parsed | None = None
    ) -> CommandRequest:
        return cls(
            incoming.body,
            incoming.context,
            incoming.client,
            incoming.respond,
            incoming.deps,
            incoming.key,
            parsed=parsed,
            menu=menu,
            seen=seen,
        )

    @property
    def said(self) -> str:
        """The words after the subcommand as the person saw them: a mention as "@name", never a token."""
        seen = self.seen
        return seen.rest if seen is not None and seen.key == self.parsed.key else self.parsed.rest

    def caller(self) -> Caller:
        """Who is asking; Slack is asked about admin rights only when CIRCLES_ADMINS does not settle it."""
        return describe_caller(
            self.deps.db.unit_of_work(),
            team_id=self.team_id,
            user_id=self.user_id,
            is_workspace_admin=self.is_admin(),
            circles_admins=self.deps.settings.circles_admins,
        )
