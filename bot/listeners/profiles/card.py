"""`/circles profile @someone`: their card, if they share a cohort with the person asking."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.listeners.profiles.slack import slack_person
from bot.views.directory import say
from bot.views.profile import profile_card as card_message
from circles.services.people.profiles import profile_card

if TYPE_CHECKING:
    from bot.listeners.commands.request import CommandRequest

# Slack sends mentions escaped: <@U123|name>, or <@U123> in newer clients.
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
HOW = "Mention someone to see their profile card, like `/circles profile @name`."


def show_card(request: CommandRequest) -> None:
    words = request.parsed.rest.split()
    found = MENTION.match(words[0]) if words else None
    if found is None:
        request.reply(say(HOW))
        return
    subject = found.group(1)
    deps = request.deps
    card = profile_card(
        deps.db.unit_of_work(),
        request.team_id,
        request.user_id,
        subject,
        slack=slack_person(request.client, subject),
        now=deps.clock(),
    )
    request.reply(card_message(card))
